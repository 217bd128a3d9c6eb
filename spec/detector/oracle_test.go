package detector_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/detector"
)

// graph is the whole reachable state graph of a model, for the liveness
// oracle: worlds by index, and per world its edges and the fairness
// classes enabled in it.
type graph struct {
	worlds  []world
	edges   [][]edge
	enabled []map[fairClass]bool
}

type edge struct {
	to    int
	class fairClass
}

// fairClass is what fairness asks to happen eventually: the delivery of a
// message on a link, the firing of a node's timer, stabilisation.
type fairClass struct {
	kind     model.ActionKind
	from, to spec.NodeID
	msg      detector.Msg
	timer    int
}

// reachable enumerates every world reachable in m.
func reachable(m mdl) *graph {
	g := &graph{}
	index := map[uint64]int{}
	add := func(w world) int {
		fp := m.Fingerprint(w)
		if i, ok := index[fp]; ok {
			return i
		}
		index[fp] = len(g.worlds)
		g.worlds = append(g.worlds, w)
		g.edges = append(g.edges, nil)
		g.enabled = append(g.enabled, nil)
		return len(g.worlds) - 1
	}
	for _, w := range m.Init() {
		add(w)
	}
	for i := 0; i < len(g.worlds); i++ {
		w := g.worlds[i]
		g.enabled[i] = map[fairClass]bool{}
		for _, e := range exploreEdges(m, w) {
			c := classOf(w, e.Action)
			if !e.Fault {
				g.enabled[i][c] = true
			}
			g.edges[i] = append(g.edges[i], edge{to: add(e.State), class: c})
		}
	}
	return g
}

func exploreEdges(m mdl, w world) []explore.Edge[world, model.Action] {
	return explore.Edges[world, model.Action](m, w, nil)
}

func classOf(w world, a model.Action) fairClass {
	c := fairClass{kind: a.Kind, from: -1, to: -1, timer: -1}
	switch a.Kind {
	case model.Deliver, model.Drop, model.Duplicate:
		i := 0
		w.InFlight(func(from, to spec.NodeID, msg detector.Msg) {
			if i == a.Index {
				c.from, c.to, c.msg = from, to, msg
			}
			i++
		})
	case model.Fire:
		c.to, c.timer = a.Node, a.Index
	case model.Crash:
		c.to = a.Node
	}
	return c
}

// fairCycleThrough reports whether some strongly fair cycle passes
// through a world where bad holds: a cycle on which every class enabled
// in one of its worlds is also taken. It is the textbook emptiness check
// of a Streett condition: in each strongly connected component, if a
// class is enabled somewhere but taken nowhere inside, drop the worlds
// where it is enabled and look again; a component that needs no dropping
// is one fair cycle through all its worlds.
func (g *graph) fairCycleThrough(bad func(world) bool) bool {
	all := make([]int, len(g.worlds))
	for i := range all {
		all[i] = i
	}
	return g.search(all, bad)
}

func (g *graph) search(nodes []int, bad func(world) bool) bool {
	for _, comp := range g.components(nodes) {
		in := map[int]bool{}
		for _, v := range comp {
			in[v] = true
		}
		taken := map[fairClass]bool{}
		internal := false
		for _, v := range comp {
			for _, e := range g.edges[v] {
				if in[e.to] {
					taken[e.class], internal = true, true
				}
			}
		}
		if !internal {
			continue // a single world without a self-loop: no cycle
		}
		var keep []int
		for _, v := range comp {
			ok := true
			for c := range g.enabled[v] {
				if !taken[c] {
					ok = false
				}
			}
			if ok {
				keep = append(keep, v)
			}
		}
		if len(keep) == len(comp) {
			if slices.ContainsFunc(comp, func(v int) bool { return bad(g.worlds[v]) }) {
				return true
			}
			continue
		}
		if g.search(keep, bad) {
			return true
		}
	}
	return false
}

// components returns the strongly connected components of the subgraph
// on nodes (Tarjan's algorithm, iterative).
func (g *graph) components(nodes []int) [][]int {
	in := map[int]bool{}
	for _, v := range nodes {
		in[v] = true
	}
	index, low := map[int]int{}, map[int]int{}
	onStack := map[int]bool{}
	var stack []int
	var out [][]int
	next := 0
	type frame struct{ v, e int }
	for _, root := range nodes {
		if _, seen := index[root]; seen {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack, onStack[root] = append(stack, root), true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.e < len(g.edges[f.v]) {
				w := g.edges[f.v][f.e].to
				f.e++
				if !in[w] {
					continue
				}
				if _, seen := index[w]; !seen {
					index[w], low[w] = next, next
					next++
					stack, onStack[w] = append(stack, w), true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				out = append(out, comp)
			}
		}
	}
	return out
}

// liveViolations names the liveness properties that some fair cycle of m
// violates.
func liveViolations(m mdl) []string {
	g := reachable(m)
	var out []string
	for _, p := range detector.Properties() {
		if p.Kind != spec.EventuallyAlways {
			continue
		}
		if g.fairCycleThrough(func(w world) bool { return p.State(w) != nil }) {
			out = append(out, p.Name)
		}
	}
	return out
}

// The lasso check (model.Lasso, weak fairness on deliveries and on timers
// left armed) and the oracle (strong fairness over the whole state graph,
// by strongly connected components) agree on every row: which liveness
// property some fair cycle violates.
func TestLassoAgreesWithOracle(t *testing.T) {
	t.Parallel()
	for _, row := range verdictRows {
		p := detector.DefaultParams()
		p.Mutant = row.mutant
		m := build(t, p, row.cfg)
		l, err := model.NewLasso(m)
		if err != nil {
			t.Fatal(err)
		}
		props, err := l.Properties()
		if err != nil {
			t.Fatal(err)
		}
		res, err := explore.Check(l, props, explore.Options{Workers: 1, KeepGoing: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stopped != "" || l.Overflow() != nil {
			t.Fatalf("%s: stopped by %q, %v", row.name, res.Stopped, l.Overflow())
		}
		var got []string
		for _, v := range res.Violations {
			if v.Property == detector.PropCompleteness || v.Property == detector.PropEventualAccuracy {
				got = append(got, v.Property)
			}
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(liveViolations(m)))
		if !slices.Equal(got, want) {
			t.Errorf("%s: lassos violate %v, the oracle's fair cycles %v", row.name, got, want)
		}
	}
}
