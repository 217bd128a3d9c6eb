package impl

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distsys/distsys/spec"
)

// Errors of the cluster's operations.
var (
	// ErrDown: the node is down (crashed and not restarted).
	ErrDown = errors.New("node is down")
	// ErrUp: the node is already running.
	ErrUp = errors.New("node is running")
	// ErrStopped: the cluster was stopped.
	ErrStopped = errors.New("cluster stopped")
	// ErrTimeout: no reply before the deadline.
	ErrTimeout = errors.New("timed out waiting for the reply")
)

// Cluster runs one goroutine per node of a protocol over a simulated
// network. Its methods may be called from any goroutine.
type Cluster[S, M any] struct {
	proto   spec.Protocol[S, M]
	chooser spec.Chooser[S, M]
	n       int
	seed    uint64
	record  bool // events are made: Config.Record or Config.OnEvent
	timers  [maxTimers]TimerSpec
	hasIdle bool // some timer is idle (TimerSpec.Idle)
	replies Replies[M]
	onObs   func(spec.NodeID, M)
	logf    func(string, ...any)
	stores  func(spec.NodeID) (Store[S], error)
	start   time.Time
	nodes   []*node[S, M]
	net     *network[S, M]
	sim     *simulator[S, M] // nil: goroutines and real time

	keep        bool // events and operations are kept in memory: Config.Record
	onEvent     func(Event[S, M])
	tr          Transport[M] // nil: every node is local
	groupCommit bool

	// work counts what may still happen: messages in flight or waiting,
	// requests waiting, timers set at running nodes, steps under way. The
	// cluster is quiescent when it is 0.
	work atomic.Int64
	seq  atomic.Uint64

	ctl     sync.Mutex // Crash, Restart, Partition, Heal, Stop
	stopped bool
	halt    chan struct{} // closed by Stop
	ctlSt   Stats         // crashes, restarts, partitions, heals

	netMu     sync.Mutex // the network's events not owned by a sender
	netEvents []Event[S, M]
	lostN     int

	waitMu  sync.Mutex
	waiters map[uint64]*waiter[M]
	leader  atomic.Int64 // -1: unknown
	opsMu   sync.Mutex
	ops     []Op[M]

	errMu sync.Mutex
	err   error
}

// Start builds the cluster, takes every node's first step (Start, or
// Recover for a node whose store already holds a state, left by an earlier
// process), and starts the goroutines.
func Start[S, M any](cfg Config[S, M]) (*Cluster[S, M], error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &Cluster[S, M]{
		proto: cfg.Protocol, n: cfg.Protocol.Nodes(), seed: cfg.Seed, record: cfg.Record || cfg.OnEvent != nil,
		keep: cfg.Record, onEvent: cfg.OnEvent, tr: cfg.Transport, groupCommit: cfg.GroupCommit && !cfg.Simulate,
		replies: cfg.Replies, onObs: cfg.OnObserve, logf: cfg.Logf, stores: cfg.Stores,
		halt: make(chan struct{}), waiters: map[uint64]*waiter[M]{},
	}
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
		if c.seed == 0 {
			c.seed = 1
		}
	}
	if ch, ok := cfg.Protocol.(spec.Chooser[S, M]); ok {
		c.chooser = ch
	}
	if c.stores == nil {
		c.stores = MemStores[S](c.n)
	}
	if c.logf == nil {
		c.logf = func(string, ...any) {}
	}
	for t := range c.timers {
		d, ok := cfg.Timers[c.proto.TimerName(spec.Timer(t))]
		if !ok {
			d = DefaultTimer
		}
		c.timers[t] = d
		c.hasIdle = c.hasIdle || d.Idle
	}
	c.leader.Store(-1)
	c.start = time.Now()
	if cfg.Simulate {
		c.sim = &simulator[S, M]{now: c.start}
	}
	c.net = newNetwork(c, cfg.Network)
	firsts := make([]*spec.Input[M], c.n)
	loaded := make([]S, c.n)
	for i := range c.n {
		id := spec.NodeID(i)
		n := &node[S, M]{c: c, id: id, inbox: newMailbox[M](), tm: time.NewTimer(time.Hour), links: make([]link, c.n)}
		n.tm.Stop()
		c.nodes = append(c.nodes, n)
		if cfg.Local != nil && !slices.Contains(cfg.Local, id) {
			n.remote = true // runs elsewhere: never up here
			n.inbox.close()
			continue
		}
		store, err := c.stores(id)
		if err != nil {
			c.abort()
			return nil, fmt.Errorf("impl: node %d: open store: %w", i, err)
		}
		n.store = store
		s, ok, err := store.Load()
		if err != nil {
			c.abort()
			return nil, fmt.Errorf("impl: node %d: load store: %w", i, err)
		}
		if ok {
			n.state, loaded[i] = s, s
			firsts[i] = &spec.Input[M]{Kind: spec.Recover}
		} else {
			n.state = c.proto.Init(id)
			firsts[i] = &spec.Input[M]{Kind: spec.Start}
		}
		n.up = true
	}
	// Every node takes its first step before any runs, so that the
	// starts come first in the record; what they send waits in inboxes.
	for i, n := range c.nodes {
		if n.remote {
			continue
		}
		c.work.Add(1)
		n.handle(*firsts[i], nil, loaded[i])
		c.work.Add(-1)
		n.resetTimer()
	}
	if c.sim != nil {
		return c, nil
	}
	for _, n := range c.nodes {
		if n.remote {
			continue
		}
		n.stop, n.done = make(chan struct{}), make(chan struct{})
		var zero S
		go n.run(nil, zero)
	}
	return c, nil
}

// abort closes the stores opened by a Start that failed.
func (c *Cluster[S, M]) abort() {
	for _, n := range c.nodes {
		if n.store != nil {
			n.store.Close()
		}
	}
	if c.net.sched != nil {
		c.net.sched.close()
	}
}

// Seed is the seed of the run: with it the same faults are drawn again.
func (c *Cluster[S, M]) Seed() uint64 { return c.seed }

// Nodes is the number of nodes.
func (c *Cluster[S, M]) Nodes() int { return c.n }

// Elapsed is the time since the cluster started: virtual time for a
// simulated cluster.
func (c *Cluster[S, M]) Elapsed() time.Duration { return c.since() }

// since is the time since the cluster started.
func (c *Cluster[S, M]) since() time.Duration { return c.now().Sub(c.start) }

// Request hands req to node as a Request input. It does not wait for the
// node to handle it.
func (c *Cluster[S, M]) Request(node spec.NodeID, req M) error {
	if node < 0 || int(node) >= c.n {
		return fmt.Errorf("impl: request to node %d of %d", node, c.n)
	}
	if c.nodes[node].remote {
		return fmt.Errorf("impl: request to node %d: %w", node, ErrRemote)
	}
	if c.sim != nil {
		c.ctl.Lock()
		defer c.ctl.Unlock()
		if !c.nodes[node].up {
			return fmt.Errorf("node %d: %w", node, ErrDown)
		}
		c.work.Add(1)
		c.sim.push(simEvent[M]{at: c.sim.now, kind: simDeliver, node: node, env: envelope[M]{request: true, msg: req}})
		return nil
	}
	c.work.Add(1)
	if !c.nodes[node].inbox.push(envelope[M]{request: true, msg: req}) {
		c.work.Add(-1)
		return fmt.Errorf("node %d: %w", node, ErrDown)
	}
	return nil
}

// Up reports that node is running.
func (c *Cluster[S, M]) Up(node spec.NodeID) bool {
	c.ctl.Lock()
	defer c.ctl.Unlock()
	return c.nodes[node].up
}

// Crash stops node: its goroutine ends, the messages waiting in its inbox
// and those that reach it while it is down are lost, its timers are
// cancelled, its volatile state is gone and its store is closed. What it
// persisted is in the store.
func (c *Cluster[S, M]) Crash(node spec.NodeID) error {
	if node < 0 || int(node) >= c.n {
		return fmt.Errorf("impl: crash of node %d of %d", node, c.n)
	}
	c.ctl.Lock()
	defer c.ctl.Unlock()
	if c.stopped {
		return ErrStopped
	}
	n := c.nodes[node]
	if n.remote {
		return fmt.Errorf("crash node %d: %w", node, ErrRemote)
	}
	if !n.up {
		return fmt.Errorf("crash node %d: %w", node, ErrDown)
	}
	if c.sim == nil {
		n.stopReq.Store(true)
		close(n.stop)
		<-n.done
	}
	n.up = false
	waiting := append(n.leftover, n.inbox.close()...)
	n.leftover = nil
	for _, e := range waiting {
		if !e.request {
			c.lost(node, e)
		}
	}
	c.work.Add(-int64(len(waiting) + n.clearTimers()))
	kept := c.proto.Crash(n.state)
	if c.record {
		n.record(Event[S, M]{Seq: c.seq.Add(1), At: c.since(), Kind: CrashEvent, Node: node, State: kept})
	}
	var zero S
	n.state = zero
	c.ctlSt.Crashes++
	if err := n.store.Close(); err != nil {
		return fmt.Errorf("crash node %d: close store: %w", node, err)
	}
	n.store = nil
	return nil
}

// Restart starts a crashed node again: it reopens the node's store, loads
// the persisted state, and the node's first input is Recover.
func (c *Cluster[S, M]) Restart(node spec.NodeID) error {
	if node < 0 || int(node) >= c.n {
		return fmt.Errorf("impl: restart of node %d of %d", node, c.n)
	}
	c.ctl.Lock()
	defer c.ctl.Unlock()
	if c.stopped {
		return ErrStopped
	}
	n := c.nodes[node]
	if n.remote {
		return fmt.Errorf("restart node %d: %w", node, ErrRemote)
	}
	if n.up {
		return fmt.Errorf("restart node %d: %w", node, ErrUp)
	}
	store, err := c.stores(node)
	if err != nil {
		return fmt.Errorf("restart node %d: open store: %w", node, err)
	}
	s, ok, err := store.Load()
	if err != nil {
		store.Close()
		return fmt.Errorf("restart node %d: load store: %w", node, err)
	}
	if !ok {
		s = c.proto.Crash(c.proto.Init(node))
	}
	n.store, n.state = store, s
	n.up = true
	c.ctlSt.Restarts++
	c.work.Add(1) // the Recover step
	if c.sim != nil {
		n.handle(spec.Input[M]{Kind: spec.Recover}, nil, s)
		c.work.Add(-1)
		n.resetTimer()
		return c.failure()
	}
	n.stop, n.done = make(chan struct{}), make(chan struct{})
	n.stopReq.Store(false)
	n.inbox.open()
	go n.run(&spec.Input[M]{Kind: spec.Recover}, s)
	return nil
}

// Partition splits the network: a message between two nodes of different
// groups is lost. Nodes in no group form one more group together. It
// replaces any partition in place.
func (c *Cluster[S, M]) Partition(groups ...[]spec.NodeID) error {
	part := make([]uint8, c.n)
	for g, nodes := range groups {
		for _, i := range nodes {
			if i < 0 || int(i) >= c.n {
				return fmt.Errorf("impl: partition names node %d of %d", i, c.n)
			}
			part[i] = uint8(g + 1)
		}
	}
	c.ctl.Lock()
	defer c.ctl.Unlock()
	c.net.part.Store(&part)
	c.ctlSt.Partitions++
	return nil
}

// DropNext makes the network lose the next k messages sent, whoever sends
// them.
func (c *Cluster[S, M]) DropNext(k int) {
	if k > 0 {
		c.net.drop.Add(int64(k))
	}
}

// Heal removes the partition.
func (c *Cluster[S, M]) Heal() {
	c.ctl.Lock()
	defer c.ctl.Unlock()
	if c.net.part.Swap(nil) != nil {
		c.ctlSt.Heals++
	}
}

// Quiescent reports that nothing is left to happen: no message in flight
// or waiting, no request waiting, no timer set at a running node, no step
// under way.
func (c *Cluster[S, M]) Quiescent() bool { return c.work.Load() == 0 }

// Settle waits until the cluster is quiescent, and reports false if ctx
// ended first. A simulated cluster runs virtual time forward until it is
// quiescent: ctx bounds the real time that may take (a protocol that never
// quiesces would run forever).
func (c *Cluster[S, M]) Settle(ctx context.Context) bool {
	if c.sim != nil {
		return c.simSettle(ctx)
	}
	t := time.NewTicker(200 * time.Microsecond)
	defer t.Stop()
	for !c.Quiescent() {
		select {
		case <-ctx.Done():
			return c.Quiescent()
		case <-t.C:
		}
	}
	return true
}

// Stop stops every node and the network and returns the record of the
// run. A second Stop returns ErrStopped.
func (c *Cluster[S, M]) Stop() (*Run[S, M], error) {
	c.ctl.Lock()
	defer c.ctl.Unlock()
	if c.stopped {
		return nil, ErrStopped
	}
	quiet := c.work.Load() == 0
	c.stopped = true
	close(c.halt)
	var errs []error
	for _, n := range c.nodes {
		if !n.up {
			continue
		}
		if c.sim == nil {
			n.stopReq.Store(true)
			close(n.stop)
			<-n.done
		}
		n.inbox.close()
		n.clearTimers()
		if err := n.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("node %d: close store: %w", n.id, err))
		}
	}
	if c.net.sched != nil {
		c.net.sched.close()
	}
	run := &Run[S, M]{Protocol: c.proto, Seed: c.seed, Network: c.net.cfg, Quiescent: quiet, Elapsed: c.since(), Err: c.failure()}
	run.Stats = c.ctlSt
	for _, n := range c.nodes {
		run.Stats.Add(n.st)
	}
	c.netMu.Lock()
	run.Stats.Lost += c.lostN
	c.netMu.Unlock()
	run.Events, run.Ops = c.recorded()
	return run, errors.Join(errs...)
}

// Snapshot returns what the cluster has recorded so far (Config.Record),
// while it runs: its events and its client operations, as a Run whose
// Stats are not filled in. A node's events are a prefix of what it does,
// and an event missing from the snapshot (a step under way) has no
// consequence in it yet, so Replay and Check apply; a client call under
// way is not an operation yet.
func (c *Cluster[S, M]) Snapshot() *Run[S, M] {
	run := &Run[S, M]{Protocol: c.proto, Seed: c.seed, Network: c.net.cfg, Elapsed: c.since(), Err: c.failure()}
	run.Events, run.Ops = c.recorded()
	return run
}

// recorded merges the nodes' and the network's events in Seq order, and
// copies the client operations.
func (c *Cluster[S, M]) recorded() ([]Event[S, M], []Op[M]) {
	var events []Event[S, M]
	for _, n := range c.nodes {
		n.evMu.Lock()
		events = append(events, n.events...)
		n.evMu.Unlock()
	}
	c.netMu.Lock()
	events = append(events, c.netEvents...)
	c.netMu.Unlock()
	slices.SortFunc(events, func(a, b Event[S, M]) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	c.opsMu.Lock()
	ops := slices.Clone(c.ops)
	c.opsMu.Unlock()
	return events, ops
}

// lost records a message that reached node while it was down.
func (c *Cluster[S, M]) lost(node spec.NodeID, e envelope[M]) {
	c.netMu.Lock()
	defer c.netMu.Unlock()
	c.lostN++
	if c.record {
		ev := Event[S, M]{
			Seq: c.seq.Add(1), At: c.since(), Kind: LostEvent, Node: node,
			Input: spec.Input[M]{Kind: spec.Receive, From: e.from, Msg: e.msg},
			Cause: e.cause, Send: int(e.send), Copy: e.copy,
		}
		if c.onEvent != nil {
			c.onEvent(ev)
		}
		if c.keep {
			c.netEvents = append(c.netEvents, ev)
		}
	}
}

// fail records the first failure of the runtime itself.
func (c *Cluster[S, M]) fail(err error) {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	if c.err == nil {
		c.err = err
		c.logf("impl: %v", err)
	}
}

// Err returns the first failure of the runtime itself, if any.
func (c *Cluster[S, M]) Err() error { return c.failure() }

func (c *Cluster[S, M]) failure() error {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}
