package model

import (
	"slices"

	"github.com/distsys/distsys/spec"
)

// World is one global state: every node, the messages in flight, the fault
// budgets spent, the workload issued so far and the ghost state. Worlds are
// immutable values: a step builds a new World that shares the unchanged
// parts of the old one. World implements spec.View.
type World[S, M any] struct {
	nodes  []*node[S]   // shared between worlds: a step copies the one node it changes (ownNode)
	net    []*packet[M] // canonical order; packets are shared between worlds and never changed once in a network: see Model.insert
	cursor []uint8      // per node: how many of its work items were issued
	hist   []spec.Event[M]
	hids   []uint32 // interned ids of hist's first events (see pack.go)
	histH  uint64   // running hash of hist
	stable bool     // partial synchrony: the global stabilisation step happened
	drops  uint8
	dups   uint8
	crash  uint8
	fp     uint64
}

type node[S any] struct {
	state   S
	h       uint64 // hash of the state's encoding
	sid     uint32 // interned id of state, 0 until known (see pack.go)
	up      bool
	crashed bool        // has crashed at least once
	timers  uint64      // bit t set: timer t armed
	forged  uint64      // byzantine: bit k set, forgery k has been sent
	clock   spec.VClock // ghost happens-before; nil when off
}

type packet[M any] struct {
	from, to spec.NodeID
	msg      M
	clock    spec.VClock // ghost: the sender's clock at the send
	h        uint64      // hash of from, to, msg and clock
	pid      uint32      // interned id, 0 until known (see pack.go)
}

// clone returns a shallow copy of w, to be changed into a successor.
func (w *World[S, M]) clone() *World[S, M] {
	nw := *w
	return &nw
}

// ownNode gives nw, a clone of w, its own copy of node i to change; the
// other nodes stay shared with w.
func (nw *World[S, M]) ownNode(w *World[S, M], i int) *node[S] {
	nw.nodes = slices.Clone(w.nodes)
	nd := new(node[S])
	*nd = *w.nodes[i]
	nw.nodes[i] = nd
	return nd
}

// newNodes are n fresh nodes, in one allocation.
func newNodes[S any](n int) []*node[S] {
	backing := make([]node[S], n)
	nodes := make([]*node[S], n)
	for i := range nodes {
		nodes[i] = &backing[i]
	}
	return nodes
}

// Nodes is the number of nodes.
func (w *World[S, M]) Nodes() int { return len(w.nodes) }

// State returns node i's state.
func (w *World[S, M]) State(i spec.NodeID) S { return w.nodes[i].state }

// Up reports that node i is running.
func (w *World[S, M]) Up(i spec.NodeID) bool { return w.nodes[i].up }

// Correct reports that node i has never crashed and is not byzantine.
func (w *World[S, M]) Correct(i spec.NodeID) bool { return !w.nodes[i].crashed }

// Stable reports that the global stabilisation step has happened
// (Config.PartialSync).
func (w *World[S, M]) Stable() bool { return w.stable }

// History lists the observations so far (empty unless a property needs it).
func (w *World[S, M]) History() []spec.Event[M] { return w.hist }

// Timers reports which timers of node i are set (bit t for timer t).
func (w *World[S, M]) Timers(i spec.NodeID) uint64 { return w.nodes[i].timers }

// Clock returns node i's ghost vector clock (nil unless happens-before is on).
func (w *World[S, M]) Clock(i spec.NodeID) spec.VClock { return w.nodes[i].clock }

// InFlight calls f for each message in flight, in canonical order.
func (w *World[S, M]) InFlight(f func(from, to spec.NodeID, m M)) {
	for _, p := range w.net {
		f(p.from, p.to, p.msg)
	}
}

// InFlightCount is the number of messages in flight.
func (w *World[S, M]) InFlightCount() int { return len(w.net) }

// Spent returns the fault budgets used so far.
func (w *World[S, M]) Spent() (drops, dups, crashes int) {
	return int(w.drops), int(w.dups), int(w.crash)
}

// Issued returns how many of node i's work items have been issued.
func (w *World[S, M]) Issued(i spec.NodeID) int { return int(w.cursor[i]) }

var _ spec.View[int, int] = (*World[int, int])(nil)
