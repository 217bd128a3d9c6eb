package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// ours is spec/raft (course 6.1-6.2, the checked step functions) run on
// goroutines. impl/, the generic runtime of issue 5, did not exist when
// this was written, so the loop below is the benchmark's own minimal
// driver, shaped like the runtime DESIGN.md describes: one goroutine per
// node selecting on its mailbox, its timers and stop; each input goes
// through raft's pure Step, and the outputs are carried out (Send: the
// raft.Msg value into the peer's mailbox, nothing encoded; SetTimer /
// CancelTimer: a real timer; Observe: a Delivered entry is applied).
//
// spec/raft is a model-checking specification and cannot carry this
// workload as it stands (README.md, "Why ours has no row"): its log holds
// at most raft.MaxEntries (8) entries and has no compaction, a request's
// value is an int8, terms and indices are int8. A client request to a
// leader whose log is full is dropped by Step without an output, so the
// driver fails the run with that reason instead of waiting forever.
// Within those limits it runs exactly as the benchmark prescribes: the
// request value is the client's number + 1 (each client has one request
// outstanding, so it identifies the client), and the leader answers the
// client when it delivers that entry.
var oursImpl = Impl{
	Name:  "ours",
	Start: startOurs,
	Note:  "spec/raft Step on goroutines (the benchmark's own minimal driver: impl/ is not there yet); mailbox per node, real timers",
	// spec/raft's leader tells followers the commit index only in its next
	// LogRequest, and its heartbeats are bounded per term (a model-checking
	// bound), so followers never deliver the last entries of a run.
	FollowersLag: "spec/raft's followers learn the last commit index only from a later LogRequest, and its heartbeats are bounded per term",
}

// errLogFull is ours' failure when spec/raft cannot take another entry.
var errLogFull = fmt.Errorf("spec/raft's log is full: it holds at most raft.MaxEntries = %d entries and has no compaction, and Step drops a request beyond that", raft.MaxEntries)

type ourNode struct {
	id      spec.NodeID
	box     *mailbox[spec.Input[raft.Msg]]
	timers  map[spec.Timer]*time.Timer
	gen     map[spec.Timer]int // a timer's setting, so that a stale firing is ignored
	applied atomic.Uint64      // Delivered entries
	logLen  atomic.Int64       // for Retained
	leads   atomic.Bool        // leader, with an entry of its term delivered? (see loop)
}

type ourCluster struct {
	p       *raft.Protocol
	nodes   []*ourNode
	waiters []chan struct{}
	stop    chan struct{}
	closing sync.Once
	wg      sync.WaitGroup
	failed  chan struct{}
	errMu   sync.Mutex
	err     error
}

func startOurs(clients int) (Cluster, error) {
	if clients > 127 {
		return nil, fmt.Errorf("spec/raft's request values are int8: at most 127 clients, not %d", clients)
	}
	// One candidate, so that the first election is not split; the bounds
	// that keep the model checker's state space finite are set as high as
	// spec/raft allows (heartbeats are not needed: nothing is lost).
	p, err := raft.New(raft.Params{N: Nodes, MaxTerm: 7, Requests: 0, MaxBeats: 0, Candidates: 1})
	if err != nil {
		return nil, err
	}
	c := &ourCluster{p: p, stop: make(chan struct{}), failed: make(chan struct{})}
	for range clients {
		c.waiters = append(c.waiters, make(chan struct{}, 1))
	}
	for i := range Nodes {
		c.nodes = append(c.nodes, &ourNode{id: spec.NodeID(i), box: newMailbox[spec.Input[raft.Msg]](), timers: map[spec.Timer]*time.Timer{}, gen: map[spec.Timer]int{}})
	}
	for _, n := range c.nodes {
		c.wg.Go(func() { c.loop(n) })
	}
	deadline := time.Now().Add(5 * time.Second)
	for !c.nodes[0].leads.Load() {
		if time.Now().After(deadline) {
			c.Close()
			return nil, errors.New("ours: no leader after 5 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	return c, nil
}

func (c *ourCluster) fail(err error) {
	c.errMu.Lock()
	if c.err == nil {
		c.err = err
		close(c.failed)
	}
	c.errMu.Unlock()
}

// timeout is how long a timer runs: the election timeout of node 0 is
// short, so that it leads at once.
func timeout(t spec.Timer) time.Duration {
	if t == raft.Election {
		return time.Millisecond
	}
	return 10 * time.Millisecond
}

func (c *ourCluster) loop(n *ourNode) {
	s := c.p.Init(n.id)
	type firing struct {
		t   spec.Timer
		gen int
	}
	fired := make(chan firing, 16)
	defer func() {
		for _, t := range n.timers {
			t.Stop()
		}
	}()
	step := func(in spec.Input[raft.Msg]) {
		if in.Kind == spec.Request && s.Role == raft.Leader && len(s.Log) >= raft.MaxEntries {
			c.fail(errLogFull)
		}
		var outs []spec.Output[raft.Msg]
		s, outs = c.p.Step(s, in)
		for _, o := range outs {
			switch o.Kind {
			case spec.Send:
				c.nodes[o.To].box.put(spec.Input[raft.Msg]{Kind: spec.Receive, From: n.id, Msg: o.Msg})
			case spec.SetTimer:
				if t := n.timers[o.Timer]; t != nil {
					t.Stop()
				}
				n.gen[o.Timer]++
				f := firing{o.Timer, n.gen[o.Timer]}
				n.timers[o.Timer] = time.AfterFunc(timeout(o.Timer), func() {
					select {
					case fired <- f:
					case <-c.stop:
					}
				})
			case spec.CancelTimer:
				if t := n.timers[o.Timer]; t != nil {
					t.Stop()
					delete(n.timers, o.Timer)
				}
			case spec.Observe:
				if o.Msg.Kind != raft.Delivered {
					continue
				}
				n.applied.Add(1)
				if o.Msg.From == int8(s.Leader) && s.Role == raft.Leader {
					c.waiters[o.Msg.Val-1] <- struct{}{}
				}
			}
		}
		n.logLen.Store(int64(len(s.Log)))
		n.leads.Store(s.Role == raft.Leader)
	}
	step(spec.Input[raft.Msg]{Kind: spec.Start})
	var in []spec.Input[raft.Msg]
	for {
		select {
		case <-c.stop:
			return
		case f := <-fired:
			if n.timers[f.t] != nil && n.gen[f.t] == f.gen {
				delete(n.timers, f.t)
				step(spec.Input[raft.Msg]{Kind: spec.Fire, Timer: f.t})
			}
		case <-n.box.ready:
			in = n.box.take(in)
			for _, x := range in {
				step(x)
			}
		}
	}
}

func (c *ourCluster) Propose(client int, _ []byte) error {
	c.nodes[0].box.put(spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int8(client + 1)}})
	select {
	case <-c.waiters[client]:
		return nil
	case <-c.failed:
		c.errMu.Lock()
		defer c.errMu.Unlock()
		return c.err
	case <-c.stop:
		return errStopped
	}
}

func (c *ourCluster) Retained() int {
	m := 0
	for _, n := range c.nodes {
		m = max(m, int(n.logLen.Load()))
	}
	return m
}

func (c *ourCluster) Applied() []uint64 {
	var a []uint64
	for _, n := range c.nodes {
		a = append(a, n.applied.Load())
	}
	return a
}

func (c *ourCluster) Close() error {
	c.closing.Do(func() { close(c.stop) })
	c.wg.Wait()
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}
