package main

import (
	"errors"
	"fmt"
	"time"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// etcd-tuned is etcd raft set up for speed, as issue 13 describes it: a
// 10 ms tick with HeartbeatTick 1 and ElectionTick 10, PreVote and
// CheckQuorum; each node's inbox a buffered channel of etcdTunedInbox
// messages, sent to without blocking (a message that finds it full is
// dropped, as a network would, and raft recovers it); MemoryStorage
// compacted every etcdTunedKeep entries; node 1 elected and its term's
// first entry applied before any node's clock starts, by stepping the
// three nodes in one goroutine.
var etcdTunedImpl = Impl{
	Name:  "etcd-tuned",
	Start: startEtcdTuned,
	Note:  "etcd raft, tick 10 ms (heartbeat 1, election 10 ticks), PreVote, CheckQuorum, channel inboxes of 8,192 messages with non-blocking sends, compaction every 10,000 entries, node 1 leading before the clock starts",
}

const (
	etcdTunedInbox = 8192
	etcdTunedKeep  = 10_000
)

type etcdTunedCluster struct {
	*etcdCluster
	inbox []chan etcdInput
}

func startEtcdTuned(clients int) (Cluster, error) {
	c := &etcdTunedCluster{etcdCluster: &etcdCluster{stop: make(chan struct{}), failed: make(chan struct{})}}
	for range clients {
		c.waiters = append(c.waiters, make(chan struct{}, 1))
	}
	nodes, err := makeEtcdNodes(func(cfg *raft.Config) {
		cfg.ElectionTick, cfg.HeartbeatTick = 10, 1
		cfg.PreVote, cfg.CheckQuorum = true, true
	})
	if err != nil {
		return nil, err
	}
	c.nodes = nodes
	for _, n := range nodes {
		n.keep = etcdTunedKeep
		c.inbox = append(c.inbox, make(chan etcdInput, etcdTunedInbox))
	}
	if err := c.electFirst(); err != nil {
		return nil, err
	}
	c.leader = c.nodes[0]
	for i, n := range c.nodes {
		c.wg.Go(func() { c.loop(n, c.inbox[i]) })
	}
	return c, nil
}

// electFirst makes node 1 campaign and steps the three nodes in this
// goroutine, messages handed over directly, until node 1 leads and has
// applied its term's first entry.
func (c *etcdTunedCluster) electFirst() error {
	if err := c.nodes[0].rn.Campaign(); err != nil {
		return err
	}
	var queue []*pb.Message
	for range 1000 {
		for _, n := range c.nodes {
			for n.rn.HasReady() {
				if err := c.ready(n, func(m *pb.Message) { queue = append(queue, m) }); err != nil {
					return err
				}
			}
		}
		if c.nodes[0].ready.Load() {
			return nil
		}
		if len(queue) == 0 {
			return errors.New("etcd-tuned: the first election stalled")
		}
		q := queue
		queue = nil
		for _, m := range q {
			if err := c.nodes[m.GetTo()-1].rn.Step(m); err != nil {
				return fmt.Errorf("etcd-tuned: election: %w", err)
			}
		}
	}
	return errors.New("etcd-tuned: no leader after 1,000 rounds")
}

// ready handles one Ready of n, sending its messages with send.
func (c *etcdTunedCluster) ready(n *etcdNode, send func(*pb.Message)) error {
	err := n.handleReady(send, func(id uint64) {
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

// send hands m to its node's inbox, or drops it if the inbox is full.
func (c *etcdTunedCluster) send(m *pb.Message) {
	select {
	case c.inbox[m.GetTo()-1] <- etcdInput{msg: m}:
	default:
	}
}

func (c *etcdTunedCluster) loop(n *etcdNode, box chan etcdInput) {
	tick := time.NewTicker(etcdTick)
	defer tick.Stop()
	step := func(x etcdInput) {
		if x.msg != nil {
			_ = n.rn.Step(x.msg) // a message of a stale term is refused: nothing to do
			return
		}
		if err := n.rn.Propose(x.prop); err != nil {
			c.fail(fmt.Errorf("etcd-tuned node %d: propose: %w", n.id, err))
		}
	}
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			n.rn.Tick()
		case x := <-box:
			step(x)
		drain:
			for {
				select {
				case x := <-box:
					step(x)
				default:
					break drain
				}
			}
		}
		for n.rn.HasReady() {
			if err := c.ready(n, c.send); err != nil {
				c.fail(err)
				return
			}
		}
	}
}

// Propose hands the proposal to node 1's inbox (blocking while it is
// full: a proposal is never dropped) and waits until node 1 applied it.
func (c *etcdTunedCluster) Propose(client int, p []byte) error {
	select {
	case c.inbox[0] <- etcdInput{prop: p}:
	case <-c.stop:
		return errStopped
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
