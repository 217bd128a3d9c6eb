package main

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
	etcdraft "go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// The protocol cores without goroutines: three nodes stepped one message
// at a time from a FIFO queue in one goroutine, one proposal committed per
// operation. This is the CPU a commit costs in the protocol code (and, for
// etcd, its MemoryStorage and Ready bookkeeping), with no scheduling, no
// channels and no timers. spec/raft has no compaction: every
// specEpoch commits its three nodes are reset to their state right after
// the election (a free assignment, since Step is pure), so that its logs
// stay as long as in a benchmark run (110k entries at most).
//
//	go test -run '^$' -bench Step -benchmem [-cpuprofile cpu.prof]

// specCluster is spec/raft's three nodes and the messages in flight.
type specCluster struct {
	p         *raft.Protocol
	s         [Nodes]raft.State
	q         []specEnvelope
	delivered int // Delivered observations at the leader
}

type specEnvelope struct {
	to spec.NodeID
	in spec.Input[raft.Msg]
}

func (c *specCluster) step(id spec.NodeID, in spec.Input[raft.Msg]) {
	var outs []spec.Output[raft.Msg]
	c.s[id], outs = c.p.Step(c.s[id], in)
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			c.q = append(c.q, specEnvelope{o.To, spec.Input[raft.Msg]{Kind: spec.Receive, From: id, Msg: o.Msg}})
		case spec.Observe:
			if o.Msg.Kind == raft.Delivered && id == 0 {
				c.delivered++
			}
		}
	}
}

// drain delivers messages until none is in flight.
func (c *specCluster) drain() {
	for len(c.q) > 0 {
		e := c.q[0]
		c.q = c.q[1:]
		c.step(e.to, e.in)
	}
	c.q = c.q[:0:0]
}

// specEpoch is how many commits spec/raft's single-goroutine cluster
// takes before it is reset to its elected state.
const specEpoch = 110_000

// newSpecCluster elects node 0.
func newSpecCluster(tb testing.TB) *specCluster {
	rp := raft.RuntimeParams(Nodes)
	rp.Candidates = 1
	p, err := raft.New(rp)
	if err != nil {
		tb.Fatal(err)
	}
	c := &specCluster{p: p}
	for i := range Nodes {
		c.s[i] = p.Init(spec.NodeID(i))
		c.step(spec.NodeID(i), spec.Input[raft.Msg]{Kind: spec.Start})
	}
	c.step(0, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Election})
	c.drain()
	if c.s[0].Role != raft.Leader {
		tb.Fatalf("node 0 is %s after its election", c.s[0].Role)
	}
	return c
}

// benchSpec commits b.N proposals, batch at a time (batch clients with one
// request outstanding each).
func benchSpec(b *testing.B, batch int) {
	c := newSpecCluster(b)
	elected := c.s
	b.ReportAllocs()
	b.ResetTimer()
	seq := 0
	for done := 0; done < b.N; {
		if c.s[0].Log.Len()+batch > specEpoch {
			c.s = elected
		}
		want := c.delivered + batch
		for k := range batch {
			seq++
			c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int32(k + 1), Cmd: string(proposal(k, seq))}})
		}
		c.drain()
		if c.delivered != want {
			b.Fatalf("leader delivered %d entries, want %d", c.delivered, want)
		}
		done += batch
	}
}

func BenchmarkStepSpecRaft(b *testing.B) {
	for _, batch := range []int{1, 8} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchSpec(b, batch) })
	}
}

// etcdSync is etcd raft's three RawNodes stepped in one goroutine.
type etcdSync struct {
	nodes     []*etcdNode
	q         []*pb.Message
	delivered int
	cut       [Nodes]bool // a cut node's messages are dropped, both ways
}

func newEtcdSync(tb testing.TB) *etcdSync {
	cl, err := newEtcdNodes()
	if err != nil {
		tb.Fatal(err)
	}
	c := &etcdSync{nodes: cl}
	if err := c.nodes[0].rn.Campaign(); err != nil {
		tb.Fatal(err)
	}
	c.drain(tb)
	if st := c.nodes[0].rn.BasicStatus(); st.RaftState != etcdraft.StateLeader {
		tb.Fatalf("node 1 is %s after its election", st.RaftState)
	}
	return c
}

// drain handles Ready on every node and delivers messages until nothing is
// left to do.
func (c *etcdSync) drain(tb testing.TB) {
	for {
		busy := false
		for _, n := range c.nodes {
			for n.rn.HasReady() {
				busy = true
				err := n.handleReady(
					func(m *pb.Message) {
						if !c.cut[m.GetTo()-1] && !c.cut[n.id-1] {
							c.q = append(c.q, m)
						}
					},
					func(uint64) {
						if n.id == 1 {
							c.delivered++
						}
					})
				if err != nil {
					tb.Fatal(err)
				}
			}
		}
		for len(c.q) > 0 {
			busy = true
			m := c.q[0]
			c.q = c.q[1:]
			if err := c.nodes[m.GetTo()-1].rn.Step(m); err != nil {
				tb.Fatal(err)
			}
		}
		c.q = c.q[:0:0]
		if !busy {
			return
		}
	}
}

func benchEtcd(b *testing.B, batch int) {
	c := newEtcdSync(b)
	b.ReportAllocs()
	b.ResetTimer()
	seq := 0
	for done := 0; done < b.N; done += batch {
		want := c.delivered + batch
		for k := range batch {
			seq++
			if err := c.nodes[0].rn.Propose(proposal(k, seq)); err != nil {
				b.Fatal(err)
			}
		}
		c.drain(b)
		if c.delivered != want {
			b.Fatalf("leader applied %d entries, want %d", c.delivered, want)
		}
	}
}

func BenchmarkStepEtcd(b *testing.B) {
	for _, batch := range []int{1, 8} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchEtcd(b, batch) })
	}
}

// TestStepDrivers checks the two single-goroutine drivers the benchmarks
// use: every proposal is committed and applied by the leader.
func TestStepDrivers(t *testing.T) {
	c := newSpecCluster(t)
	for k := 1; k <= 3000; k++ {
		c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: 1, Cmd: string(proposal(0, k))}})
		c.drain()
	}
	if c.delivered != 3000 || c.s[1].Commit != 2999 {
		t.Errorf("spec/raft: leader delivered %d, follower committed %d; want 3000 and 2999", c.delivered, c.s[1].Commit)
	}
	e := newEtcdSync(t)
	for k := 1; k <= 3000; k++ {
		if err := e.nodes[0].rn.Propose(proposal(0, k)); err != nil {
			t.Fatal(err)
		}
		e.drain(t)
	}
	if e.delivered != 3000 {
		t.Errorf("etcd: leader applied %d, want 3000", e.delivered)
	}
	for _, n := range e.nodes {
		first, _ := n.storage.FirstIndex()
		last, _ := n.storage.LastIndex()
		if last-first+1 > uint64(2*compactEvery) {
			t.Errorf("etcd node %d holds %d entries", n.id, last-first+1)
		}
	}
}

// TestEtcdLaggingFollowerGetsSnapshot cuts node 3 off while the others
// commit and compact far past it; when it is back, the leader can only
// send it a snapshot, which the adapter must install (store included).
func TestEtcdLaggingFollowerGetsSnapshot(t *testing.T) {
	defer func(k int) { compactEvery = k }(compactEvery)
	compactEvery = 16
	e := newEtcdSync(t)
	e.cut[2] = true
	for k := 1; k <= 200; k++ {
		if err := e.nodes[0].rn.Propose(proposal(0, k)); err != nil {
			t.Fatal(err)
		}
		e.drain(t)
	}
	if got := e.nodes[2].kv.count(); got != 0 {
		t.Fatalf("cut node applied %d", got)
	}
	e.cut[2] = false
	for range 5 { // heartbeats: the leader learns where node 3 is
		e.nodes[0].rn.Tick()
		e.drain(t)
	}
	for k := 201; k <= 210; k++ {
		if err := e.nodes[0].rn.Propose(proposal(0, k)); err != nil {
			t.Fatal(err)
		}
		e.drain(t)
	}
	e.nodes[0].rn.Tick() // a heartbeat carries the last commit index
	e.drain(t)
	if a, b := e.nodes[0].kv.count(), e.nodes[2].kv.count(); a != 210 || b != 210 || e.nodes[0].kv.vals != e.nodes[2].kv.vals {
		t.Errorf("leader applied %d, the lagging node %d (stores equal: %v)", a, b, e.nodes[0].kv.vals == e.nodes[2].kv.vals)
	}
	if e.nodes[2].compacted < 100 {
		t.Errorf("the lagging node's log starts at %d: it got no snapshot", e.nodes[2].compacted)
	}
}

// How spec/raft's Step cost depends on the log's length L, measured with
// go test -run '^$' -bench LogLength -benchmem:
//
//   - follower: a LogRequest that extends the log by one 16-byte-command
//     entry (the follower's state advances each time, so the log grows in
//     place; it is reset to length L every 100k entries);
//   - leader: a LogResponse acknowledging entry L: commitEntries takes the
//     quorum-th largest ackedLength and delivers entry L.
//
// Neither depends on L: appends do not copy the log, and the commit index
// is found in O(N).
func BenchmarkSpecRaftLogLength(b *testing.B) {
	p, err := raft.New(raft.RuntimeParams(Nodes))
	if err != nil {
		b.Fatal(err)
	}
	cmd := string(proposal(0, 1))
	for _, l := range []int{8, 1024, 16384, 131072} {
		var log raft.Log
		for i := range l {
			log = log.Append(raft.Entry{Term: 1, Val: int32(i%100 + 1), Cmd: cmd})
		}
		b.Run(fmt.Sprintf("follower-append/L=%d", l), func(b *testing.B) {
			start := raft.State{ID: 1, Term: 1, VotedFor: 0, Log: log, Commit: int32(l - 1), Leader: 0}
			s := start
			m := raft.Msg{Kind: raft.LogRequest, From: 0, Term: 1, PrefixTer: 1, Commit: int32(l - 1)}
			suffix := raft.LogOf(raft.Entry{Term: 1, Val: 1, Cmd: cmd})
			b.ReportAllocs()
			for b.Loop() {
				if s.Log.Len() >= l+100_000 {
					s = start
				}
				m.PrefixLen, m.Suffix = int32(s.Log.Len()), suffix
				s2, _ := p.Step(s, spec.Input[raft.Msg]{Kind: spec.Receive, From: 0, Msg: m})
				if s2.Log.Len() != s.Log.Len()+1 {
					b.Fatalf("log of %d entries", s2.Log.Len())
				}
				s = s2
			}
		})
		b.Run(fmt.Sprintf("leader-commit/L=%d", l), func(b *testing.B) {
			s := raft.State{ID: 0, Term: 1, VotedFor: 0, Log: log, Commit: int32(l - 1), Role: raft.Leader, Leader: 0, Votes: 3}
			s.Sent = [raft.MaxNodes]int32{int32(l), int32(l - 1), int32(l - 1)}
			s.Acked = [raft.MaxNodes]int32{int32(l), int32(l - 1), int32(l - 1)}
			in := spec.Input[raft.Msg]{Kind: spec.Receive, From: 1, Msg: raft.Msg{Kind: raft.LogResponse, From: 1, Term: 1, Ack: int32(l), Granted: true}}
			b.ReportAllocs()
			for b.Loop() {
				s2, outs := p.Step(s, in)
				if int(s2.Commit) != l || len(outs) != 1 {
					b.Fatalf("commit %d, %d outputs", s2.Commit, len(outs))
				}
			}
		})
	}
}
