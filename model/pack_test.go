package model_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// packRoundTrip walks up to limit worlds of m breadth-first and requires
// that each, packed and unpacked, is the same world for every purpose:
// fingerprint, spec view (states, flags, timers, messages in flight,
// history) and every edge (label, fault flag, successor fingerprint).
func packRoundTrip[S, M any](t *testing.T, name string, m *model.Model[S, M], limit int) {
	t.Helper()
	seen := map[uint64]bool{}
	queue := m.Init()
	var buf []byte
	var edges, again []explore.Edge[*model.World[S, M], model.Action]
	checked := 0
	for len(queue) > 0 && checked < limit {
		w := queue[0]
		queue = queue[1:]
		if seen[m.Fingerprint(w)] {
			continue
		}
		seen[m.Fingerprint(w)] = true
		checked++
		buf = m.Pack(buf[:0], w)
		u := m.Unpack(buf)
		if err := sameView(m, w, u); err != nil {
			t.Fatalf("%s: world %d: %v", name, checked, err)
		}
		edges = explore.Edges(m, w, edges[:0])
		again = explore.Edges(m, u, again[:0])
		if len(edges) != len(again) {
			t.Fatalf("%s: world %d: %d edges, %d after a round trip", name, checked, len(edges), len(again))
		}
		for k := range edges {
			a, b := edges[k], again[k]
			if m.Label(w, a.Action) != m.Label(u, b.Action) || a.Fault != b.Fault || m.Fingerprint(a.State) != m.Fingerprint(b.State) {
				t.Fatalf("%s: world %d edge %d: %q → %#x, after a round trip %q → %#x", name, checked, k,
					m.Label(w, a.Action), m.Fingerprint(a.State), m.Label(u, b.Action), m.Fingerprint(b.State))
			}
			queue = append(queue, a.State)
		}
	}
	if checked < 10 {
		t.Fatalf("%s: only %d worlds checked", name, checked)
	}
	if m.MemBytes() <= 0 {
		t.Errorf("%s: the intern tables report no memory", name)
	}
}

func sameView[S, M any](m *model.Model[S, M], w, u *model.World[S, M]) error {
	if m.Fingerprint(w) != m.Fingerprint(u) {
		return fmt.Errorf("fingerprint %#x, after a round trip %#x", m.Fingerprint(w), m.Fingerprint(u))
	}
	p := m.Protocol()
	for i := range w.Nodes() {
		id := spec.NodeID(i)
		a, b := p.AppendState(nil, w.State(id)), p.AppendState(nil, u.State(id))
		if !slices.Equal(a, b) || w.Up(id) != u.Up(id) || w.Correct(id) != u.Correct(id) ||
			w.Timers(id) != u.Timers(id) || w.Issued(id) != u.Issued(id) || !slices.Equal(w.Clock(id), u.Clock(id)) {
			return fmt.Errorf("node %d differs", i)
		}
	}
	flight := func(x *model.World[S, M]) []string {
		var out []string
		x.InFlight(func(from, to spec.NodeID, msg M) { out = append(out, fmt.Sprint(from, to, p.AppendMsg(nil, msg))) })
		return out
	}
	if !slices.Equal(flight(w), flight(u)) {
		return fmt.Errorf("messages in flight %v, after a round trip %v", flight(w), flight(u))
	}
	hist := func(x *model.World[S, M]) []string {
		var out []string
		for _, e := range x.History() {
			out = append(out, fmt.Sprint(e.Seq, e.Node, p.AppendMsg(nil, e.Obs), e.Clock))
		}
		return out
	}
	if !slices.Equal(hist(w), hist(u)) {
		return fmt.Errorf("history %v, after a round trip %v", hist(w), hist(u))
	}
	wd, wu, wc := w.Spent()
	ud, uu, uc := u.Spent()
	if wd != ud || wu != uu || wc != uc || w.Stable() != u.Stable() {
		return fmt.Errorf("budgets or stabilisation differ")
	}
	return nil
}

func TestPackedWorldsAreTheSameWorlds(t *testing.T) {
	configs := []model.Config{
		{},
		{Network: model.FIFO, Drops: 1, Dups: 1},
		{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true},
		{Crashes: 1, PartialSync: true},
	}
	props := [][]spec.Property[pingState, pingMsg]{
		{gotPong},
		{gotPong, observedOnce},
		{gotPong, historyInOrder},
	}
	for ci, cfg := range configs {
		for pi, ps := range props {
			m, err := model.New(ping{n: 3}, cfg, pingWork(), ps)
			if err != nil {
				t.Fatal(err)
			}
			packRoundTrip(t, fmt.Sprintf("config %d, properties %d (ghost %s)", ci, pi, m.Ghost()), m, 3000)
		}
	}
}

var historyInOrder = spec.Property[pingState, pingMsg]{
	Name: "history-in-order", Kind: spec.Always, Needs: spec.NeedsHistory,
	State: func(v spec.View[pingState, pingMsg]) error { return nil },
}
