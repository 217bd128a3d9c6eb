package clocks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/clocks"
)

type (
	world  = *model.World[clocks.State, clocks.Msg]
	result = explore.Result[world, model.Action]
)

// build returns the model of p under a reliable unordered network with
// the given properties.
func build(t *testing.T, p clocks.Params, props []spec.Property[clocks.State, clocks.Msg]) *model.Model[clocks.State, clocks.Msg] {
	t.Helper()
	proto := mustNew(t, p)
	m, err := model.New(proto, model.Config{}, proto.Workload(), props)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checked is a search and the model it explored.
type checked struct {
	m *model.Model[clocks.State, clocks.Msg]
	result
}

// check explores p exhaustively with every property (or none, when bare).
func check(t *testing.T, p clocks.Params, bare bool, workers int) checked {
	t.Helper()
	props := clocks.Properties()
	if bare {
		props = nil
	}
	m := build(t, p, props)
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: workers, MaxStates: 2_000_000})
	if err != nil {
		t.Fatal(err)
	}
	return checked{m, res}
}

type counts struct {
	states, transitions int64
	depth               int
}

func countsOf(res checked) counts {
	return counts{res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth}
}

// pinned are the state counts of the package documentation's table (a
// change is reviewed like a golden diff), and the sometimes properties a
// configuration cannot reach (with one event per node, concurrent events
// share their Lamport timestamp: TestLamportWitnessNeedsMoreThanOneEventEach).
var pinned = []struct {
	p           clocks.Params
	ghost, bare counts
	unreached   []string
	slow        bool
}{
	{clocks.Params{N: 2, Events: 1}, counts{22, 27, 4}, counts{22, 27, 4}, []string{lamportWitness}, false},
	{clocks.Params{N: 2, Events: 2}, counts{749, 1037, 8}, counts{604, 967, 8}, nil, false},
	{clocks.DefaultParams(), counts{44171, 66997, 12}, counts{17899, 40447, 12}, nil, false},
	{clocks.Params{N: 3, Events: 1}, counts{480, 802, 6}, counts{441, 781, 6}, nil, false},
	{clocks.Params{N: 4, Events: 1}, counts{15128, 32225, 8}, counts{12854, 29613, 8}, nil, false},
}

const lamportWitness = "lamport-order-without-causality"

func TestStateCountsArePinned(t *testing.T) {
	for _, pc := range pinned {
		t.Run(fmt.Sprintf("N=%d,Events=%d", pc.p.N, pc.p.Events), func(t *testing.T) {
			if pc.slow && testing.Short() {
				t.Skip("skipped in -short mode")
			}
			res := check(t, pc.p, false, 1)
			modeltest.WantVerdict(t, res.m, res.result, nil, pc.unreached...)
			if got := countsOf(res); got != pc.ghost {
				t.Errorf("with properties: %+v, want %+v", got, pc.ghost)
			}
			t.Logf("with properties: %v, %d states in %v", res.Status, res.Stats.States, res.Stats.Elapsed)
			if got := countsOf(check(t, pc.p, true, 1)); got != pc.bare {
				t.Errorf("bare: %+v, want %+v", got, pc.bare)
			}
		})
	}
}

func TestTwoWorkersFindTheSameStates(t *testing.T) {
	for _, p := range []clocks.Params{clocks.DefaultParams(), {N: 3, Events: 1}} {
		one, two := check(t, p, false, 1), check(t, p, false, 2)
		if one.Stats.States != two.Stats.States || one.Stats.Transitions != two.Stats.Transitions || one.Status != two.Status {
			t.Errorf("%+v: 1 worker %v %+v, 2 workers %v %+v", p, one.Status, countsOf(one), two.Status, countsOf(two))
		}
	}
}

// TestCorrectClocksPassAndReachEveryWitness: no safety property fails and
// every sometimes property is reached, including the witness that Lamport
// order does not imply causality.
func TestCorrectClocksPassAndReachEveryWitness(t *testing.T) {
	for _, p := range []clocks.Params{clocks.DefaultParams(), {N: 3, Events: 1}} {
		res := check(t, p, false, 1)
		modeltest.WantOK(t, res.result)
		if len(res.Sometimes) != 3 {
			t.Fatalf("%d sometimes properties, want 3", len(res.Sometimes))
		}
	}
}

// TestLamportWitnessNeedsMoreThanOneEventEach: with two nodes doing one
// event each, concurrent events always share their Lamport timestamp, so
// the non-property has no witness and the check says so.
func TestLamportWitnessNeedsMoreThanOneEventEach(t *testing.T) {
	res := check(t, clocks.Params{N: 2, Events: 1}, false, 1)
	modeltest.WantVerdict(t, res.m, res.result, nil, lamportWitness)
}

// TestWitnessOfLamportOrderWithoutCausality looks at the witness path:
// its last state has two concurrent events with different L.
func TestWitnessOfLamportOrderWithoutCausality(t *testing.T) {
	res := check(t, clocks.DefaultParams(), false, 1)
	for _, w := range res.Sometimes {
		if w.Property != "lamport-order-without-causality" {
			continue
		}
		h := w.Path.Last().History()
		found := false
		for j := range h {
			for i := range j {
				if h[i].Clock.Concurrent(h[j].Clock) && h[i].Obs.L != h[j].Obs.L {
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("witness path has no concurrent pair with different L:\n%s", w.Path)
		}
		t.Logf("witness:\n%s", w.Path)
	}
}

// property returns the property of clocks called name.
func property(t *testing.T, name string) spec.Property[clocks.State, clocks.Msg] {
	t.Helper()
	for _, p := range clocks.Properties() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no property %q", name)
	return spec.Property[clocks.State, clocks.Msg]{}
}

// TestEachMutantIsCaught checks each mutant under the default and one
// three-node configuration: the checker reports the property the mutant
// claims to break, and replaying the counterexample by its labels reaches
// a step on which that property fails again with the same reason.
func TestEachMutantIsCaught(t *testing.T) {
	for _, p := range []clocks.Params{clocks.DefaultParams(), {N: 3, Events: 2}} {
		for _, mu := range clocks.Mutants {
			t.Run(fmt.Sprintf("%s/N=%d,Events=%d", mu.Name, p.N, p.Events), func(t *testing.T) {
				p.Mutant = mu.Name
				m := build(t, p, clocks.Properties())
				res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1, MaxStates: 1_000_000})
				if err != nil {
					t.Fatal(err)
				}
				labels := modeltest.WantViolated(t, m, res, mu.Breaks)
				v := res.Violation
				if strings.Contains(v.Reason, "\n") {
					t.Errorf("reason spans several lines: %q", v.Reason)
				}
				replayed, err := explore.ReplayLabels[world, model.Action](m, 0, labels)
				if err != nil {
					t.Fatal(err)
				}
				n := replayed.Len()
				if n == 0 {
					t.Fatal("empty counterexample for a transition property")
				}
				before := replayed.Init
				if n > 1 {
					before = replayed.Steps[n-2].State
				}
				prop := property(t, mu.Breaks)
				err = prop.Step(before, replayed.Last())
				if err == nil || err.Error() != v.Reason {
					t.Fatalf("replayed last step: %v, want %q", err, v.Reason)
				}
				if m.Fingerprint(replayed.Last()) != m.Fingerprint(v.Path.Last()) {
					t.Error("replay reached another state than the counterexample")
				}
			})
		}
	}
}

// TestMutantsBreakTheirPropertyInSmallConfigs sweeps small configurations
// (each check stops at the first violation, a few steps deep) and pins the
// one documented exception to Mutant.Breaks.
func TestMutantsBreakTheirPropertyInSmallConfigs(t *testing.T) {
	for n := clocks.MinNodes; n <= 4; n++ {
		for e := clocks.MinEvents; e <= 3; e++ {
			for _, mu := range clocks.Mutants {
				res := check(t, clocks.Params{N: n, Events: e, Mutant: mu.Name}, false, 1)
				want := mu.Breaks
				if n == 2 && e == 1 && mu.Name == "vector-overwrite" {
					want = "vector-unique"
				}
				if len(modeltest.WantViolated(t, res.m, res.result, want)) == 0 {
					t.Errorf("N=%d Events=%d %s: an empty counterexample", n, e, mu.Name)
				}
			}
		}
	}
}

// TestPropertiesNeedHappensBefore: every property is judged against the
// ghost truth, and the model switches it on.
func TestPropertiesNeedHappensBefore(t *testing.T) {
	names := map[string]bool{}
	for _, p := range clocks.Properties() {
		names[p.Name] = true
		if p.Needs&(spec.NeedsHistory|spec.NeedsHappensBefore) == 0 {
			t.Errorf("%s needs no history", p.Name)
		}
		if p.Doc == "" {
			t.Errorf("%s has no doc", p.Name)
		}
	}
	for _, mu := range clocks.Mutants {
		if !names[mu.Breaks] {
			t.Errorf("mutant %s breaks unknown property %q", mu.Name, mu.Breaks)
		}
	}
	if g := build(t, clocks.DefaultParams(), clocks.Properties()).Ghost(); g != "happens-before" {
		t.Errorf("ghost %q, want happens-before", g)
	}
}
