package spanner_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/spanner"
)

// pinned are exhaustive checks of Spanner as it is: every property holds
// and every sometimes property is reached. A change of a count is
// reviewed like a golden diff.
var pinned = []struct {
	name                string
	p                   spanner.Params
	states, transitions int64
	depth               int
}{
	{"default", spanner.DefaultParams(), 7_360, 22_351, 14},
	{"no read in T2", spanner.Params{Eps: 1, Ticks: 4, Reader: true}, 10_730, 35_664, 13},
	{"ε = 2", spanner.Params{Eps: 2, Ticks: 4, Reads: true, Reader: true}, 11_780, 35_849, 14},
	{"8 ticks", spanner.Params{Eps: 1, Ticks: 8, Reads: true, Reader: true}, 51_480, 193_643, 18},
	{"ε = 2, 8 ticks", spanner.Params{Eps: 2, Ticks: 8, Reads: true, Reader: true}, 73_548, 322_629, 18},
	{"2 ticks, the fewest", spanner.Params{Eps: 1, Ticks: 2, Reads: true, Reader: true}, 1_512, 3_555, 12},
	{"ε = 2, 2 ticks, no read in T2", spanner.Params{Eps: 2, Ticks: 2, Reader: true}, 5_528, 13_973, 11},
	{"no reader", spanner.Params{Eps: 1, Ticks: 4, Reads: true}, 490, 754, 11},
}

func TestPinnedCountsAndEveryPropertyHolds(t *testing.T) {
	for _, c := range pinned {
		for _, workers := range []int{1, 2} {
			res := check(t, c.p, explore.Options{Workers: workers})
			st := res.Stats
			if res.Status != explore.OK || st.States != c.states || st.Transitions != c.transitions || st.MaxDepth != c.depth {
				t.Errorf("%s, %d workers: %v, %d states, %d transitions, depth %d; want ok, %d, %d, %d",
					c.name, workers, res.Status, st.States, st.Transitions, st.MaxDepth, c.states, c.transitions, c.depth)
			}
			for _, w := range res.Sometimes {
				if !w.Reached {
					t.Errorf("%s: %s not reached", c.name, w.Property)
				}
			}
			if want := len(properties(newSpec(t, c.p))) - 1; c.p.Reader && want != 5 || !c.p.Reader && want != 1 {
				t.Errorf("%s: %d properties besides external-consistency", c.name, want)
			}
		}
	}
}

// Each mutant, under the settings that show it (Shows), is caught first
// by the property it names (Breaks); kept going, it breaks exactly these
// properties, with these shortest counterexamples (steps).
func TestEachMutantBreaksItsProperty(t *testing.T) {
	all := map[string]map[string]int{
		spanner.MutNoCommitWait:     {spanner.PropExternalConsistency: 6, spanner.PropConsistentSnapshot: 11},
		spanner.MutClockBeyondBound: {spanner.PropExternalConsistency: 6},
		spanner.MutReadBeforeSafe:   {spanner.PropMVCCSnapshot: 4, spanner.PropConsistentSnapshot: 12},
		spanner.MutEarlyLockRelease: {spanner.PropConsistentSnapshot: 10},
	}
	for _, m := range spanner.Mutants {
		p := spanner.DefaultParams()
		p.Mutant = m.Name
		if m.Shows != "" {
			if m.Shows != "-reader 0" {
				t.Fatalf("%s: shows %q, which this test does not read", m.Name, m.Shows)
			}
			p.Reader = false
		}
		res := check(t, p, explore.Options{Workers: 1})
		if res.Status != explore.Violated || res.Violation == nil || res.Violation.Property != m.Breaks {
			t.Errorf("%s: %v %+v, want %s violated", m.Name, res.Status, res.Violation, m.Breaks)
			continue
		}
		kept := check(t, p, explore.Options{Workers: 1, KeepGoing: true})
		got := map[string]int{}
		for _, v := range kept.Violations {
			got[v.Property] = v.Path.Len()
		}
		if kept.Status != explore.Violated || !maps.Equal(got, all[m.Name]) {
			t.Errorf("%s kept going: %v %v, want %v", m.Name, kept.Status, got, all[m.Name])
		}
	}
	if len(all) != len(spanner.Mutants) {
		t.Errorf("%d mutants pinned, %d declared", len(all), len(spanner.Mutants))
	}
}

// With the reader, a clock beyond the TrueTime bound breaks the snapshot
// first (R's wait for t_r ends before real time has passed t_r), and
// external consistency and the consistent snapshot too.
func TestClockBeyondBoundBreaksSnapshotsToo(t *testing.T) {
	p := spanner.DefaultParams()
	p.Mutant = spanner.MutClockBeyondBound
	res := check(t, p, explore.Options{Workers: 1, KeepGoing: true})
	got := map[string]int{}
	for _, v := range res.Violations {
		got[v.Property] = v.Path.Len()
	}
	want := map[string]int{spanner.PropMVCCSnapshot: 4, spanner.PropExternalConsistency: 6, spanner.PropConsistentSnapshot: 10}
	if res.Status != explore.Violated || !maps.Equal(got, want) {
		t.Errorf("%v %v, want %v", res.Status, got, want)
	}
}

// The commit wait is what makes a writer visible only after real time has
// passed its timestamp: with it, a writer is never visible at the real
// time it committed; the sometimes property commit-waited shows a wait
// across a tick.
func TestNoWriterIsVisibleBeforeRealTimePassesItsTimestamp(t *testing.T) {
	sp := newSpec(t, spanner.DefaultParams())
	visibleEarly := explore.Invariant[state, action]("visible-after-ts", func(s state) error {
		for _, w := range s.W {
			if w.Phase == spanner.Visible && int(s.Now) <= int(w.TS) {
				return errorf("visible at real time %d with ts %d", s.Now, w.TS)
			}
		}
		return nil
	})
	res, err := explore.Check[state, action](sp, append(properties(sp), visibleEarly), explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != explore.OK {
		t.Fatalf("%v %+v", res.Status, res.Violation)
	}
}

// Fingerprint is exact: no two reachable states share one.
func TestFingerprintIsInjectiveOnReachableStates(t *testing.T) {
	for _, p := range []spanner.Params{spanner.DefaultParams(), {Eps: 2, Ticks: 8, Reads: true, Reader: true, Mutant: spanner.MutClockBeyondBound}} {
		sp := newSpec(t, p)
		seen := map[uint64]state{}
		queue := sp.Init()
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			sp.Next(s, func(_ action, n state, _ bool) {
				f := sp.Fingerprint(n)
				if old, ok := seen[f]; ok {
					if old != n {
						t.Fatalf("%+v and %+v share fingerprint %x", old, n, f)
					}
					return
				}
				seen[f] = n
				queue = append(queue, n)
			})
		}
		if len(seen) < 1000 {
			t.Errorf("%+v: only %d states", p, len(seen))
		}
	}
}

func TestNewRejectsBoundsOutOfRange(t *testing.T) {
	for _, p := range []spanner.Params{
		{Eps: 0, Ticks: 4}, {Eps: spanner.MaxEps + 1, Ticks: 4}, {Eps: 1, Ticks: spanner.MinTicks - 1}, {Eps: 1, Ticks: spanner.MaxTicks + 1}, {Eps: 1, Ticks: 4, Mutant: "no-such"},
	} {
		if _, err := spanner.New(p); err == nil || !strings.HasPrefix(err.Error(), "spanner: ") {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestLabelsNameTheTrueTimeReading(t *testing.T) {
	sp := newSpec(t, spanner.DefaultParams())
	var labels []string
	sp.Next(sp.Init()[0], func(a action, _ state, _ bool) { labels = append(labels, sp.Label(sp.Init()[0], a)) })
	want := []string{
		"tick: real time 1",
		"T1 starts at real time 0",
		"T2 starts at real time 0",
		"R starts at real time 0: clock -1 (error -1), TT.now() = [-2, 0], t_r = 0",
		"R starts at real time 0: clock 0 (error +0), TT.now() = [-1, 1], t_r = 1",
		"R starts at real time 0: clock 1 (error +1), TT.now() = [0, 2], t_r = 2",
	}
	if !slices.Equal(labels, want) {
		t.Errorf("labels:\n%s\nwant:\n%s", strings.Join(labels, "\n"), strings.Join(want, "\n"))
	}
}
