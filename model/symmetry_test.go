package model_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

// orbitKey names w's orbit by brute force: for every renaming of the
// interchangeable nodes it writes the renamed world out in full (node by
// node, messages in flight as a sorted multiset, the history in order) and
// keeps the least. It shares nothing with model's fingerprints.
func orbitKey[S, M any](m *model.Model[S, M], sym spec.Symmetric[S, M], perms [][]spec.NodeID, w *model.World[S, M]) string {
	p := m.Protocol()
	best := ""
	for _, r := range perms {
		inv := make([]spec.NodeID, len(r))
		for i, j := range r {
			inv[j] = spec.NodeID(i)
		}
		var b strings.Builder
		for j := range w.Nodes() {
			i := inv[j]
			fmt.Fprintf(&b, "%x|%v|%v|%d|%d;", p.AppendState(nil, sym.RenameState(w.State(i), r)), w.Up(i), w.Correct(i), w.Timers(i), w.Issued(i))
		}
		var flight []string
		w.InFlight(func(from, to spec.NodeID, msg M) {
			flight = append(flight, fmt.Sprintf("%d>%d:%x", r[from], r[to], p.AppendMsg(nil, sym.RenameMsg(msg, r))))
		})
		slices.Sort(flight)
		fmt.Fprint(&b, flight, ";")
		for _, e := range w.History() {
			fmt.Fprintf(&b, "%d:%x,", r[e.Node], p.AppendMsg(nil, sym.RenameMsg(e.Obs, r)))
		}
		d, u, c := w.Spent()
		fmt.Fprint(&b, d, u, c, w.Stable())
		if k := b.String(); best == "" || k < best {
			best = k
		}
	}
	return best
}

func allPerms(group []spec.NodeID, n int) [][]spec.NodeID {
	var out [][]spec.NodeID
	var rec func(rest []spec.NodeID, chosen []spec.NodeID)
	rec = func(rest, chosen []spec.NodeID) {
		if len(rest) == 0 {
			p := make([]spec.NodeID, n)
			for i := range p {
				p[i] = spec.NodeID(i)
			}
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

// TestSymmetryStoresOneWorldPerOrbit: on small quorum configurations the
// symmetric model stores exactly as many worlds as there are orbits of the
// full space, counted by brute force, and every verdict is the same.
func TestSymmetryStoresOneWorldPerOrbit(t *testing.T) {
	cases := []struct {
		p   quorum.Params
		cfg model.Config
	}{
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 1, Readers: 1}, model.Config{}},
		{quorum.Params{N: 3, W: 1, R: 2, Writes: 1, Reads: 1, Readers: 1}, model.Config{}},
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 0, Readers: 1}, model.Config{Crashes: 1, CrashMode: model.CrashRecover, Network: model.FIFO}},
		// Write-back: a reader's acknowledgements (Got) name replicas too.
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 1, Readers: 1, WriteBack: true}, model.Config{}},
		{quorum.Params{N: 2, W: 2, R: 1, Writes: 1, Reads: 2, Readers: 1, WriteBack: true}, model.Config{}},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%+v %v", c.p, c.cfg)
		proto, err := quorum.New(c.p)
		if err != nil {
			t.Fatal(err)
		}
		full, err := model.New(proto, c.cfg, proto.Workload(), proto.Checked())
		if err != nil {
			t.Fatal(err)
		}
		perms := allPerms(proto.Interchangeable()[0], proto.Nodes())
		orbits := map[string]bool{}
		seen := map[uint64]bool{}
		queue := full.Init()
		for len(queue) > 0 {
			w := queue[0]
			queue = queue[1:]
			if seen[full.Fingerprint(w)] {
				continue
			}
			seen[full.Fingerprint(w)] = true
			orbits[orbitKey(full, spec.Symmetric[quorum.State, quorum.Msg](proto), perms, w)] = true
			full.Next(w, func(_ model.Action, t *model.World[quorum.State, quorum.Msg], _ bool) { queue = append(queue, t) })
		}
		symCfg := c.cfg
		symCfg.Symmetry = true
		reduced, err := model.New(proto, symCfg, proto.Workload(), proto.Checked())
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
			t.Fatalf("%s: the naive walk saw %d worlds, the checker %d", name, len(seen), a.Stats.States)
		}
		if a.Status == explore.OK && b.Stats.States != int64(len(orbits)) {
			t.Errorf("%s: %d worlds with symmetry, %d orbits (of %d worlds)", name, b.Stats.States, len(orbits), len(seen))
		}
		if a.Status != b.Status || len(a.Violations) != len(b.Violations) {
			t.Errorf("%s: %v / %d violations without symmetry, %v / %d with", name, a.Status, len(a.Violations), b.Status, len(b.Violations))
			continue
		}
		for i := range a.Violations {
			if a.Violations[i].Property != b.Violations[i].Property || a.Violations[i].Path.Len() != b.Violations[i].Path.Len() {
				t.Errorf("%s: %s in %d steps without symmetry, %s in %d with", name, a.Violations[i].Property, a.Violations[i].Path.Len(), b.Violations[i].Property, b.Violations[i].Path.Len())
			}
			// A counterexample under symmetry is an execution of the full system.
			if _, err := explore.Replay(full, b.Violations[i].Path.Chain()); err != nil {
				t.Errorf("%s: the reduced counterexample does not replay without symmetry: %v", name, err)
			}
		}
		t.Logf("%s: %d worlds, %d orbits, %v", name, len(seen), len(orbits), b.Status)
	}
}

// TestSymmetryIsRefusedWhereItIsUnsound: mid-step crashes and byzantine
// nodes break the symmetry of the transition relation.
func TestSymmetryIsRefusedWhereItIsUnsound(t *testing.T) {
	proto, err := quorum.New(quorum.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []model.Config{
		{Symmetry: true, Crashes: 1, CrashMidStep: true},
	} {
		if _, err := model.New(proto, cfg, proto.Workload(), quorum.Properties()); err == nil {
			t.Errorf("%v: accepted", cfg)
		}
	}
	if _, err := model.New(ping{n: 2}, model.Config{Symmetry: true}, pingWork(), nil); err == nil {
		t.Errorf("a protocol without spec.Symmetric: accepted")
	}
}
