package twophase_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/twophase"
)

type (
	state  = twophase.State
	action = twophase.Action
)

func properties(sp *twophase.Spec) []explore.Property[state, action] {
	return []explore.Property[state, action]{
		explore.Invariant[state, action](twophase.PropConsistent, sp.Consistent),
		explore.Reachable[state, action](twophase.PropAllCommitted, sp.AllCommitted),
		explore.Reachable[state, action](twophase.PropAllAborted, sp.AllAborted),
	}
}

func check(t *testing.T, rms int, mutant string, opts explore.Options) (*twophase.Spec, explore.Result[state, action]) {
	t.Helper()
	sp, err := twophase.New(rms, mutant)
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check[state, action](sp, properties(sp), opts)
	if err != nil {
		t.Fatal(err)
	}
	return sp, res
}

// The published TwoPhase counts (TLC, Stateright): equal numbers show
// equal semantics. Transitions are TLC's "states generated".
var pinned = []struct {
	rms                 int
	states, transitions int64
	depth               int
}{
	{3, 288, 1_146, 10},
	{4, 1_568, 8_258, 13},
	{5, 8_832, 58_146, 16},
	{6, 50_816, 402_306, 19},
	{7, 296_448, 2_744_706, 22},
	{8, 1_745_408, 18_507_778, 25},
}

// long is set by long_test.go when the tests are built with -tags long.
var long bool

func TestStateCountsEqualTheTLAPlusSpec(t *testing.T) {
	for _, p := range pinned {
		if p.rms >= 7 && !long {
			continue // seconds: with -tags long
		}
		for _, workers := range []int{1, 2} {
			_, res := check(t, p.rms, "", explore.Options{Workers: workers})
			st := res.Stats
			if res.Status != explore.OK || st.States != p.states || st.Transitions != p.transitions || st.MaxDepth != p.depth {
				t.Errorf("%d RMs, %d workers: %v, %d states, %d transitions, depth %d; want ok, %d, %d, %d",
					p.rms, workers, res.Status, st.States, st.Transitions, st.MaxDepth, p.states, p.transitions, p.depth)
			}
		}
	}
}

func TestDepthFirstSearchStoresTheSameStates(t *testing.T) {
	_, res := check(t, 6, "", explore.Options{Strategy: explore.DFS})
	if res.Status != explore.OK || res.Stats.States != 50_816 || res.Stats.Transitions != 402_306 {
		t.Fatalf("dfs: %v %d states %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
	}
}

func TestBothOutcomesAreReachable(t *testing.T) {
	_, res := check(t, 3, "", explore.Options{Workers: 1})
	for _, w := range res.Sometimes {
		if !w.Reached {
			t.Errorf("%s never reached", w.Property)
		}
	}
	// The shortest all-commit path: every RM prepares, the TM hears each,
	// commits, and every RM receives Commit: 3+3+1+3 steps.
	if got := res.Sometimes[0].Path.Len(); got != 10 {
		t.Errorf("all-committed witness has %d steps, want 10", got)
	}
}

func TestCommitWithoutPreparedIsCaughtAndReplays(t *testing.T) {
	sp, res := check(t, 3, "commit-without-prepared", explore.Options{Workers: 1})
	if res.Status != explore.Violated || res.Violation.Property != twophase.PropConsistent {
		t.Fatalf("mutant: %v %+v", res.Status, res.Violation)
	}
	path := res.Violation.Path
	want := []string{"TMCommit", "RMChooseToAbort(r1)", "RMRcvCommitMsg(r2)"}
	if path.Len() != len(want) {
		t.Fatalf("counterexample:\n%s want %v", path, want)
	}
	for i, s := range path.Steps {
		if s.Label != want[i] {
			t.Fatalf("step %d is %s, want %s", i+1, s.Label, want[i])
		}
	}
	// Replayed on the correct protocol, the first step is not enabled.
	good, _ := twophase.New(3, "")
	if _, err := explore.ReplayLabels[state, action](good, 0, want); err == nil {
		t.Fatal("the counterexample replays on the correct protocol")
	}
	again, err := explore.ReplayLabels[state, action](sp, 0, want)
	if err != nil || sp.Consistent(again.Last()) == nil {
		t.Fatalf("replay on the mutant: %v; consistent=%v", err, sp.Consistent(again.Last()))
	}
	if got := sp.Describe(again.Last()); got != "rm=[aborted committed working] tm=committed tmPrepared={} msgs={Commit}" {
		t.Errorf("Describe: %s", got)
	}
}

func TestNewRejectsBadParameters(t *testing.T) {
	for _, c := range []struct {
		rms    int
		mutant string
	}{{0, ""}, {16, ""}, {3, "no-such-mutant"}} {
		if _, err := twophase.New(c.rms, c.mutant); err == nil {
			t.Errorf("New(%d, %q): no error", c.rms, c.mutant)
		}
	}
}
