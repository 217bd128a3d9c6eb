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
//
// spec/raft runs with raft.RuntimeParams (no bound on terms, heartbeats or
// the log) and one candidate, node 0, so that the first election is not
// split, and compacts its log as the others do: SnapshotEvery is
// compactEvery, each snapshot holding the store (benchMachine). A proposal
// is a ClientRequest whose Val is the client's number + 1 and whose Cmd is
// the 16-byte command; Config.OnObserve sees every node's Delivered
// observations, applies each command to that node's store, and at node 0
// answers the waiting client (an Installed snapshot replaces the store).
//
// Two configurations: ours, the course's replication (every LogRequest
// carries the whole unacknowledged suffix), and ours-pipe, pipelined
// (Params.Pipeline oursWindow) with batching (Params.Batch, flushed by an
// idle timer once the leader has handled every request waiting in its
// inbox, or oursFlush after the request that armed it).
var (
	oursImpl = Impl{
		Name:  "ours",
		Start: func(clients int) (Cluster, error) { return startOurs(clients, 0, false) },
		Note:  "spec/raft (RuntimeParams, one candidate) run by impl: MemStore, reliable network without delay, Record off, heartbeat 10 ms; snapshot every -compact-every entries",
	}
	oursPipeImpl = Impl{
		Name:  "ours-pipe",
		Start: func(clients int) (Cluster, error) { return startOurs(clients, oursWindow, oursFlush.batch()) },
		Note:  "ours, pipelined (window -ours-window entries) and batching (-ours-flush: idle, once the leader's inbox is handled; or a delay after a request; 0: no batching)",
	}
)

// The pipelining window and the batch's flush of ours-pipe (-ours-window,
// -ours-flush; idle by default, a flush of 0 turns batching off).
var (
	oursWindow = 4096
	oursFlush  = flushSetting{idle: true}
)

// flushSetting is -ours-flush: "idle" (impl.TimerSpec.Idle: the flush
// fires once the leader has handled every input waiting in its inbox), a
// delay after the request that armed it, or 0 (no batching).
type flushSetting struct {
	idle bool
	d    time.Duration
}

func (f *flushSetting) String() string {
	if f.idle {
		return "idle"
	}
	return f.d.String()
}

func (f *flushSetting) Set(s string) error {
	if s == "idle" {
		*f = flushSetting{idle: true}
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q: want idle or a duration", s)
	}
	*f = flushSetting{d: d}
	return nil
}

// batch reports that ours-pipe batches.
func (f flushSetting) batch() bool { return f.idle || f.d > 0 }

// timer is the flush timer's spec (unused without batching).
func (f flushSetting) timer() impl.TimerSpec {
	if f.idle {
		return impl.TimerSpec{Idle: true}
	}
	return impl.TimerSpec{Base: max(f.d, time.Microsecond)}
}

// benchMachine is the store as spec/raft's snapshots hold it: Apply
// restores a store from a snapshot's data, applies the entries' commands,
// and encodes it again.
type benchMachine struct{}

func (benchMachine) Apply(data string, entries raft.Log) string {
	var st store
	if data != "" {
		if err := st.restore([]byte(data)); err != nil {
			panic(err) // only Apply writes this data
		}
	}
	for _, e := range entries.All() {
		if err := st.apply([]byte(e.Cmd)); err != nil {
			panic(err) // every entry is a proposal: the runs check it
		}
	}
	return string(st.snapshot())
}

// logLenStore is a MemStore that remembers how many log entries (past
// the snapshot) the last state saved held, for Retained.
type logLenStore struct {
	impl.MemStore[raft.State]
	n *atomic.Int64
}

func (s *logLenStore) Save(st raft.State) error {
	s.n.Store(int64(st.Log.Len()))
	return s.MemStore.Save(st)
}

type ourCluster struct {
	rt      *impl.Cluster[raft.State, raft.Msg]
	stores  [Nodes]store
	logLen  [Nodes]atomic.Int64 // the entries a node's log holds (past its snapshot), as last saved
	leads   atomic.Bool         // node 0 became leader
	waiters []chan struct{}
	stop    chan struct{}
	closing sync.Once
	failed  chan struct{} // closed with err set
	errMu   sync.Mutex
	err     error
}

func startOurs(clients, window int, batch bool) (Cluster, error) {
	p := raft.RuntimeParams(Nodes)
	p.Candidates = 1
	p.SnapshotEvery = compactEvery
	p.Pipeline, p.Batch = window, batch
	proto, err := raft.NewWithMachine(p, benchMachine{})
	if err != nil {
		return nil, err
	}
	c := &ourCluster{stop: make(chan struct{}), failed: make(chan struct{})}
	for range clients {
		c.waiters = append(c.waiters, make(chan struct{}, 1))
	}
	rt, err := impl.Start(impl.Config[raft.State, raft.Msg]{
		Protocol: proto,
		Seed:     1,
		Timers: map[string]impl.TimerSpec{
			"election":  {Base: time.Millisecond},
			"heartbeat": {Base: 10 * time.Millisecond},
			"flush":     oursFlush.timer(), // unused without batching
		},
		Stores: func(id spec.NodeID) (impl.Store[raft.State], error) {
			return &logLenStore{n: &c.logLen[id]}, nil
		},
		OnObserve: func(node spec.NodeID, obs raft.Msg) {
			switch obs.Kind {
			case raft.BecameLeader:
				if node == 0 {
					c.leads.Store(true)
				}
			case raft.Delivered:
				if err := c.stores[node].apply([]byte(obs.Cmd)); err != nil {
					c.fail(fmt.Errorf("node %d, entry %d: %w", node, obs.Index, err))
					return
				}
				if node == 0 {
					c.waiters[obs.Val-1] <- struct{}{}
				}
			case raft.Installed:
				if err := c.stores[node].restore([]byte(obs.Snap.Data)); err != nil {
					c.fail(fmt.Errorf("node %d, snapshot at %d: %w", node, obs.Index, err))
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

func (c *ourCluster) Propose(client int, p []byte) error {
	if err := c.rt.Request(0, raft.Msg{Kind: raft.ClientRequest, Val: int32(client + 1), Cmd: string(p)}); err != nil {
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

// Retained is the longest log (past its snapshot) any node saved.
func (c *ourCluster) Retained() int {
	m := 0
	for i := range c.logLen {
		m = max(m, int(c.logLen[i].Load()))
	}
	return m
}

func (c *ourCluster) Applied() []uint64 {
	var a []uint64
	for i := range c.stores {
		a = append(a, c.stores[i].count())
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
		c.errMu.Lock()
		err = errors.Join(err, c.err)
		c.errMu.Unlock()
	})
	return err
}
