package paxoscommit_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/paxoscommit"
)

type (
	state  = paxoscommit.State
	action = paxoscommit.Action
)

func properties(sp *paxoscommit.Spec) []explore.Property[state, action] {
	return []explore.Property[state, action]{
		explore.Invariant[state, action](paxoscommit.PropConsistent, sp.Consistent),
		explore.Invariant[state, action](paxoscommit.PropTypeOK, sp.TypeOK),
		explore.Reachable[state, action](paxoscommit.PropAllCommitted, sp.AllCommitted),
		explore.Reachable[state, action](paxoscommit.PropAllAborted, sp.AllAborted),
	}
}

func newSpec(t *testing.T, rms, acceptors, maxBallot int, mutant string) *paxoscommit.Spec {
	t.Helper()
	sp, err := paxoscommit.New(rms, acceptors, maxBallot, mutant)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func check(t *testing.T, sp *paxoscommit.Spec, opts explore.Options) explore.Result[state, action] {
	t.Helper()
	res, err := explore.Check[state, action](sp, properties(sp), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// long is set by long_test.go when the tests are built with -tags long.
var long bool

// The first row is PaxosCommit.cfg (RM {r1, r2}, Acceptor {a1, a2, a3},
// Majority {{a1,a2},{a1,a3},{a2,a3}}, Ballot {0, 1}) and TLC's published
// result in tlaplus/Examples' manifest.json: 1,321,761 distinct states,
// 16,959,159 states generated (the initial state and every successor TLC
// computes, repeats and self-loops included), depth 28 (TLC counts the
// initial state as depth 1). The others are smaller spaces of the same
// spec, pinned.
var pinned = []struct {
	rms, acceptors, maxBallot int
	states, transitions       int64
	depth                     int
}{
	{2, 3, 1, 1_321_761, 16_959_159, 27},
	{1, 3, 1, 1_461, 9_936, 14},
	{2, 3, 0, 545, 4_413, 11},
	{2, 1, 1, 1_425, 9_961, 15},
}

func TestStateCountsEqualTLC(t *testing.T) {
	for i, p := range pinned {
		if i == 0 && !long {
			continue // five seconds: with -tags long
		}
		for _, workers := range []int{1, 2} {
			res := check(t, newSpec(t, p.rms, p.acceptors, p.maxBallot, ""), explore.Options{Workers: workers})
			st := res.Stats
			if res.Status != explore.OK || st.States != p.states || st.Transitions != p.transitions || st.MaxDepth != p.depth {
				t.Errorf("%d RMs, %d acceptors, ballots 0..%d, %d workers: %v, %d states, %d transitions, depth %d; want ok, %d, %d, %d",
					p.rms, p.acceptors, p.maxBallot, workers, res.Status, st.States, st.Transitions, st.MaxDepth, p.states, p.transitions, p.depth)
			}
			for _, w := range res.Sometimes {
				if !w.Reached {
					t.Errorf("%+v: %s never reached", p, w.Property)
				}
			}
		}
	}
}

func TestDepthFirstSearchStoresTheSameStates(t *testing.T) {
	res := check(t, newSpec(t, 1, 3, 1, ""), explore.Options{Strategy: explore.DFS})
	if res.Status != explore.OK || res.Stats.States != 1_461 || res.Stats.Transitions != 9_936 {
		t.Fatalf("dfs: %v %d states %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
	}
}

func labels(p explore.Path[state, action]) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Label)
	}
	return out
}

// TestCommitTakesTheFastPath: the shortest commit is Paxos Commit's
// normal case: each RM prepares (its ballot-0 phase2a), a majority of
// acceptors votes prepared in each instance, the leader decides, each RM
// receives Commit: 2 + 4 + 1 + 2 steps.
func TestCommitTakesTheFastPath(t *testing.T) {
	res := check(t, newSpec(t, 2, 3, 0, ""), explore.Options{Workers: 1})
	want := []string{"RMPrepare(r1)", "RMPrepare(r2)",
		"Phase2b(a1) on phase2a(r1, 0, prepared)", "Phase2b(a1) on phase2a(r2, 0, prepared)",
		"Phase2b(a2) on phase2a(r1, 0, prepared)", "Phase2b(a2) on phase2a(r2, 0, prepared)",
		"Decide: Commit", "RMRcvCommitMsg(r1)", "RMRcvCommitMsg(r2)"}
	if got := labels(res.Sometimes[0].Path); res.Sometimes[0].Property != paxoscommit.PropAllCommitted || !slices.Equal(got, want) {
		t.Errorf("%s witness %v, want %v", res.Sometimes[0].Property, got, want)
	}
}

// TestALeaderRecoversAnUndecidedInstance: with ballot 1, an instance whose
// RM never spoke is decided aborted by a leader alone: the all-aborted
// witness goes through ballot 1's phases.
func TestALeaderRecoversAnUndecidedInstance(t *testing.T) {
	sp := newSpec(t, 1, 3, 1, "")
	path := []string{"Phase1a(1, r1)", "Phase1b(a1) on phase1a(r1, 1)", "Phase1b(a2) on phase1a(r1, 1)",
		"Phase2a(1, r1) proposes aborted", "Phase2b(a1) on phase2a(r1, 1, aborted)",
		"Phase2b(a2) on phase2a(r1, 1, aborted)", "Decide: Abort", "RMRcvAbortMsg(r1)"}
	p, err := explore.ReplayLabels[state, action](sp, 0, path)
	if err != nil {
		t.Fatal(err)
	}
	if !sp.AllAborted(p.Last()) || sp.RM(p.Last(), 0) != paxoscommit.Aborted {
		t.Fatalf("not aborted: %s", sp.Describe(p.Last()))
	}
	// The RM may still try to prepare: its ballot-0 phase2a comes too
	// late, since a majority joined ballot 1.
	p, err = explore.ReplayLabels[state, action](sp, 0, append(path[:6:6], "RMPrepare(r1)", "Phase2b(a3) on phase2a(r1, 0, prepared)", "Decide: Abort"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := explore.ReplayLabels[state, action](sp, 0, append(path[:6:6], "RMPrepare(r1)", "Phase2b(a1) on phase2a(r1, 0, prepared)")); err == nil {
		t.Error("a1 voted in ballot 0 after joining ballot 1")
	}
}

// Each mutant is caught on PaxosCommit.cfg's constants with the property
// it names, by the shortest counterexample, which replays by its labels on
// the mutant and does not break the correct protocol.
func TestMutantsAreCaughtAndReplay(t *testing.T) {
	want := map[string][]string{
		paxoscommit.MutMinorityMajority: {"RMPrepare(r1)", "RMPrepare(r2)", "Phase1a(1, r1)", "Phase1b(a1) on phase1a(r1, 1)",
			"Phase2a(1, r1) proposes aborted", "Phase2b(a1) on phase2a(r1, 1, aborted)", "Decide: Abort", "RMRcvAbortMsg(r1)",
			"Phase2b(a1) on phase2a(r2, 0, prepared)", "Phase2b(a2) on phase2a(r1, 0, prepared)", "Decide: Commit", "RMRcvCommitMsg(r2)"},
		paxoscommit.MutFreePrepared: {"RMPrepare(r1)", "RMChooseToAbort(r2)", "Phase1a(1, r2)", "Phase1b(a1) on phase1a(r2, 1)",
			"Phase2b(a1) on phase2a(r1, 0, prepared)", "Phase1b(a2) on phase1a(r2, 1)", "Phase2a(1, r2) proposes prepared",
			"Phase2b(a1) on phase2a(r2, 1, prepared)", "Phase2b(a2) on phase2a(r1, 0, prepared)",
			"Phase2b(a2) on phase2a(r2, 1, prepared)", "Decide: Commit", "RMRcvCommitMsg(r1)"},
		paxoscommit.MutIgnoreVotes: {"RMPrepare(r1)", "RMPrepare(r2)", "Phase1a(1, r1)", "Phase1b(a1) on phase1a(r1, 1)",
			"Phase2b(a1) on phase2a(r2, 0, prepared)", "Phase2b(a2) on phase2a(r1, 0, prepared)", "Phase1b(a2) on phase1a(r1, 1)",
			"Phase2a(1, r1) proposes aborted", "Phase2b(a1) on phase2a(r1, 1, aborted)", "Phase2b(a2) on phase2a(r1, 1, aborted)",
			"Decide: Abort", "RMRcvAbortMsg(r1)", "Phase2b(a2) on phase2a(r2, 0, prepared)", "Phase2b(a3) on phase2a(r1, 0, prepared)",
			"Decide: Commit", "RMRcvCommitMsg(r2)"},
		paxoscommit.MutPhase1aZero: {"Phase1a(0, r1)"},
	}
	good := newSpec(t, 2, 3, 1, "")
	for _, m := range paxoscommit.Mutants {
		sp := newSpec(t, 2, 3, 1, m.Name)
		res := check(t, sp, explore.Options{Workers: 1})
		if res.Status != explore.Violated || res.Violation.Property != m.Breaks {
			t.Errorf("%s: %v %+v, want %s violated", m.Name, res.Status, res.Violation, m.Breaks)
			continue
		}
		got := labels(res.Violation.Path)
		if !slices.Equal(got, want[m.Name]) {
			t.Errorf("%s: counterexample\n%s", m.Name, res.Violation.Path)
		}
		prop := sp.Consistent
		if m.Breaks == paxoscommit.PropTypeOK {
			prop = sp.TypeOK
		}
		again, err := explore.ReplayLabels[state, action](sp, 0, got)
		if err != nil || prop(again.Last()) == nil {
			t.Errorf("%s: replay on the mutant: %v", m.Name, err)
		}
		if _, err := explore.ReplayLabels[state, action](good, 0, got); err == nil {
			t.Errorf("%s: the counterexample is an execution of the correct protocol", m.Name)
		}
	}
}

func TestNewRejectsBadParameters(t *testing.T) {
	for _, c := range []struct {
		rms, acceptors, maxBallot int
		mutant                    string
	}{{0, 3, 1, ""}, {5, 3, 1, ""}, {2, 0, 1, ""}, {2, 6, 1, ""}, {2, 3, -1, ""}, {2, 3, 4, ""}, {4, 5, 3, ""}, {2, 3, 1, "no-such"}} {
		if _, err := paxoscommit.New(c.rms, c.acceptors, c.maxBallot, c.mutant); err == nil {
			t.Errorf("New(%d, %d, %d, %q): no error", c.rms, c.acceptors, c.maxBallot, c.mutant)
		}
	}
}

func Example() {
	sp, _ := paxoscommit.New(1, 3, 1, "")
	res, _ := explore.Check[state, action](sp, properties(sp), explore.Options{Workers: 1})
	fmt.Printf("%s: %d states, %d transitions\n", res.Status, res.Stats.States, res.Stats.Transitions)
	// Output:
	// ok: 1461 states, 9936 transitions
}
