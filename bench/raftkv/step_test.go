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
// channels and no timers. For spec/raft it is the only measurement the
// workload allows (its log holds 8 entries: see README.md), so the three
// nodes are reset to their state right after the election whenever the
// leader's log is full: a free assignment, since Step is pure.
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

// newSpecCluster elects node 0.
func newSpecCluster(tb testing.TB) *specCluster {
	p, err := raft.New(raft.Params{N: Nodes, MaxTerm: 7, MaxBeats: 0, Candidates: 1})
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
	for done := 0; done < b.N; {
		if len(c.s[0].Log)+batch > raft.MaxEntries {
			c.s = elected
		}
		want := c.delivered + batch
		for k := range batch {
			c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int8(k + 1)}})
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
	for k := 1; k <= raft.MaxEntries; k++ {
		c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int8(k)}})
		c.drain()
	}
	if c.delivered != raft.MaxEntries || int(c.s[1].Commit) != raft.MaxEntries-1 {
		t.Errorf("spec/raft: leader delivered %d, follower committed %d; want %d and %d", c.delivered, c.s[1].Commit, raft.MaxEntries, raft.MaxEntries-1)
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

// How spec/raft's Step cost grows with the log's length L, measured with
// go test -run '^$' -bench LogLength -benchmem. Its int8 indices stop at
// 127 entries, and its leader refuses a request beyond raft.MaxEntries,
// but the two handlers below run on any log that fits int8:
//
//   - follower: a LogRequest that extends the log by one entry; Step copies
//     the whole log (appendEntries: append([]Entry(nil), s.Log...)) and
//     then, because L >= MaxEntries, appends nothing;
//   - leader: a LogResponse acknowledging entry L; commitEntries counts,
//     for every length 1..L, the nodes that acknowledged it (L*N steps),
//     then delivers entry L.
func BenchmarkSpecRaftLogLength(b *testing.B) {
	p, err := raft.New(raft.Params{N: Nodes, MaxTerm: 7, Candidates: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range []int{8, 32, 64, 127} {
		log := make([]raft.Entry, l)
		for i := range log {
			log[i] = raft.Entry{Term: 1, Val: int8(i%100 + 1)}
		}
		b.Run(fmt.Sprintf("follower-append/L=%d", l), func(b *testing.B) {
			s := raft.State{ID: 1, Term: 1, VotedFor: 0, Log: log, Commit: int8(l - 1), Leader: 0}
			in := spec.Input[raft.Msg]{Kind: spec.Receive, From: 0, Msg: raft.Msg{
				Kind: raft.LogRequest, From: 0, Term: 1, PrefixLen: int8(l), PrefixTer: 1, Commit: int8(l - 1),
				Suffix: []raft.Entry{{Term: 1, Val: 1}},
			}}
			b.ReportAllocs()
			for b.Loop() {
				s2, _ := p.Step(s, in)
				if len(s2.Log) != l {
					b.Fatalf("log of %d entries", len(s2.Log))
				}
			}
		})
		b.Run(fmt.Sprintf("leader-commit/L=%d", l), func(b *testing.B) {
			s := raft.State{ID: 0, Term: 1, VotedFor: 0, Log: log, Commit: int8(l - 1), Role: raft.Leader, Leader: 0, Votes: 3}
			s.Sent = [raft.MaxNodes]int8{int8(l), int8(l - 1), int8(l - 1)}
			s.Acked = [raft.MaxNodes]int8{int8(l), int8(l - 1), int8(l - 1)}
			in := spec.Input[raft.Msg]{Kind: spec.Receive, From: 1, Msg: raft.Msg{Kind: raft.LogResponse, From: 1, Term: 1, Ack: int8(l), Granted: true}}
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

// wideEntry is what an entry would be if spec/raft carried the
// benchmark's proposals: a 64-bit term and the 16-byte command inline.
type wideEntry struct {
	Term uint64
	Cmd  [ProposalSize]byte
}

// BenchmarkCopyLog is the copy spec/raft's leader (clientRequest, through
// append on a full-capacity slice) and followers (appendEntries) make of
// the whole log for every new entry, at the lengths the peers' logs have
// under the benchmark's compaction (compactEvery .. 2*compactEvery), with
// entries as wide as the benchmark needs.
func BenchmarkCopyLog(b *testing.B) {
	for _, l := range []int{1024, 1536, 2048} {
		log := make([]wideEntry, l)
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(l) * 24) // a wideEntry is 24 bytes
			for b.Loop() {
				next := append(log[:l:l], wideEntry{Term: 1})
				if len(next) != l+1 {
					b.Fatal(len(next))
				}
			}
		})
	}
}
