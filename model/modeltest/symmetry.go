package modeltest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// WantSymmetryExact checks a protocol's symmetry declaration on one
// configuration: it walks the full space naively (no explorer, a map of
// fingerprints), names each world's orbit by brute force — every renaming
// of the interchangeable nodes, each renamed world written out in full,
// the least kept, sharing nothing with the model's fingerprints — and
// then requires that the search under symmetry stores exactly one world
// per orbit, that both searches (keeping going past violations) reach the
// same verdict with the same violations at the same depths, and that
// every counterexample found under symmetry replays on the full system.
// It returns the numbers of worlds and orbits.
func WantSymmetryExact[S, M any](t testing.TB, proto spec.Protocol[S, M], cfg model.Config, work []spec.WorkItem[M], props []spec.Property[S, M]) (worlds, orbits int) {
	t.Helper()
	sym, ok := proto.(spec.Symmetric[S, M])
	if !ok {
		t.Fatalf("%T declares no symmetry", proto)
	}
	full, err := model.New(proto, cfg, work, props)
	if err != nil {
		t.Fatal(err)
	}
	perms := [][]spec.NodeID{identity(full.Init()[0].Nodes())}
	for _, g := range sym.Interchangeable() {
		var next [][]spec.NodeID
		for _, base := range perms {
			next = append(next, renamingsOf(g, base)...)
		}
		perms = next
	}
	keys := map[string]bool{}
	seen := map[uint64]bool{}
	queue := full.Init()
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		if seen[full.Fingerprint(w)] {
			continue
		}
		seen[full.Fingerprint(w)] = true
		keys[orbitKey(proto, sym, perms, cfg.Network == model.FIFO, full.Ghost() == "local order", w)] = true
		full.Next(w, func(_ model.Action, next *model.World[S, M], _ bool) { queue = append(queue, next) })
	}
	symCfg := cfg
	symCfg.Symmetry = true
	reduced, err := model.New(proto, symCfg, work, props)
	if err != nil {
		t.Fatal(err)
	}
	opts := explore.Options{KeepGoing: true}
	a, err := explore.Check(full, full.Properties(), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := explore.Check(reduced, reduced.Properties(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(seen)) != a.Stats.States {
		t.Fatalf("the naive walk saw %d worlds, the checker %d", len(seen), a.Stats.States)
	}
	if a.Status == explore.OK && b.Stats.States != int64(len(keys)) {
		t.Errorf("%d worlds stored under symmetry, but %d orbits (of %d worlds)", b.Stats.States, len(keys), len(seen))
	}
	if a.Status != b.Status || len(a.Violations) != len(b.Violations) {
		t.Fatalf("%v with %d violations without symmetry, %v with %d with it", a.Status, len(a.Violations), b.Status, len(b.Violations))
	}
	for i := range a.Violations {
		va, vb := a.Violations[i], b.Violations[i]
		if va.Property != vb.Property || va.Path.Len() != vb.Path.Len() {
			t.Errorf("%s in %d steps without symmetry, %s in %d with it", va.Property, va.Path.Len(), vb.Property, vb.Path.Len())
		}
		if _, err := explore.Replay(full, vb.Path.Chain()); err != nil {
			t.Errorf("the counterexample of %s found under symmetry does not replay on the full system: %v", vb.Property, err)
		}
	}
	return len(seen), len(keys)
}

// orbitKey names w's orbit: the least, over every renaming, of the renamed
// world written out (node by node, the messages in flight as a sorted
// multiset or, under FIFO links, one sequence per link, the history in order — or each node's, when the model keeps
// only that — and the budgets spent).
func orbitKey[S, M any](p spec.Protocol[S, M], sym spec.Symmetric[S, M], perms [][]spec.NodeID, fifo, local bool, w *model.World[S, M]) string {
	best := ""
	for _, r := range perms {
		inv := make([]spec.NodeID, len(r))
		for i, j := range r {
			inv[j] = spec.NodeID(i)
		}
		var b strings.Builder
		for j := range w.Nodes() {
			i := inv[j]
			fmt.Fprintf(&b, "%x|%v|%v|%d|%d;", p.AppendState(nil, sym.RenameState(w.State(i), r)), w.Up(i), w.Correct(i), renameTimers(sym, w.Timers(i), r), w.Issued(i))
		}
		// In flight: a multiset, or under FIFO links a sequence per link
		// (the renamed links in order, each link's messages in send order).
		var flight []string
		w.InFlight(func(from, to spec.NodeID, msg M) {
			flight = append(flight, fmt.Sprintf("%03d>%03d:%x", r[from], r[to], p.AppendMsg(nil, sym.RenameMsg(msg, r))))
		})
		if fifo {
			slices.SortStableFunc(flight, func(a, b string) int { return strings.Compare(a[:7], b[:7]) })
		} else {
			slices.Sort(flight)
		}
		fmt.Fprint(&b, flight, ";")
		if local {
			// The model keeps each node's observations in its own order
			// only: the history is one sequence per node.
			for j := range w.Nodes() {
				for _, e := range w.History() {
					if e.Node == inv[j] {
						fmt.Fprintf(&b, "%x,", p.AppendMsg(nil, sym.RenameMsg(e.Obs, r)))
					}
				}
				b.WriteString("/")
			}
		} else {
			for _, e := range w.History() {
				fmt.Fprintf(&b, "%d:%x,", r[e.Node], p.AppendMsg(nil, sym.RenameMsg(e.Obs, r)))
			}
		}
		d, u, c := w.Spent()
		fmt.Fprint(&b, d, u, c, w.Stable())
		if k := b.String(); best == "" || k < best {
			best = k
		}
	}
	return best
}

// renameTimers renames each armed timer of a set by r.
func renameTimers[S, M any](sym spec.Symmetric[S, M], set uint64, r []spec.NodeID) uint64 {
	var out uint64
	for t := range 64 {
		if set&(1<<t) != 0 {
			out |= 1 << sym.RenameTimer(spec.Timer(t), r)
		}
	}
	return out
}

func identity(n int) []spec.NodeID {
	p := make([]spec.NodeID, n)
	for i := range p {
		p[i] = spec.NodeID(i)
	}
	return p
}

// renamingsOf extends base by every permutation of group's nodes.
func renamingsOf(group, base []spec.NodeID) [][]spec.NodeID {
	var out [][]spec.NodeID
	var rec func(rest, chosen []spec.NodeID)
	rec = func(rest, chosen []spec.NodeID) {
		if len(rest) == 0 {
			p := slices.Clone(base)
			for k, id := range group {
				p[id] = chosen[k]
			}
			out = append(out, p)
			return
		}
		for i := range rest {
			next := append(slices.Clone(rest[:i]), rest[i+1:]...)
			rec(next, append(slices.Clone(chosen), rest[i]))
		}
	}
	rec(group, nil)
	return out
}
