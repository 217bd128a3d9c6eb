package model

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec"
)

// MaxNodes is the largest number of nodes a model holds.
const MaxNodes = 32

// MaxTimers is the number of distinct timers a node may use.
const MaxTimers = 64

// Model composes the nodes of one protocol into a transition system under a
// system model. It implements explore.System[*World[S, M], Action] and is
// safe for concurrent use.
type Model[S, M any] struct {
	proto   spec.Protocol[S, M]
	cfg     Config
	n       int
	work    [][]spec.WorkItem[M] // per node, in issue order
	history bool                 // ghost: record observations
	hb      bool                 // ghost: vector clocks of happens-before
	ordered bool                 // ghost: the history's real-time order matters
	props   []spec.Property[S, M]
	chooser spec.Chooser[S, M] // the protocol, if it makes choices
	// forgeries[i] lists byzantine node i's forgeries (to, message); nil
	// for an honest node, and for a byzantine one with nothing to forge:
	// whether a node is byzantine is cfg's to say (Config.IsByzantine),
	// never this list's.
	forgeries [][]forgery[M]
	scratch   sync.Pool
	// Intern tables of compact worlds (pack.go), made on first use.
	internOnce sync.Once
	intern     *interned[S, M]
	// sym names orbits when Config.Symmetry is on (symmetry.go).
	sym *symmetry[S, M]
}

// forgery is one message a byzantine node may send.
type forgery[M any] struct {
	to  spec.NodeID
	msg M
}

// New returns the model of proto's nodes under cfg with the given workload.
// The properties decide which ghost state the model keeps: a history of
// observations if any needs it, vector clocks of happens-before if any
// needs those.
func New[S, M any](proto spec.Protocol[S, M], cfg Config, work []spec.WorkItem[M], props []spec.Property[S, M]) (*Model[S, M], error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	n := proto.Nodes()
	if n < 1 || n > MaxNodes {
		return nil, fmt.Errorf("model: %d nodes, want 1..%d", n, MaxNodes)
	}
	m := &Model[S, M]{proto: proto, cfg: cfg, n: n, work: make([][]spec.WorkItem[M], n), props: props}
	for i, w := range work {
		if w.Node < 0 || int(w.Node) >= n {
			return nil, fmt.Errorf("model: work item %d is for node %d of %d", i, w.Node, n)
		}
		if len(w.Choices) == 0 {
			return nil, fmt.Errorf("model: work item %d has no choices", i)
		}
		m.work[w.Node] = append(m.work[w.Node], w)
		if len(m.work[w.Node]) > 255 {
			return nil, fmt.Errorf("model: more than 255 work items for node %d", w.Node)
		}
	}
	for _, p := range props {
		if err := checkProperty(p); err != nil {
			return nil, err
		}
		if p.Needs&spec.NeedsHistory != 0 {
			m.history, m.ordered = true, true
		}
		if p.Needs&spec.NeedsHappensBefore != 0 {
			m.history, m.hb = true, true
		}
		if p.Needs&spec.NeedsLocalOrder != 0 {
			m.history = true
		}
	}
	m.chooser, _ = proto.(spec.Chooser[S, M])
	if cfg.Byzantine != 0 {
		if cfg.Byzantine>>uint(n) != 0 {
			return nil, fmt.Errorf("model: byzantine node out of range 0..%d", n-1)
		}
		adv, ok := proto.(spec.Adversary[M])
		if !ok {
			return nil, fmt.Errorf("model: the protocol defines no byzantine behaviour (spec.Adversary)")
		}
		m.forgeries = make([][]forgery[M], n)
		for i := range n {
			if !cfg.IsByzantine(i) {
				continue
			}
			for j := range n {
				for _, msg := range adv.Forgeries(spec.NodeID(i), spec.NodeID(j)) {
					m.forgeries[i] = append(m.forgeries[i], forgery[M]{spec.NodeID(j), msg})
				}
			}
			if len(m.forgeries[i]) > 64 {
				return nil, fmt.Errorf("model: byzantine node %d has %d forgeries, at most 64", i, len(m.forgeries[i]))
			}
		}
	}
	m.scratch.New = func() any { b := make([]byte, 0, 256); return &b }
	if cfg.Symmetry {
		sym, err := newSymmetry(m)
		if err != nil {
			return nil, err
		}
		m.sym = sym
	}
	return m, nil
}

func checkProperty[S, M any](p spec.Property[S, M]) error {
	ok := false
	switch p.Kind {
	case spec.Always, spec.AtQuiescence:
		ok = p.State != nil
	case spec.OnTransition:
		ok = (p.Step != nil) != (p.NodeStep != nil)
	case spec.Sometimes:
		ok = p.Reach != nil
	case spec.Eventually, spec.EventuallyAlways:
		ok = p.State != nil
	case spec.LeadsTo:
		ok = p.State != nil && p.Trigger != nil
	default:
		return fmt.Errorf("model: property %q has unknown kind %d", p.Name, p.Kind)
	}
	if !ok {
		return fmt.Errorf("model: property %q of kind %s has no check function", p.Name, p.Kind)
	}
	return nil
}

// Config returns the system model.
func (m *Model[S, M]) Config() Config { return m.cfg }

// Protocol returns the protocol.
func (m *Model[S, M]) Protocol() spec.Protocol[S, M] { return m.proto }

// Ghost describes the ghost state kept: "none", "history" (in real-time
// order), "happens-before" (events with causal clocks, real-time order of
// concurrent events not kept), "history+happens-before", or "local order"
// (events in each node's order only).
func (m *Model[S, M]) Ghost() string {
	switch {
	case m.hb && m.ordered:
		return "history+happens-before"
	case m.hb:
		return "happens-before"
	case m.ordered:
		return "history"
	case m.history:
		return "local order"
	}
	return "none"
}

// Init returns the initial worlds: in each, every node was initialised and
// took its Start step, in node order (a byzantine node runs no Step, so it
// takes none). The Start steps are node steps like any other: with
// Config.CrashMidStep and crash budget, each may be cut short by a crash
// after its first k sends, for every k below its number of sends, spending
// one crash (see nodeSteps, the one path of every node step). As no step
// comes before them, a cut Start step does not lead from one initial world
// to another: the worlds it leaves are initial too. So Init returns one
// world per combination of Start steps cut, at most Config.Crashes of them,
// the world where none is cut first (the only one without CrashMidStep).
// Model.Start describes node i's Start step in any of them.
func (m *Model[S, M]) Init() []*World[S, M] {
	w := &World[S, M]{
		nodes:  newNodes[S](m.n),
		cursor: make([]uint8, m.n),
	}
	for i := range w.nodes {
		nd := w.nodes[i]
		nd.up = true
		nd.state = m.proto.Init(spec.NodeID(i))
		nd.h = m.hashState(nd.state)
		if m.hb {
			nd.clock = make(spec.VClock, m.n)
		}
		if m.cfg.IsByzantine(i) {
			nd.crashed = true // never correct: it runs no Step
		}
	}
	var out []*World[S, M]
	var start func(i int, w *World[S, M])
	start = func(i int, w *World[S, M]) {
		for i < m.n && m.cfg.IsByzantine(i) {
			i++
		}
		if i == m.n {
			out = append(out, w)
			return
		}
		m.nodeSteps(w, spec.NodeID(i), spec.Input[M]{Kind: spec.Start}, -1, func(_ int, nw *World[S, M]) { start(i+1, nw) })
	}
	m.seal(w) // the initial world itself if no node takes a Start step
	start(0, w)
	return out
}

// Next enumerates every enabled step of w: deliveries, timers, requests,
// choices and recoveries first, then the faults the budgets still allow
// (drops, duplications, crashes). With CrashMidStep, each node step (every
// one: deliveries, timers, requests, choices and recoveries alike) is
// followed by its variants cut short by a crash, as nodeSteps makes them.
func (m *Model[S, M]) Next(w *World[S, M], yield func(Action, *World[S, M], bool)) {
	for i := range w.net {
		if !m.deliverable(w, i) {
			continue
		}
		p := w.net[i]
		a := Action{Kind: Deliver, Node: p.to, Index: i}
		if !w.nodes[p.to].up || m.cfg.IsByzantine(int(p.to)) {
			// Lost, or read by a byzantine node, which runs no Step
			// (whether or not it has anything to forge).
			nw := m.without(w, i)
			m.seal(nw)
			yield(a, nw, false)
			continue
		}
		m.nodeStep(w, a, spec.Input[M]{Kind: spec.Receive, From: p.from, Msg: p.msg}, i, yield)
	}
	if m.cfg.PartialSync && !w.stable {
		nw := w.clone()
		nw.stable = true
		m.seal(nw)
		yield(Action{Kind: Stabilize, Node: -1}, nw, false)
	}
	timersMayFire := !m.cfg.PartialSync || !w.stable || len(w.net) == 0
	for i := range w.nodes {
		nd := w.nodes[i]
		if !nd.up || nd.timers == 0 || !timersMayFire {
			continue
		}
		for t := 0; t < MaxTimers; t++ {
			if nd.timers&(1<<t) != 0 {
				m.nodeStep(w, Action{Kind: Fire, Node: spec.NodeID(i), Index: t}, spec.Input[M]{Kind: spec.Fire, Timer: spec.Timer(t)}, -1, yield)
			}
		}
	}
	for i := range w.nodes {
		if !w.nodes[i].up || int(w.cursor[i]) >= len(m.work[i]) || m.cfg.IsByzantine(i) {
			continue
		}
		for c, msg := range m.work[i][w.cursor[i]].Choices {
			m.nodeStep(w, Action{Kind: Issue, Node: spec.NodeID(i), Index: c}, spec.Input[M]{Kind: spec.Request, Msg: msg}, -1, yield)
		}
	}
	if m.chooser != nil {
		for i := range w.nodes {
			if !w.nodes[i].up || m.cfg.IsByzantine(i) {
				continue
			}
			for c, msg := range m.chooser.Choices(w.nodes[i].state) {
				m.nodeStep(w, Action{Kind: Choose, Node: spec.NodeID(i), Index: c}, spec.Input[M]{Kind: spec.Choose, Msg: msg}, -1, yield)
			}
		}
	}
	if m.cfg.CrashMode == CrashRecover {
		for i := range w.nodes {
			if w.nodes[i].up {
				continue
			}
			m.nodeStep(w, Action{Kind: Recover, Node: spec.NodeID(i)}, spec.Input[M]{Kind: spec.Recover}, -1, yield)
		}
	}
	for i, fs := range m.forgeries {
		for k, f := range fs {
			if w.nodes[i].forged&(1<<k) != 0 {
				continue
			}
			nw := w.clone()
			nw.ownNode(w, i).forged |= 1 << k
			p := packet[M]{from: spec.NodeID(i), to: f.to, msg: f.msg, clock: w.nodes[i].clock}
			p.h = m.hashPacket(&p)
			nw.net = m.rebuild(w.net, -1, []*packet[M]{&p})
			m.seal(nw)
			yield(Action{Kind: Forge, Node: spec.NodeID(i), Index: k}, nw, true)
		}
	}
	if int(w.drops) < m.cfg.Drops {
		for i := range w.net {
			if m.distinct(w, i) {
				nw := m.without(w, i)
				nw.drops++
				m.seal(nw)
				yield(Action{Kind: Drop, Node: w.net[i].to, Index: i}, nw, true)
			}
		}
	}
	if int(w.dups) < m.cfg.Dups {
		for i := range w.net {
			if m.duplicable(w, i) {
				nw := w.clone()
				nw.net = m.rebuild(w.net, -1, w.net[i:i+1])
				nw.dups++
				m.seal(nw)
				yield(Action{Kind: Duplicate, Node: w.net[i].to, Index: i}, nw, true)
			}
		}
	}
	if int(w.crash) < m.cfg.Crashes {
		for i := range w.nodes {
			if !w.nodes[i].up || m.cfg.IsByzantine(i) {
				continue
			}
			nw := m.crashNode(w, spec.NodeID(i))
			m.seal(nw)
			yield(Action{Kind: Crash, Node: spec.NodeID(i)}, nw, true)
		}
	}
}

// nodeStep yields the node step a (node a.Node taking input in, consuming
// packet consumed or -1), followed by its variants cut short by a crash
// (see nodeSteps), each a fault with a.Cut set.
func (m *Model[S, M]) nodeStep(w *World[S, M], a Action, in spec.Input[M], consumed int, yield func(Action, *World[S, M], bool)) {
	m.nodeSteps(w, a.Node, in, consumed, func(cut int, nw *World[S, M]) {
		a.Cut = cut
		yield(a, nw, cut > 0)
	})
}

// nodeSteps is the one path of every node step, the Start steps of the
// initial worlds included: node i of w takes input in, consuming packet
// consumed (or -1). It calls emit with the sealed world after the whole
// step (cut 0) and then, with Config.CrashMidStep and crash budget left,
// with each variant cut short by a crash: for every k below the step's
// number of sends, the node crashes after only its first k sends went out
// (cut k+1), spending one crash.
func (m *Model[S, M]) nodeSteps(w *World[S, M], i spec.NodeID, in spec.Input[M], consumed int, emit func(cut int, nw *World[S, M])) {
	state, outs := m.proto.Step(w.nodes[i].state, in)
	nw := m.apply(w, i, in, consumed, state, outs, -1)
	m.seal(nw)
	emit(0, nw)
	if !m.cfg.CrashMidStep || int(w.crash) >= m.cfg.Crashes {
		return
	}
	sends := 0
	for _, o := range outs {
		if o.Kind == spec.Send {
			sends++
		}
	}
	for k := 0; k < sends; k++ {
		nw := m.apply(w, i, in, consumed, state, outs, k)
		m.seal(nw)
		emit(k+1, nw)
	}
}

// Fingerprint returns the hash computed when w was built.
func (m *Model[S, M]) Fingerprint(w *World[S, M]) uint64 { return w.fp }

// deliverable reports whether packet i may be delivered next: under FIFO
// only the oldest packet of each link; under both, only the first of a run
// of identical packets (delivering either copy leads to the same world).
func (m *Model[S, M]) deliverable(w *World[S, M], i int) bool {
	if m.cfg.Network == FIFO {
		return i == 0 || w.net[i-1].from != w.net[i].from || w.net[i-1].to != w.net[i].to
	}
	return m.distinct(w, i)
}

// duplicable reports whether duplicating packet i may lead to a world no
// packet before it leads to: unordered, it is the first of its run of
// identical packets; under FIFO, the copy joins the end of its link
// whichever copy was duplicated, so it is the first copy on its link.
func (m *Model[S, M]) duplicable(w *World[S, M], i int) bool {
	if m.cfg.Network == FIFO {
		return m.copiesBefore(w, i) == 0
	}
	return m.distinct(w, i)
}

// copiesBefore counts the packets identical to packet i that come before it
// on its link (FIFO).
func (m *Model[S, M]) copiesBefore(w *World[S, M], i int) int {
	k := 0
	for j := i - 1; j >= 0 && w.net[j].from == w.net[i].from && w.net[j].to == w.net[i].to; j-- {
		if m.samePacket(w.net[j], w.net[i]) {
			k++
		}
	}
	return k
}

// distinct reports whether packet i differs from packet i-1 (in canonical
// order, identical packets are adjacent).
func (m *Model[S, M]) distinct(w *World[S, M], i int) bool {
	return i == 0 || !m.samePacket(w.net[i-1], w.net[i])
}

func (m *Model[S, M]) samePacket(a, b *packet[M]) bool {
	if a.h != b.h || a.from != b.from || a.to != b.to {
		return false
	}
	return bytes.Equal(m.encodePacket(nil, a), m.encodePacket(nil, b))
}

// apply builds the world after node i took input in and Step returned
// state and outs: a node that takes a step is up (a recovery brings it
// up), and a request is the node's next work item. With cut >= 0 the node
// crashes after its first cut sends: the outputs after that point never
// happen. The result is not sealed.
func (m *Model[S, M]) apply(w *World[S, M], i spec.NodeID, in spec.Input[M], consumed int, state S, outs []spec.Output[M], cut int) *World[S, M] {
	nw := w.clone()
	nd := nw.ownNode(w, int(i))
	if in.Kind == spec.Request {
		nw.cursor = slices.Clone(w.cursor)
		nw.cursor[i]++
	}
	nd.up = true
	if in.Kind == spec.Fire {
		nd.timers &^= 1 << in.Timer
	}
	nd.state, nd.sid = state, 0
	if m.hb {
		clock := nd.clock
		if consumed >= 0 {
			clock = clock.Merge(w.net[consumed].clock)
		}
		nd.clock = clock.Tick(i)
	}
	var sends []*packet[M]
outputs:
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			if o.To < 0 || int(o.To) >= m.n {
				panic(fmt.Sprintf("model: node %d sends to node %d of %d", i, o.To, m.n))
			}
			if cut >= 0 && len(sends) == cut {
				break outputs // the crash strikes before this send
			}
			p := &packet[M]{from: i, to: o.To, msg: o.Msg, clock: nd.clock}
			p.h = m.hashPacket(p)
			sends = append(sends, p)
		case spec.SetTimer:
			nd.timers |= 1 << checkTimer(o.Timer)
		case spec.CancelTimer:
			nd.timers &^= 1 << checkTimer(o.Timer)
		case spec.Observe:
			if m.history {
				ev := spec.Event[M]{Seq: len(nw.hist), Node: i, Obs: o.Msg, Clock: nd.clock}
				nw.hist = append(nw.hist[:len(nw.hist):len(nw.hist)], ev)
				switch {
				case m.ordered:
					nw.histH = explore.Combine(nw.histH, m.hashEvent(&ev))
				case m.hb:
					// Only happens-before matters: hash the history as a
					// multiset (each event's clock places it), so that
					// interleavings of concurrent events are one state.
					nw.histH += explore.Mix64(m.hashEvent(&ev))
				default:
					// Only each node's order matters: hash the multiset of
					// (node, position among the node's events, event).
					local := 0
					for _, e := range nw.hist[:len(nw.hist)-1] {
						if e.Node == i {
							local++
						}
					}
					nw.histH += explore.Mix64(explore.Combine(uint64(local), m.hashEvent(&ev)))
				}
			}
		default:
			panic(fmt.Sprintf("model: node %d returned output of unknown kind %d", i, o.Kind))
		}
	}
	nw.net = m.rebuild(w.net, consumed, sends)
	if cut >= 0 {
		nw.crash++
		nd.up, nd.crashed, nd.timers = false, true, 0
		if m.cfg.CrashMode == CrashRecover {
			nd.state = m.proto.Crash(nd.state)
		}
	}
	nd.h = m.hashState(nd.state)
	return nw
}

func checkTimer(t spec.Timer) spec.Timer {
	if int(t) >= MaxTimers {
		panic(fmt.Sprintf("model: timer %d, want < %d", t, MaxTimers))
	}
	return t
}

// without returns w with packet i removed (a drop, or a delivery to a node
// that is down).
func (m *Model[S, M]) without(w *World[S, M], i int) *World[S, M] {
	nw := w.clone()
	nw.net = m.rebuild(w.net, i, nil)
	return nw
}

func (m *Model[S, M]) crashNode(w *World[S, M], i spec.NodeID) *World[S, M] {
	nw := w.clone()
	nd := nw.ownNode(w, int(i))
	nd.up, nd.crashed, nd.timers = false, true, 0
	if m.cfg.CrashMode == CrashRecover {
		nd.state, nd.sid = m.proto.Crash(nd.state), 0
		nd.h = m.hashState(nd.state)
	}
	nw.crash++
	return nw
}

// rebuild returns a new network: old without packet consumed (if >= 0),
// with adds placed in canonical position, in one allocation. Under FIFO,
// packets are grouped by link and kept in send order within a link (adds
// join the end of their link, in the order given); unordered, they are
// sorted by hash with ties broken by encoding, so identical packets are
// adjacent and equal multisets have equal slices. When nothing changes, old
// itself is returned: networks are immutable and shared.
func (m *Model[S, M]) rebuild(old []*packet[M], consumed int, adds []*packet[M]) []*packet[M] {
	if consumed < 0 && len(adds) == 0 {
		return old
	}
	n := len(old) + len(adds)
	if consumed >= 0 {
		n--
	}
	out := make([]*packet[M], 0, n)
	if consumed >= 0 {
		out = append(out, old[:consumed]...)
		out = append(out, old[consumed+1:]...)
	} else {
		out = append(out, old...)
	}
	for _, p := range adds {
		out = slices.Insert(out, m.position(out, p), p)
	}
	return out
}

// position returns where p goes in the canonical order of net.
func (m *Model[S, M]) position(net []*packet[M], p *packet[M]) int {
	if m.cfg.Network == FIFO {
		at, _ := slices.BinarySearchFunc(net, p, func(a, b *packet[M]) int {
			if a.from != b.from {
				return int(a.from) - int(b.from)
			}
			if a.to != b.to {
				return int(a.to) - int(b.to)
			}
			return -1 // after every packet of the same link
		})
		return at
	}
	at, _ := slices.BinarySearchFunc(net, p, func(a, b *packet[M]) int {
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return bytes.Compare(m.encodePacket(nil, a), m.encodePacket(nil, b))
	})
	return at
}

// seal computes w's fingerprint from the cached component hashes.
func (m *Model[S, M]) seal(w *World[S, M]) {
	h := uint64(len(w.nodes))
	for i := range w.nodes {
		nd := w.nodes[i]
		flags := nd.timers<<2 | b2u(nd.up) | b2u(nd.crashed)<<1
		h = explore.Combine(h, nd.h)
		h = explore.Combine(h, flags)
		if nd.forged != 0 {
			h = explore.Combine(h, nd.forged)
		}
		if m.hb {
			h = explore.Combine(h, m.hashClock(nd.clock))
		}
		h = explore.Combine(h, uint64(w.cursor[i]))
	}
	h = explore.Combine(h, uint64(len(w.net)))
	for i := range w.net {
		h = explore.Combine(h, w.net[i].h)
	}
	h = explore.Combine(h, uint64(w.drops)|uint64(w.dups)<<8|uint64(w.crash)<<16|uint64(b2u(w.stable))<<24)
	h = explore.Combine(h, w.histH)
	w.fp = h
	if m.sym != nil {
		w.fp = m.orbitFingerprint(w)
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (m *Model[S, M]) buf() *[]byte { return m.scratch.Get().(*[]byte) }

func (m *Model[S, M]) hashState(s S) uint64 {
	bp := m.buf()
	b := m.proto.AppendState((*bp)[:0], s)
	h := explore.Hash64(b)
	*bp = b
	m.scratch.Put(bp)
	return h
}

func (m *Model[S, M]) encodePacket(b []byte, p *packet[M]) []byte {
	b = spec.AppendUint(b, uint64(p.from))
	b = spec.AppendUint(b, uint64(p.to))
	b = m.proto.AppendMsg(b, p.msg)
	if m.hb {
		b = p.clock.Append(b)
	}
	return b
}

func (m *Model[S, M]) hashPacket(p *packet[M]) uint64 {
	bp := m.buf()
	b := m.encodePacket((*bp)[:0], p)
	h := explore.Hash64(b)
	*bp = b
	m.scratch.Put(bp)
	return h
}

func (m *Model[S, M]) hashClock(c spec.VClock) uint64 {
	h := uint64(len(c))
	for _, v := range c {
		h = explore.Combine(h, uint64(v))
	}
	return h
}

func (m *Model[S, M]) hashEvent(e *spec.Event[M]) uint64 {
	bp := m.buf()
	b := m.encodeEvent((*bp)[:0], e)
	h := explore.Hash64(b)
	*bp = b
	m.scratch.Put(bp)
	return h
}
