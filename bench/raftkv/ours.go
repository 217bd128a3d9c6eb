package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// ours is spec/raft (course 6.1-6.2, the step functions the model checker
// explores) run by the generic runtime, impl: one goroutine per node,
// messages passed by value through each node's unbounded inbox over a
// reliable network without delay, the persisted part of each new state
// saved to a MemStore (an assignment), real timers, nothing recorded.
// Config.OnObserve sees the leader's Delivered observations, which answer
// the waiting clients.
//
// spec/raft is a model-checking specification and cannot carry this
// workload as it stands (README.md, "Why ours has no numbers"): its log
// holds at most raft.MaxEntries (8) entries and has no compaction, a
// request's value is an int8, terms and indices are int8. A request to a
// leader whose log is full is dropped by Step without an output, so the
// harness wraps the protocol to notice that and fail the run with the
// reason instead of waiting forever. Within those limits the run is
// exactly what the benchmark prescribes: the request's value is the
// client's number + 1 (each client has one request outstanding, so it
// names the client), and the leader answers the client when it delivers
// that entry.
var oursImpl = Impl{
	Name:  "ours",
	Start: startOurs,
	Note:  "spec/raft run by impl (MemStore, reliable network without delay, Record off)",
	// spec/raft's leader tells followers the commit index only in its next
	// LogRequest, and its heartbeats are bounded per term (a model-checking
	// bound), so followers never deliver the last entries of a run.
	FollowersLag: "spec/raft's followers learn the last commit index only from a later LogRequest, and its heartbeats are bounded per term",
}

// errLogFull is ours' failure when spec/raft cannot take another entry.
var errLogFull = fmt.Errorf("spec/raft's log is full: it holds at most raft.MaxEntries = %d entries and has no compaction, and Step drops a request beyond that", raft.MaxEntries)

// cappedRaft is spec/raft with one observation added for the harness: a
// request reaching a leader whose log is full calls full (Step itself
// still returns what spec/raft returns: the state unchanged, no output).
type cappedRaft struct {
	*raft.Protocol
	full func()
}

func (p cappedRaft) Step(s raft.State, in spec.Input[raft.Msg]) (raft.State, []spec.Output[raft.Msg]) {
	if in.Kind == spec.Request && s.Role == raft.Leader && len(s.Log) >= raft.MaxEntries {
		p.full()
	}
	return p.Protocol.Step(s, in)
}

type ourCluster struct {
	rt      *impl.Cluster[raft.State, raft.Msg]
	applied [Nodes]atomic.Uint64 // Delivered observations per node
	logLen  [Nodes]atomic.Int64  // the longest log a node delivered from
	leads   atomic.Bool          // node 0 became leader
	waiters []chan struct{}
	stop    chan struct{}
	closing sync.Once
	failed  chan struct{}
	errMu   sync.Mutex
	err     error
}

func startOurs(clients int) (Cluster, error) {
	if clients > 127 {
		return nil, fmt.Errorf("spec/raft's request values are int8: at most 127 clients, not %d", clients)
	}
	// One candidate, so that the first election is not split; no
	// heartbeats (nothing is lost); terms as high as spec/raft allows.
	p, err := raft.New(raft.Params{N: Nodes, MaxTerm: 7, Requests: 0, MaxBeats: 0, Candidates: 1})
	if err != nil {
		return nil, err
	}
	c := &ourCluster{stop: make(chan struct{}), failed: make(chan struct{})}
	for range clients {
		c.waiters = append(c.waiters, make(chan struct{}, 1))
	}
	rt, err := impl.Start(impl.Config[raft.State, raft.Msg]{
		Protocol: cappedRaft{p, func() { c.fail(errLogFull) }},
		Seed:     1,
		Timers: map[string]impl.TimerSpec{
			"election":  {Base: time.Millisecond},
			"heartbeat": {Base: 10 * time.Millisecond},
		},
		OnObserve: func(node spec.NodeID, obs raft.Msg) {
			switch obs.Kind {
			case raft.BecameLeader:
				if node == 0 {
					c.leads.Store(true)
				}
			case raft.Delivered:
				c.applied[node].Add(1)
				c.logLen[node].Store(max(c.logLen[node].Load(), int64(obs.Index)))
				if node == 0 {
					c.waiters[obs.Val-1] <- struct{}{}
				}
			}
		},
	})
	if err != nil {
		return nil, err
	}
	c.rt = rt
	deadline := time.Now().Add(5 * time.Second)
	for !c.leads.Load() {
		if time.Now().After(deadline) {
			c.Close()
			return nil, errors.New("ours: no leader after 5 s")
		}
		time.Sleep(time.Millisecond)
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

func (c *ourCluster) Propose(client int, _ []byte) error {
	if err := c.rt.Request(0, raft.Msg{Kind: raft.ClientRequest, Val: int8(client + 1)}); err != nil {
		return err
	}
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

// Retained is the longest log any node delivered from: spec/raft never
// shortens its log, so that is how many entries the node holds (a few
// undelivered ones aside).
func (c *ourCluster) Retained() int {
	m := 0
	for i := range c.logLen {
		m = max(m, int(c.logLen[i].Load()))
	}
	return m
}

func (c *ourCluster) Applied() []uint64 {
	var a []uint64
	for i := range c.applied {
		a = append(a, c.applied[i].Load())
	}
	return a
}

func (c *ourCluster) Close() error {
	var err error
	c.closing.Do(func() {
		close(c.stop)
		_, err = c.rt.Stop()
		if e := c.rt.Err(); e != nil {
			err = errors.Join(err, e)
		}
	})
	return err
}
