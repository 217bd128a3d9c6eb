package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// etcd raft (go.etcd.io/raft/v3): one goroutine per node drives a RawNode,
// the library's own single-threaded interface (raft.Node is a channel
// wrapper around it): it selects on the node's mailbox, a ticker and stop;
// after each batch of inputs it handles Ready the way the library's docs
// prescribe (append the entries and hard state to MemoryStorage, send the
// messages, apply the committed entries, Advance). Messages are the
// library's *raftpb.Message values handed to the peer's mailbox: nothing
// is marshalled. The log is compacted every compactEvery applied entries,
// as hashicorp raft does it: a snapshot of the store at the applied index
// (MemoryStorage.CreateSnapshot), then MemoryStorage.Compact keeping the
// newest compactEvery entries.
var etcdImpl = Impl{
	Name:  "etcd",
	Start: startEtcd,
	Note:  "go.etcd.io/raft/v3 v3.7.0 RawNode, MemoryStorage, tick 10 ms (heartbeat 1, election 50 ticks), MaxSizePerMsg 1 MiB, MaxInflightMsgs 256",
}

// compactEvery is how many entries a compaction keeps (the newest), and
// how many more trigger the next one (hashicorp raft: TrailingLogs and
// SnapshotThreshold). A node holds about 2*compactEvery entries at most.
var compactEvery = 1024

const etcdTick = 10 * time.Millisecond

// etcdInput is a peer's message or a client's proposal.
type etcdInput struct {
	msg  *pb.Message
	prop []byte
}

type etcdNode struct {
	id      uint64
	rn      *raft.RawNode
	storage *raft.MemoryStorage
	box     *mailbox[etcdInput]
	kv      store

	keep      int          // entries a compaction keeps and more that trigger one (0: compactEvery)
	retained  atomic.Int64 // log entries held, for Retained
	ready     atomic.Bool  // node 1 leads and applied its term's first entry
	compacted uint64       // index up to which the log was compacted
}

type etcdCluster struct {
	nodes   []*etcdNode
	leader  *etcdNode
	waiters []chan struct{} // one per client: its proposal was applied by the leader
	stop    chan struct{}
	closing sync.Once
	wg      sync.WaitGroup
	failed  chan struct{} // closed by the first error
	errMu   sync.Mutex
	err     error
}

func startEtcd(clients int) (Cluster, error) {
	c := &etcdCluster{stop: make(chan struct{}), failed: make(chan struct{})}
	for range clients {
		c.waiters = append(c.waiters, make(chan struct{}, 1))
	}
	nodes, err := newEtcdNodes()
	if err != nil {
		return nil, err
	}
	c.nodes = nodes
	// Node 1 stands for election at once; the others wait out their
	// election timeout, so the first election is not split.
	if err := c.nodes[0].rn.Campaign(); err != nil {
		return nil, err
	}
	for _, n := range c.nodes {
		c.wg.Go(func() { c.loop(n) })
	}
	// Wait until node 1 leads and has applied its term's first (empty)
	// entry, so that proposals commit at once.
	deadline := time.Now().Add(5 * time.Second)
	for !c.nodes[0].ready.Load() {
		if time.Now().After(deadline) {
			c.Close()
			return nil, errors.New("etcd: no leader after 5 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	c.leader = c.nodes[0]
	return c, nil
}

// handleReady handles one Ready the way etcd raft's docs prescribe: the
// snapshot, entries and hard state to storage, the messages to send, the
// committed entries applied to the store (applied is told each one's
// request id), Advance, and a compaction when one is due.
func (n *etcdNode) handleReady(send func(*pb.Message), applied func(id uint64)) error {
	rd := n.rn.Ready()
	if !raft.IsEmptySnap(rd.Snapshot) {
		if err := n.storage.ApplySnapshot(rd.Snapshot); err != nil {
			return fmt.Errorf("etcd node %d: apply snapshot: %w", n.id, err)
		}
		if err := n.kv.restore(rd.Snapshot.GetData()); err != nil {
			return fmt.Errorf("etcd node %d: %w", n.id, err)
		}
		// The log now starts after the snapshot: the next compaction is
		// counted from there.
		n.compacted = rd.Snapshot.GetMetadata().GetIndex()
	}
	if err := n.storage.Append(rd.Entries); err != nil {
		return fmt.Errorf("etcd node %d: append: %w", n.id, err)
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		if err := n.storage.SetHardState(rd.HardState); err != nil {
			return err
		}
	}
	for _, m := range rd.Messages {
		send(m)
	}
	for _, e := range rd.CommittedEntries {
		if e.GetType() != pb.EntryNormal || len(e.Data) == 0 {
			continue // the leader's empty entry of its term
		}
		if err := n.kv.apply(e.Data); err != nil {
			return fmt.Errorf("etcd node %d: entry %d: %w", n.id, e.GetIndex(), err)
		}
		applied(requestID(e.Data))
	}
	n.rn.Advance(rd)
	return n.maybeCompact(rd.CommittedEntries)
}

// newEtcdNodes makes the three nodes, not yet running, as etcdImpl sets
// them up.
func newEtcdNodes() ([]*etcdNode, error) {
	return makeEtcdNodes(func(c *raft.Config) {})
}

// makeEtcdNodes makes the three nodes, not yet running, with tune applied
// to each one's configuration.
func makeEtcdNodes(tune func(*raft.Config)) ([]*etcdNode, error) {
	voters := make([]uint64, Nodes)
	for i := range voters {
		voters[i] = uint64(i + 1)
	}
	var nodes []*etcdNode
	for i := range Nodes {
		s := raft.NewMemoryStorage()
		// Start from a snapshot that holds the membership, instead of
		// configuration-change entries.
		if err := s.ApplySnapshot(&pb.Snapshot{Metadata: &pb.SnapshotMetadata{
			Index: new(uint64(1)), Term: new(uint64(1)), ConfState: &pb.ConfState{Voters: voters},
		}}); err != nil {
			return nil, err
		}
		n := &etcdNode{id: uint64(i + 1), storage: s, box: newMailbox[etcdInput](), compacted: 1}
		cfg := &raft.Config{
			ID:              n.id,
			ElectionTick:    50,
			HeartbeatTick:   1,
			Storage:         s,
			Applied:         1,
			MaxSizePerMsg:   1 << 20,
			MaxInflightMsgs: 256,
			Logger:          &raft.DefaultLogger{Logger: discardLog},
		}
		tune(cfg)
		rn, err := raft.NewRawNode(cfg)
		if err != nil {
			return nil, err
		}
		n.rn = rn
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// maybeCompact compacts the log once compactEvery entries more than it
// keeps were applied: a snapshot of the store at the last applied entry,
// then all but the newest compactEvery entries dropped.
func (n *etcdNode) maybeCompact(committed []*pb.Entry) error {
	if len(committed) == 0 {
		return nil
	}
	keep := uint64(compactEvery)
	if n.keep > 0 {
		keep = uint64(n.keep)
	}
	applied := committed[len(committed)-1].GetIndex()
	if applied < n.compacted+2*keep {
		return nil
	}
	if first, _ := n.storage.FirstIndex(); applied-keep < first {
		return nil // a snapshot from the leader already dropped more
	}
	if _, err := n.storage.CreateSnapshot(applied, &pb.ConfState{Voters: []uint64{1, 2, 3}}, n.kv.snapshot()); err != nil {
		return fmt.Errorf("etcd node %d: snapshot: %w", n.id, err)
	}
	if err := n.storage.Compact(applied - keep); err != nil {
		return fmt.Errorf("etcd node %d: compact: %w", n.id, err)
	}
	n.compacted = applied - keep
	return nil
}

func (c *etcdCluster) fail(err error) {
	c.errMu.Lock()
	if c.err == nil {
		c.err = err
		close(c.failed)
	}
	c.errMu.Unlock()
}

func (c *etcdCluster) loop(n *etcdNode) {
	tick := time.NewTicker(etcdTick)
	defer tick.Stop()
	var in []etcdInput
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			n.rn.Tick()
		case <-n.box.ready:
			in = n.box.take(in)
			for _, x := range in {
				var err error
				if x.msg != nil {
					err = n.rn.Step(x.msg)
				} else {
					err = n.rn.Propose(x.prop)
				}
				if err != nil && x.msg == nil {
					// A proposal to a node that no longer leads: the run
					// assumes one leader throughout.
					c.fail(fmt.Errorf("etcd node %d: propose: %w", n.id, err))
				}
			}
		}
		for n.rn.HasReady() {
			if err := c.handleReady(n); err != nil {
				c.fail(err)
				return
			}
		}
	}
}

func (c *etcdCluster) handleReady(n *etcdNode) error {
	err := n.handleReady(
		func(m *pb.Message) { c.nodes[m.GetTo()-1].box.put(etcdInput{msg: m}) },
		func(id uint64) {
			if n.id == 1 {
				c.waiters[clientOf(id)] <- struct{}{}
			}
		})
	if err != nil {
		return err
	}
	first, _ := n.storage.FirstIndex()
	last, _ := n.storage.LastIndex()
	n.retained.Store(int64(last - first + 1))
	if n.id == 1 && !n.ready.Load() {
		st := n.rn.BasicStatus()
		n.ready.Store(st.RaftState == raft.StateLeader && st.Applied >= st.GetCommit() && st.GetCommit() > 1)
	}
	return nil
}

func (c *etcdCluster) Propose(client int, p []byte) error {
	c.leader.box.put(etcdInput{prop: p})
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

func (c *etcdCluster) Retained() int {
	m := 0
	for _, n := range c.nodes {
		m = max(m, int(n.retained.Load()))
	}
	return m
}

func (c *etcdCluster) Applied() []uint64 {
	var a []uint64
	for _, n := range c.nodes {
		a = append(a, n.kv.count())
	}
	return a
}

func (c *etcdCluster) Close() error {
	c.closing.Do(func() { close(c.stop) })
	c.wg.Wait()
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}
