package paxos_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/paxos"
)

type (
	state  = paxos.State
	action = paxos.Action
)

func properties(sp *paxos.Spec) []explore.Property[state, action] {
	return []explore.Property[state, action]{
		explore.Invariant[state, action](paxos.PropAgreement, sp.Agreement),
		explore.Invariant[state, action](paxos.PropInv, sp.Inv),
		explore.Reachable[state, action](paxos.PropChosen, sp.Chosen),
	}
}

func check(t *testing.T, sp *paxos.Spec, opts explore.Options) explore.Result[state, action] {
	t.Helper()
	res, err := explore.Check[state, action](sp, properties(sp), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func newSpec(t *testing.T, acceptors, values, maxBallot int, mutant string) *paxos.Spec {
	t.Helper()
	sp, err := paxos.New(acceptors, values, maxBallot, mutant)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// The constants of tlaplus/Examples' MCPaxosTiny.cfg and MCPaxosSmall.cfg:
// acceptors {a1, a2, a3}, values {v1, v2}, quorums {{a1,a2}, {a1,a3},
// {a2,a3}}, ballots 0..MaxBallot. Transitions count TLC's "states
// generated" (the initial state and every successor TLC computes, repeats
// and self-loops included); TLC reports the depth one higher (it counts the
// initial state as depth 1). The Tiny row is TLC's published result in the
// examples' manifest.json: 3,921 distinct states, 23,563 generated, depth
// 17. The manifest gives no counts for Small; ours are pinned here.
var pinned = []struct {
	name                string
	maxBallot           int
	states, transitions int64
	depth               int
}{
	{"MCPaxosTiny", 1, 3_921, 23_563, 16},
	{"MCPaxosSmall", 2, 185_369, 1_361_380, 24},
}

func TestStateCountsEqualTLC(t *testing.T) {
	for _, p := range pinned {
		for _, workers := range []int{1, 2} {
			res := check(t, newSpec(t, 3, 2, p.maxBallot, ""), explore.Options{Workers: workers})
			st := res.Stats
			if res.Status != explore.OK || st.States != p.states || st.Transitions != p.transitions || st.MaxDepth != p.depth {
				t.Errorf("%s, %d workers: %v, %d states, %d transitions, depth %d; want ok, %d, %d, %d",
					p.name, workers, res.Status, st.States, st.Transitions, st.MaxDepth, p.states, p.transitions, p.depth)
			}
		}
	}
}

func TestDepthFirstSearchStoresTheSameStates(t *testing.T) {
	res := check(t, newSpec(t, 3, 2, 1, ""), explore.Options{Strategy: explore.DFS})
	if res.Status != explore.OK || res.Stats.States != 3_921 || res.Stats.Transitions != 23_563 {
		t.Fatalf("dfs: %v %d states %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
	}
}

// TestAValueIsChosen: the shortest way to choose a value is one ballot's
// four phases with two acceptors: 1a, two 1b, 2a, two 2b.
func TestAValueIsChosen(t *testing.T) {
	res := check(t, newSpec(t, 3, 2, 1, ""), explore.Options{Workers: 1})
	if len(res.Sometimes) != 1 || !res.Sometimes[0].Reached {
		t.Fatalf("chosen never reached: %+v", res.Sometimes)
	}
	want := []string{"Phase1a(0)", "Phase1b(a1) on 1a(0)", "Phase1b(a2) on 1a(0)", "Phase2a(0, v1)", "Phase2b(a1) on 2a(0, v1)", "Phase2b(a2) on 2a(0, v1)"}
	if got := labels(res.Sometimes[0].Path); !slices.Equal(got, want) {
		t.Errorf("witness %v, want %v", got, want)
	}
}

func labels(p explore.Path[state, action]) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Label)
	}
	return out
}

// Each mutant, under the ballots that show it, is caught: the first
// property violated is the one it names, and agreement itself breaks too
// (the check keeps going). Both counterexamples replay, by their labels,
// to the violation on the mutant; the agreement one does not replay on the
// correct algorithm.
func TestMutantsAreCaughtAndReplay(t *testing.T) {
	want := map[string][]string{
		paxos.MutMinorityQuorum: {"Phase1a(0)", "Phase1a(1)", "Phase1b(a1) on 1a(0)", "Phase2a(0, v1)",
			"Phase1b(a1) on 1a(1)", "Phase2a(1, v2)", "Phase2b(a1) on 2a(1, v2)", "Phase2b(a2) on 2a(0, v1)"},
		paxos.MutVoteBelowPromise: {"Phase1a(0)", "Phase1a(1)", "Phase1b(a1) on 1a(0)", "Phase1b(a1) on 1a(1)",
			"Phase1b(a2) on 1a(0)", "Phase2a(0, v1)", "Phase2b(a1) on 2a(0, v1)", "Phase1b(a2) on 1a(1)",
			"Phase2a(1, v2)", "Phase2b(a1) on 2a(1, v2)", "Phase2b(a2) on 2a(0, v1)", "Phase2b(a2) on 2a(1, v2)"},
		paxos.MutAnyValue: {"Phase1a(0)", "Phase1a(1)", "Phase1b(a1) on 1a(0)", "Phase1b(a1) on 1a(1)",
			"Phase1b(a2) on 1a(0)", "Phase2a(0, v1)", "Phase2b(a2) on 2a(0, v1)", "Phase1b(a2) on 1a(1)",
			"Phase2a(1, v2)", "Phase2b(a1) on 2a(1, v2)", "Phase2b(a2) on 2a(1, v2)", "Phase2b(a3) on 2a(0, v1)"},
		paxos.MutNotHighest: {"Phase1a(0)", "Phase1a(1)", "Phase1a(2)", "Phase1b(a1) on 1a(0)",
			"Phase1b(a1) on 1a(1)", "Phase1b(a2) on 1a(0)", "Phase2a(0, v1)", "Phase1b(a2) on 1a(1)",
			"Phase2a(1, v2)", "Phase2b(a1) on 2a(1, v2)", "Phase1b(a1) on 1a(2)", "Phase2b(a2) on 2a(1, v2)",
			"Phase2b(a3) on 2a(0, v1)", "Phase1b(a3) on 1a(2)", "Phase2a(2, v1)", "Phase2b(a1) on 2a(2, v1)",
			"Phase2b(a2) on 2a(2, v1)"},
	}
	for _, m := range paxos.Mutants {
		maxBallot := 1
		if m.Shows == "-maxballot 2" {
			maxBallot = 2
		}
		sp := newSpec(t, 3, 2, maxBallot, m.Name)
		first := check(t, sp, explore.Options{Workers: 1})
		if first.Status != explore.Violated || first.Violation.Property != m.Breaks {
			t.Errorf("%s: %v, first violation %+v; want %s", m.Name, first.Status, first.Violation, m.Breaks)
			continue
		}
		all := check(t, sp, explore.Options{Workers: 1, KeepGoing: true})
		var agreement *explore.Violation[state, action]
		for i := range all.Violations {
			if all.Violations[i].Property == paxos.PropAgreement {
				agreement = &all.Violations[i]
			}
		}
		if agreement == nil {
			t.Errorf("%s: agreement holds", m.Name)
			continue
		}
		got := labels(agreement.Path)
		if !slices.Equal(got, want[m.Name]) {
			t.Errorf("%s: counterexample\n%s", m.Name, agreement.Path)
		}
		again, err := explore.ReplayLabels[state, action](sp, 0, got)
		if err != nil || sp.Agreement(again.Last()) == nil {
			t.Errorf("%s: replay on the mutant: %v", m.Name, err)
		}
		good := newSpec(t, 3, 2, maxBallot, "")
		if p, err := explore.ReplayLabels[state, action](good, 0, got); err == nil && good.Agreement(p.Last()) != nil {
			t.Errorf("%s: the counterexample breaks the correct algorithm too", m.Name)
		}
	}
}

// TestNotHighestNeedsThreeBallots: with ballots 0..1 a leader sees votes
// of ballot 0 only, all for one value, so any reported vote is the
// highest: the mutant is the correct algorithm there, state for state.
func TestNotHighestNeedsThreeBallots(t *testing.T) {
	res := check(t, newSpec(t, 3, 2, 1, paxos.MutNotHighest), explore.Options{Workers: 1})
	if res.Status != explore.OK || res.Stats.States != 3_921 || res.Stats.Transitions != 23_563 {
		t.Fatalf("%v %d states %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
	}
}

func TestNewRejectsBadParameters(t *testing.T) {
	for _, c := range []struct {
		acceptors, values, maxBallot int
		mutant                       string
	}{{0, 2, 1, ""}, {6, 2, 1, ""}, {3, 0, 1, ""}, {3, 4, 1, ""}, {3, 2, -1, ""}, {3, 2, 4, ""}, {5, 3, 3, ""}, {3, 2, 1, "no-such"}} {
		if _, err := paxos.New(c.acceptors, c.values, c.maxBallot, c.mutant); err == nil {
			t.Errorf("New(%d, %d, %d, %q): no error", c.acceptors, c.values, c.maxBallot, c.mutant)
		}
	}
}

func TestDescribe(t *testing.T) {
	sp := newSpec(t, 3, 2, 1, "")
	p, err := explore.ReplayLabels[state, action](sp, 0, []string{"Phase1a(0)", "Phase1b(a2) on 1a(0)"})
	if err != nil {
		t.Fatal(err)
	}
	want := "a1: maxBal=-1 maxVBal=-1 maxVal=None; a2: maxBal=0 maxVBal=-1 maxVal=None; a3: maxBal=-1 maxVBal=-1 maxVal=None; msgs={1a(0), 1b(a2, 0, -1, None)}"
	if got := sp.Describe(p.Last()); got != want {
		t.Errorf("Describe:\n got %s\nwant %s", got, want)
	}
}

func Example() {
	sp, _ := paxos.New(3, 2, 1, "")
	res, _ := explore.Check[state, action](sp, properties(sp), explore.Options{Workers: 1})
	fmt.Printf("%s: %d states, %d transitions\n", res.Status, res.Stats.States, res.Stats.Transitions)
	// Output:
	// ok: 3921 states, 23563 transitions
}
