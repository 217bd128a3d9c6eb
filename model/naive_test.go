package model_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// naive is a second composition of N nodes under a system model, written
// from the documentation of model.Config, model.Model's Init and Next,
// spec.Protocol, spec.Needs and spec.Adversary, and nothing of model's
// code: a world is a plain value, its identity the full canonical string
// of everything in it, and the search a breadth-first walk over a Go map.
// It is slow and obviously right, so that it can say how many worlds and
// transitions the fast composition should find.
type naive[S, M any] struct {
	proto spec.Protocol[S, M]
	cfg   model.Config
	n     int
	work  [][]spec.WorkItem[M] // per node, in issue order
	// Ghost state: a history of observations (history), in real-time
	// order (ordered), with vector clocks of happens-before (hb).
	history, ordered, hb bool
	chooser              spec.Chooser[S, M]
	forgeries            [][]nForgery[M] // per byzantine node
}

type nForgery[M any] struct {
	to  spec.NodeID
	msg M
}

// nWorld is one global state. Worlds are never changed once built: a step
// copies what it changes.
type nWorld[S, M any] struct {
	nodes  []nNode[S]
	net    []nPacket[M] // in send order (which FIFO links keep)
	cursor []int        // per node: work items issued
	hist   []nEvent[M]
	stable bool
	drops  int
	dups   int
	crash  int
}

type nNode[S any] struct {
	state   S
	up      bool
	crashed bool // crashed at least once, or byzantine: never correct
	timers  map[spec.Timer]bool
	forged  []bool // byzantine: forgery k sent
	clock   spec.VClock
}

type nPacket[M any] struct {
	from, to spec.NodeID
	msg      M
	clock    spec.VClock
}

type nEvent[M any] struct {
	node  spec.NodeID
	obs   M
	clock spec.VClock
}

func newNaive[S, M any](proto spec.Protocol[S, M], cfg model.Config, work []spec.WorkItem[M], props []spec.Property[S, M]) *naive[S, M] {
	z := &naive[S, M]{proto: proto, cfg: cfg, n: proto.Nodes(), work: make([][]spec.WorkItem[M], proto.Nodes())}
	for _, w := range work {
		z.work[w.Node] = append(z.work[w.Node], w)
	}
	// spec.Needs: any of the three keeps a history; NeedsHistory keeps its
	// real-time order, NeedsHappensBefore adds the clocks (and alone keeps
	// no real-time order), NeedsLocalOrder keeps each node's order only.
	for _, p := range props {
		z.history = z.history || p.Needs != 0
		z.ordered = z.ordered || p.Needs&spec.NeedsHistory != 0
		z.hb = z.hb || p.Needs&spec.NeedsHappensBefore != 0
	}
	z.chooser, _ = proto.(spec.Chooser[S, M])
	if adv, ok := proto.(spec.Adversary[M]); ok {
		z.forgeries = make([][]nForgery[M], z.n)
		for i := range z.n {
			if !cfg.IsByzantine(i) {
				continue
			}
			for j := range z.n {
				for _, msg := range adv.Forgeries(spec.NodeID(i), spec.NodeID(j)) {
					z.forgeries[i] = append(z.forgeries[i], nForgery[M]{spec.NodeID(j), msg})
				}
			}
		}
	}
	return z
}

// copy returns a deep enough copy of w to change into a successor (states
// and messages are values Step never mutates; clocks are replaced, never
// changed in place).
func (w *nWorld[S, M]) copy() *nWorld[S, M] {
	c := *w
	c.nodes = slices.Clone(w.nodes)
	for i := range c.nodes {
		t := map[spec.Timer]bool{}
		for k, v := range w.nodes[i].timers {
			t[k] = v
		}
		c.nodes[i].timers = t
		c.nodes[i].forged = slices.Clone(w.nodes[i].forged)
	}
	c.net = slices.Clone(w.net)
	c.cursor = slices.Clone(w.cursor)
	c.hist = slices.Clone(w.hist)
	return &c
}

// key is w's identity: the canonical text of everything the world holds.
func (z *naive[S, M]) key(w *nWorld[S, M]) string {
	var b strings.Builder
	for i, nd := range w.nodes {
		var timers []int
		for t, on := range nd.timers {
			if on {
				timers = append(timers, int(t))
			}
		}
		slices.Sort(timers)
		fmt.Fprintf(&b, "n%d{%x up=%v crashed=%v timers=%v forged=%v issued=%d", i, z.proto.AppendState(nil, nd.state), nd.up, nd.crashed, timers, nd.forged, w.cursor[i])
		if z.hb {
			fmt.Fprintf(&b, " clock=%v", []uint32(nd.clock))
		}
		b.WriteString("}")
	}
	// The network: a multiset when unordered (sorted), a sequence per link
	// under FIFO (links in order, each in send order).
	pk := make([]string, len(w.net))
	for i, p := range w.net {
		pk[i] = fmt.Sprintf("%03d>%03d:%x", p.from, p.to, z.proto.AppendMsg(nil, p.msg))
		if z.hb {
			pk[i] += fmt.Sprintf("@%v", []uint32(p.clock))
		}
	}
	if z.cfg.Network == model.FIFO {
		order := make([]int, len(w.net))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, c int) int {
			pa, pc := w.net[a], w.net[c]
			if pa.from != pc.from {
				return int(pa.from) - int(pc.from)
			}
			return int(pa.to) - int(pc.to)
		})
		sorted := make([]string, len(order))
		for i, k := range order {
			sorted[i] = pk[k]
		}
		pk = sorted
	} else {
		slices.Sort(pk)
	}
	fmt.Fprintf(&b, " net=%q", pk)
	fmt.Fprintf(&b, " drops=%d dups=%d crashes=%d stable=%v", w.drops, w.dups, w.crash, w.stable)
	// The ghost history, as the kept order says: all of it in real time;
	// with clocks only, a multiset of events; in each node's order only,
	// one sequence per node.
	ev := make([]string, len(w.hist))
	for i, e := range w.hist {
		ev[i] = fmt.Sprintf("%d:%x", e.node, z.proto.AppendMsg(nil, e.obs))
		if z.hb {
			ev[i] += fmt.Sprintf("@%v", []uint32(e.clock))
		}
	}
	switch {
	case z.ordered:
	case z.hb:
		slices.Sort(ev)
	default:
		slices.SortStableFunc(ev, func(a, c string) int {
			return strings.Compare(a[:strings.IndexByte(a, ':')], c[:strings.IndexByte(c, ':')])
		})
	}
	fmt.Fprintf(&b, " hist=%q", ev)
	return b.String()
}

// initial returns the initial worlds: every node initialised and started in
// node order (a byzantine node runs no Step and is never correct), each
// Start step possibly cut short by a crash mid-step while budget lasts.
func (z *naive[S, M]) initial() []*nWorld[S, M] {
	w := &nWorld[S, M]{nodes: make([]nNode[S], z.n), cursor: make([]int, z.n)}
	for i := range z.n {
		w.nodes[i] = nNode[S]{state: z.proto.Init(spec.NodeID(i)), up: true, crashed: z.cfg.IsByzantine(i), timers: map[spec.Timer]bool{}}
		if z.hb {
			w.nodes[i].clock = make(spec.VClock, z.n)
		}
		if z.forgeries != nil {
			w.nodes[i].forged = make([]bool, len(z.forgeries[i]))
		}
	}
	worlds := []*nWorld[S, M]{w}
	for i := range z.n {
		if z.cfg.IsByzantine(i) {
			continue
		}
		var next []*nWorld[S, M]
		for _, w := range worlds {
			for _, e := range z.nodeStep(w, spec.NodeID(i), spec.Input[M]{Kind: spec.Start}, -1) {
				next = append(next, e)
			}
		}
		worlds = next
	}
	return worlds
}

// nodeStep returns the worlds after node i takes input in (consuming
// packet consumed, or -1): the whole step first, then, with crashes
// mid-step and budget left, the step cut short after each k of its sends
// (k below their number).
func (z *naive[S, M]) nodeStep(w *nWorld[S, M], i spec.NodeID, in spec.Input[M], consumed int) []*nWorld[S, M] {
	out := []*nWorld[S, M]{z.apply(w, i, in, consumed, -1)}
	if !z.cfg.CrashMidStep || w.crash >= z.cfg.Crashes {
		return out
	}
	_, outs := z.proto.Step(w.nodes[i].state, in)
	sends := 0
	for _, o := range outs {
		if o.Kind == spec.Send {
			sends++
		}
	}
	for k := range sends {
		out = append(out, z.apply(w, i, in, consumed, k))
	}
	return out
}

func (z *naive[S, M]) apply(w *nWorld[S, M], i spec.NodeID, in spec.Input[M], consumed, cut int) *nWorld[S, M] {
	nw := w.copy()
	nd := &nw.nodes[i]
	var got spec.VClock
	if consumed >= 0 {
		got = w.net[consumed].clock
		nw.net = slices.Delete(nw.net, consumed, consumed+1)
	}
	state, outs := z.proto.Step(nd.state, in)
	nd.up = true
	switch in.Kind {
	case spec.Fire:
		delete(nd.timers, in.Timer)
	case spec.Request:
		nw.cursor[i]++
	}
	if z.hb {
		c := nd.clock
		if consumed >= 0 {
			c = c.Merge(got)
		}
		nd.clock = c.Tick(i)
	}
	nd.state = state
	sent := 0
outputs:
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			if sent == cut {
				break outputs
			}
			sent++
			nw.net = append(nw.net, nPacket[M]{from: i, to: o.To, msg: o.Msg, clock: nd.clock})
		case spec.SetTimer:
			nd.timers[o.Timer] = true
		case spec.CancelTimer:
			delete(nd.timers, o.Timer)
		case spec.Observe:
			if z.history {
				nw.hist = append(nw.hist, nEvent[M]{node: i, obs: o.Msg, clock: nd.clock})
			}
		}
	}
	if cut >= 0 {
		z.down(nw, i)
	}
	return nw
}

// down crashes node i of nw.
func (z *naive[S, M]) down(nw *nWorld[S, M], i spec.NodeID) {
	nd := &nw.nodes[i]
	nd.up, nd.crashed = false, true
	nd.timers = map[spec.Timer]bool{}
	if z.cfg.CrashMode == model.CrashRecover {
		nd.state = z.proto.Crash(nd.state)
	}
	nw.crash++
}

// next returns every transition enabled in w (its successor worlds).
func (z *naive[S, M]) next(w *nWorld[S, M]) []*nWorld[S, M] {
	var out []*nWorld[S, M]
	// One delivery, drop or duplication per packet content and resulting
	// world: two copies of a message are one choice.
	perContent := func(ok func(k int) bool, succ func(k int) *nWorld[S, M]) {
		done := map[string]bool{}
		for k, p := range w.net {
			if !ok(k) {
				continue
			}
			nw := succ(k)
			id := fmt.Sprintf("%d>%d:%x@%v|%s", p.from, p.to, z.proto.AppendMsg(nil, p.msg), []uint32(p.clock), z.key(nw))
			if !done[id] {
				done[id] = true
				out = append(out, nw)
			}
		}
	}
	// Deliveries: any message (FIFO: the oldest of its link). A message to
	// a node that is down, or byzantine, is gone and nothing else happens.
	deliverable := func(k int) bool {
		if z.cfg.Network != model.FIFO {
			return true
		}
		for _, q := range w.net[:k] {
			if q.from == w.net[k].from && q.to == w.net[k].to {
				return false
			}
		}
		return true
	}
	done := map[string]bool{}
	for k, p := range w.net {
		if !deliverable(k) {
			continue
		}
		id := fmt.Sprintf("%d>%d:%x@%v", p.from, p.to, z.proto.AppendMsg(nil, p.msg), []uint32(p.clock))
		if done[id] {
			continue
		}
		done[id] = true
		if !w.nodes[p.to].up || z.cfg.IsByzantine(int(p.to)) {
			nw := w.copy()
			nw.net = slices.Delete(nw.net, k, k+1)
			out = append(out, nw)
			continue
		}
		out = append(out, z.nodeStep(w, p.to, spec.Input[M]{Kind: spec.Receive, From: p.from, Msg: p.msg}, k)...)
	}
	// Partial synchrony: the stabilisation step, once; after it a timer
	// fires only when no message is in flight.
	if z.cfg.PartialSync && !w.stable {
		nw := w.copy()
		nw.stable = true
		out = append(out, nw)
	}
	if !z.cfg.PartialSync || !w.stable || len(w.net) == 0 {
		for i, nd := range w.nodes {
			if !nd.up {
				continue
			}
			for t := range 256 {
				if nd.timers[spec.Timer(t)] {
					out = append(out, z.nodeStep(w, spec.NodeID(i), spec.Input[M]{Kind: spec.Fire, Timer: spec.Timer(t)}, -1)...)
				}
			}
		}
	}
	// Requests: a running correct node's next work item, each choice.
	for i, nd := range w.nodes {
		if !nd.up || z.cfg.IsByzantine(i) || w.cursor[i] >= len(z.work[i]) {
			continue
		}
		for _, c := range z.work[i][w.cursor[i]].Choices {
			out = append(out, z.nodeStep(w, spec.NodeID(i), spec.Input[M]{Kind: spec.Request, Msg: c}, -1)...)
		}
	}
	// Choices a spec.Chooser offers a running node.
	if z.chooser != nil {
		for i, nd := range w.nodes {
			if !nd.up || z.cfg.IsByzantine(i) {
				continue
			}
			for _, c := range z.chooser.Choices(nd.state) {
				out = append(out, z.nodeStep(w, spec.NodeID(i), spec.Input[M]{Kind: spec.Choose, Msg: c}, -1)...)
			}
		}
	}
	// Recoveries (crash-recovery): a node step like any other.
	if z.cfg.CrashMode == model.CrashRecover {
		for i, nd := range w.nodes {
			if !nd.up {
				out = append(out, z.nodeStep(w, spec.NodeID(i), spec.Input[M]{Kind: spec.Recover}, -1)...)
			}
		}
	}
	// Faults. A byzantine node sends each forgery at most once, carrying
	// its clock (it never steps, so the clock never moves).
	for i, fs := range z.forgeries {
		for k, f := range fs {
			if w.nodes[i].forged[k] {
				continue
			}
			nw := w.copy()
			nw.nodes[i].forged[k] = true
			nw.net = append(nw.net, nPacket[M]{from: spec.NodeID(i), to: f.to, msg: f.msg, clock: w.nodes[i].clock})
			out = append(out, nw)
		}
	}
	if w.drops < z.cfg.Drops {
		perContent(func(int) bool { return true }, func(k int) *nWorld[S, M] {
			nw := w.copy()
			nw.net = slices.Delete(nw.net, k, k+1)
			nw.drops++
			return nw
		})
	}
	if w.dups < z.cfg.Dups {
		perContent(func(int) bool { return true }, func(k int) *nWorld[S, M] {
			nw := w.copy()
			nw.net = append(nw.net, w.net[k]) // under FIFO, last on its link
			nw.dups++
			return nw
		})
	}
	if w.crash < z.cfg.Crashes {
		for i, nd := range w.nodes {
			if !nd.up || z.cfg.IsByzantine(i) {
				continue
			}
			nw := w.copy()
			z.down(nw, spec.NodeID(i))
			out = append(out, nw)
		}
	}
	return out
}

// explore walks every world breadth-first and counts the distinct worlds
// and the transitions (initial worlds included, as the explorer counts
// them). It gives up past limit worlds.
func (z *naive[S, M]) explore(limit int) (states, transitions int64, ok bool) {
	seen := map[string]bool{}
	queue := z.initial()
	transitions = int64(len(queue))
	var fresh []*nWorld[S, M]
	for _, w := range queue {
		if k := z.key(w); !seen[k] {
			seen[k] = true
			fresh = append(fresh, w)
		}
	}
	queue = fresh
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		succ := z.next(w)
		transitions += int64(len(succ))
		for _, nw := range succ {
			if k := z.key(nw); !seen[k] {
				if len(seen) >= limit {
					return int64(len(seen)), transitions, false
				}
				seen[k] = true
				queue = append(queue, nw)
			}
		}
	}
	return int64(len(seen)), transitions, true
}

// counts are the figures both compositions must agree on.
type counts struct{ states, transitions int64 }

// compare explores proto under cfg both with model and with the naive
// composition and fails unless they find the same number of worlds and of
// transitions. The properties only choose the ghost state: the search
// checks none, so it walks the whole space.
func compare[S, M any](t *testing.T, name string, proto spec.Protocol[S, M], cfg model.Config, work []spec.WorkItem[M], props []spec.Property[S, M]) counts {
	t.Helper()
	m, err := model.New(proto, cfg, work, props)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	res, err := explore.Check(m, nil, explore.Options{Workers: 1})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.Status != explore.OK {
		t.Fatalf("%s: model search %v (%s)", name, res.Status, res.Stopped)
	}
	got := counts{res.Stats.States, res.Stats.Transitions}
	states, transitions, ok := newNaive(proto, cfg, work, props).explore(int(10*got.states) + 1000)
	if !ok {
		t.Fatalf("%s: the naive composition finds more than %d worlds (model: %d)", name, states, got.states)
	}
	want := counts{states, transitions}
	if got != want {
		t.Errorf("%s under %v (ghost %s): model %d states, %d transitions; naive %d, %d",
			name, cfg, m.Ghost(), got.states, got.transitions, want.states, want.transitions)
	}
	return got
}

// needs is a property that checks nothing and needs the given ghost state.
func needs[S, M any](n spec.Needs) []spec.Property[S, M] {
	return []spec.Property[S, M]{{Name: "ghost", Kind: spec.Always, Needs: n, State: func(spec.View[S, M]) error { return nil }}}
}
