package explore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distsys/distsys/explore"
)

type prop = explore.Property[point, move]

func run(t *testing.T, sys explore.System[point, move], opts explore.Options, props ...prop) explore.Result[point, move] {
	t.Helper()
	res, err := explore.Check(sys, props, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var strategies = []struct {
	name string
	opts explore.Options
}{
	{"bfs-1", explore.Options{Workers: 1}},
	{"bfs-2", explore.Options{Workers: 2}},
	{"bfs-4", explore.Options{Workers: 4}},
	{"dfs", explore.Options{Strategy: explore.DFS}},
}

func TestExhaustiveSearchCountsEveryStateAndEdge(t *testing.T) {
	for _, st := range strategies {
		for _, k := range []int{0, 1, 7, 60} {
			res := run(t, grid{k: k}, st.opts)
			states, trans := int64((k+1)*(k+1)), int64(2*k*(k+1)+1)
			if res.Status != explore.OK || res.Stats.States != states || res.Stats.Transitions != trans {
				t.Errorf("%s k=%d: %v states %d transitions %d, want ok %d %d", st.name, k, res.Status, res.Stats.States, res.Stats.Transitions, states, trans)
			}
			if st.opts.Strategy == explore.BFS && res.Stats.MaxDepth != 2*k {
				t.Errorf("%s k=%d: depth %d, want %d", st.name, k, res.Stats.MaxDepth, 2*k)
			}
		}
	}
}

func forbid(x, y int) prop {
	return explore.Invariant[point, move]("not-"+fmt.Sprint(x, y), func(p point) error {
		if p.x == x && p.y == y {
			return fmt.Errorf("reached %d,%d", x, y)
		}
		return nil
	})
}

func TestBFSFindsTheShortestCounterexampleAndItReplays(t *testing.T) {
	for _, st := range strategies {
		res := run(t, grid{k: 20}, st.opts, forbid(7, 5))
		if res.Status != explore.Violated || res.Violation.Property != "not-7 5" {
			t.Fatalf("%s: %v %+v", st.name, res.Status, res.Violation)
		}
		path := res.Violation.Path
		if last := path.Last(); last != (point{7, 5}) {
			t.Fatalf("%s: path ends at %v", st.name, last)
		}
		if st.opts.Strategy == explore.BFS && path.Len() != 12 {
			t.Errorf("%s: counterexample has %d steps, want the shortest, 12", st.name, path.Len())
		}
		var labels []string
		for _, s := range path.Steps {
			labels = append(labels, s.Label)
		}
		again, err := explore.ReplayLabels[point, move](grid{k: 20}, 0, labels)
		if err != nil || again.Last() != (point{7, 5}) {
			t.Fatalf("%s: replay by labels: %v, ends at %v", st.name, err, again.Last())
		}
	}
}

func TestTransitionPropertySeesEveryEdgeIncludingOldStates(t *testing.T) {
	// Moving up from column 3 is forbidden; (3, y) for y > 0 is first
	// reached from the left, so only an edge check catches the up move.
	upFrom3 := explore.TransitionInvariant("no-up-in-column-3", func(from point, m move, to point) error {
		if m == 'u' && from.x == 3 {
			return errors.New("moved up in column 3")
		}
		return nil
	})
	for _, st := range strategies {
		res := run(t, grid{k: 6}, st.opts, upFrom3)
		if res.Status != explore.Violated || res.Violation.Kind != explore.OnTransition {
			t.Fatalf("%s: %v %+v", st.name, res.Status, res.Violation)
		}
		steps := res.Violation.Path.Steps
		last := steps[len(steps)-1]
		if last.Action != 'u' || last.State.x != 3 {
			t.Fatalf("%s: last step %q to %v", st.name, last.Label, last.State)
		}
		if st.opts.Strategy == explore.BFS && len(steps) != 4 {
			t.Errorf("%s: %d steps, want 4", st.name, len(steps))
		}
	}
}

func TestQuiescenceIgnoresFaultEdges(t *testing.T) {
	// Only the far corner is quiescent: every other point can still move,
	// and the glitch fault edge does not count as a move.
	corner := explore.QuiescentInvariant[point, move]("never-stuck", func(p point) error {
		return fmt.Errorf("stuck at %d,%d", p.x, p.y)
	})
	for _, st := range strategies {
		res := run(t, grid{k: 4, glitch: true}, st.opts, corner)
		if res.Status != explore.Violated || res.Violation.Path.Last() != (point{4, 4}) {
			t.Fatalf("%s: %v %+v", st.name, res.Status, res.Violation)
		}
	}
	res := run(t, grid{k: 4, glitch: true}, explore.Options{Workers: 1})
	if res.Stats.Transitions != 2*4*5+1+4*5 {
		t.Errorf("with glitches: %d transitions, want %d", res.Stats.Transitions, 2*4*5+1+4*5)
	}
}

func TestSometimesIsReachedWithAWitnessOrReportedUnreached(t *testing.T) {
	diag := explore.Reachable[point, move]("diagonal-3", func(p point) bool { return p.x == 3 && p.y == 3 })
	never := explore.Reachable[point, move]("outside", func(p point) bool { return p.x > 100 })
	for _, st := range strategies {
		res := run(t, grid{k: 5}, st.opts, diag)
		if res.Status != explore.OK || !res.Sometimes[0].Reached || res.Sometimes[0].Path.Last() != (point{3, 3}) {
			t.Fatalf("%s: %v %+v", st.name, res.Status, res.Sometimes)
		}
		res = run(t, grid{k: 5}, st.opts, diag, never)
		if res.Status != explore.Violated || res.Violation.Property != "outside" || res.Violation.Kind != explore.Sometimes {
			t.Fatalf("%s: unreached sometimes gave %v %+v", st.name, res.Status, res.Violation)
		}
	}
}

func TestBoundsGiveIncompleteNeverOK(t *testing.T) {
	res := run(t, grid{k: 10}, explore.Options{Workers: 1, MaxStates: 50})
	if res.Status != explore.Incomplete || res.Stopped != "max-states 50" || res.Stats.States != 50 {
		t.Errorf("max-states: %v %q %d", res.Status, res.Stopped, res.Stats.States)
	}
	res = run(t, grid{k: 10}, explore.Options{Workers: 2, MaxDepth: 5})
	if res.Status != explore.Incomplete || res.Stopped != "max-depth 5" || res.Stats.MaxDepth != 5 {
		t.Errorf("max-depth: %v %q %d", res.Status, res.Stopped, res.Stats.MaxDepth)
	}
	// A depth bound at the diameter cuts nothing off: the result is OK.
	res = run(t, grid{k: 10}, explore.Options{Workers: 2, MaxDepth: 20})
	if res.Status != explore.OK {
		t.Errorf("depth bound at the diameter: %v %q", res.Status, res.Stopped)
	}
	res = run(t, grid{k: 10}, explore.Options{Strategy: explore.DFS, MaxDepth: 5})
	if res.Status != explore.Incomplete {
		t.Errorf("dfs max-depth: %v", res.Status)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res = run(t, grid{k: 10}, explore.Options{Context: ctx})
	if res.Status != explore.Incomplete || res.Stopped != "cancelled" {
		t.Errorf("cancelled: %v %q", res.Status, res.Stopped)
	}
	res = run(t, grid{k: 1000, delay: time.Millisecond}, explore.Options{Timeout: 20 * time.Millisecond})
	if res.Status != explore.Incomplete || !strings.HasPrefix(res.Stopped, "timeout") {
		t.Errorf("timeout: %v %q", res.Status, res.Stopped)
	}
}

func TestRandomSimulationIsReproducibleAndNeverOK(t *testing.T) {
	opts := explore.Options{Strategy: explore.Random, Seed: 42, Walks: 50, MaxDepth: 30}
	a := run(t, grid{k: 20}, opts, forbid(9, 9))
	b := run(t, grid{k: 20}, opts, forbid(9, 9))
	if a.Status != explore.Violated || a.Seed != 42 {
		t.Fatalf("random: %v seed %d", a.Status, a.Seed)
	}
	if a.Violation.Path.String() != b.Violation.Path.String() {
		t.Fatalf("same seed, different counterexamples:\n%s\n%s", a.Violation.Path, b.Violation.Path)
	}
	c := run(t, grid{k: 3}, opts)
	if c.Status != explore.Incomplete || c.Stats.States != 16 {
		t.Fatalf("random on a tiny space: %v %d states", c.Status, c.Stats.States)
	}
	d := run(t, grid{k: 3}, explore.Options{Strategy: explore.Random})
	if d.Seed == 0 {
		t.Fatal("random with seed 0 did not report the seed it chose")
	}
}

func TestProgressIsReported(t *testing.T) {
	var calls atomic.Int32
	opts := explore.Options{Workers: 1, ProgressEvery: time.Millisecond, Progress: func(p explore.Progress) {
		calls.Add(1)
	}}
	run(t, grid{k: 8, delay: 200 * time.Microsecond}, opts)
	if calls.Load() == 0 {
		t.Fatal("no progress report during a run of several milliseconds")
	}
}

func TestMalformedInputIsAnError(t *testing.T) {
	bad := []struct {
		opts  explore.Options
		props []prop
	}{
		{explore.Options{Workers: -1}, nil},
		{explore.Options{MaxStates: -1}, nil},
		{explore.Options{Strategy: 9}, nil},
		{explore.Options{}, []prop{{Name: "x", Kind: explore.Always}}},
		{explore.Options{}, []prop{forbid(1, 1), forbid(1, 1)}},
		{explore.Options{}, []prop{{Kind: explore.Always, State: func(point) error { return nil }}}},
	}
	for i, b := range bad {
		if _, err := explore.Check[point, move](grid{k: 1}, b.props, b.opts); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

func TestKeepGoingFindsTheShortestViolationOfEachProperty(t *testing.T) {
	far, near := forbid(6, 6), forbid(1, 2)
	upFrom3 := explore.TransitionInvariant("no-up-in-column-3", func(from point, m move, to point) error {
		if m == 'u' && from.x == 3 {
			return errors.New("moved up in column 3")
		}
		return nil
	})
	for _, st := range strategies[:3] {
		opts := st.opts
		opts.KeepGoing = true
		holds := forbid(9, 9) // outside the grid: keeps the search going to the end
		res := run(t, grid{k: 8}, opts, far, upFrom3, holds, near, explore.Reachable[point, move]("corner", func(p point) bool { return p == (point{8, 8}) }))
		if res.Status != explore.Violated || len(res.Violations) != 3 {
			t.Fatalf("%s: %v, %d violations", st.name, res.Status, len(res.Violations))
		}
		// In the order the properties were given, each shortest.
		want := []struct {
			prop string
			len  int
		}{{"not-6 6", 12}, {"no-up-in-column-3", 4}, {"not-1 2", 3}}
		for i, w := range want {
			v := res.Violations[i]
			if v.Property != w.prop || v.Path.Len() != w.len {
				t.Errorf("%s: violation %d is %s in %d steps, want %s in %d", st.name, i, v.Property, v.Path.Len(), w.prop, w.len)
			}
		}
		if res.Violation.Property != "not-1 2" {
			t.Errorf("%s: first violation %s, want the shortest overall", st.name, res.Violation.Property)
		}
		// The search went on to the end: the far corner was reached.
		if !res.Sometimes[0].Reached || res.Stats.States != 81 {
			t.Errorf("%s: %d states, corner reached %v", st.name, res.Stats.States, res.Sometimes[0].Reached)
		}
	}
	// Once every safety property is violated there is nothing left to
	// learn: the search stops early.
	res := run(t, grid{k: 8}, explore.Options{Workers: 1, KeepGoing: true}, far, near)
	if len(res.Violations) != 2 || res.Stats.States >= 81 {
		t.Errorf("all violated: %d violations after %d states", len(res.Violations), res.Stats.States)
	}
	// A bound still makes it incomplete, and says so.
	res = run(t, grid{k: 8}, explore.Options{Workers: 1, KeepGoing: true, MaxDepth: 5}, far, near)
	if res.Status != explore.Violated || len(res.Violations) != 1 || res.Stopped != "max-depth 5" {
		t.Errorf("bounded keep-going: %v %d %q", res.Status, len(res.Violations), res.Stopped)
	}
}
