package raft_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/spec/spectest"
)

// runtimeCluster steps RuntimeParams nodes in one goroutine, messages in
// FIFO order, keeping what each node delivers and which timers are set.
type runtimeCluster struct {
	t         *testing.T
	p         *raft.Protocol
	s         []raft.State
	q         []envelope
	timers    []map[spec.Timer]bool
	delivered [][]raft.Msg
}

type envelope struct {
	from, to int
	m        raft.Msg
}

func newRuntimeCluster(t *testing.T, n int) *runtimeCluster {
	p, err := raft.New(raft.RuntimeParams(n))
	if err != nil {
		t.Fatal(err)
	}
	c := &runtimeCluster{t: t, p: p, s: make([]raft.State, n), timers: make([]map[spec.Timer]bool, n), delivered: make([][]raft.Msg, n)}
	for i := range n {
		c.s[i] = p.Init(spec.NodeID(i))
		c.timers[i] = map[spec.Timer]bool{}
		c.step(i, spec.Input[raft.Msg]{Kind: spec.Start})
	}
	return c
}

func (c *runtimeCluster) step(i int, in spec.Input[raft.Msg]) {
	var outs []spec.Output[raft.Msg]
	c.s[i], outs = c.p.Step(c.s[i], in)
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			c.q = append(c.q, envelope{i, int(o.To), o.Msg})
		case spec.SetTimer:
			c.timers[i][o.Timer] = true
		case spec.CancelTimer:
			delete(c.timers[i], o.Timer)
		case spec.Observe:
			if o.Msg.Kind == raft.Delivered {
				c.delivered[i] = append(c.delivered[i], o.Msg)
			}
		}
	}
}

func (c *runtimeCluster) fire(i int, tm spec.Timer) {
	c.t.Helper()
	if !c.timers[i][tm] {
		c.t.Fatalf("n%d: timer %s is not set", i, c.p.TimerName(tm))
	}
	delete(c.timers[i], tm)
	c.step(i, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: tm})
	c.drain()
}

func (c *runtimeCluster) drain() {
	for len(c.q) > 0 {
		e := c.q[0]
		c.q = c.q[1:]
		c.step(e.to, spec.Input[raft.Msg]{Kind: spec.Receive, From: spec.NodeID(e.from), Msg: e.m})
	}
}

func command(k int) string { return fmt.Sprintf("put %012d", k) } // 16 bytes

// At run time (RuntimeParams) Raft has no checker bounds: thousands of
// entries with 16-byte commands, indices and terms far past int8, and a
// heartbeat that never stops, so followers learn the last commit.
func TestRuntimeScale(t *testing.T) {
	c := newRuntimeCluster(t, 3)
	c.fire(0, raft.Election)
	if c.s[0].Role != raft.Leader {
		t.Fatalf("n0 is %s after its election", c.s[0].Role)
	}
	const total, batch = 3000, 7
	for k := 0; k < total; k += batch {
		for j := k; j < min(k+batch, total); j++ {
			// Requests go to the leader and, through a follower, by Forward.
			c.step(j%2, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int32(j % 64), Cmd: command(j)}})
		}
		c.drain()
	}
	if len(c.delivered[0]) != total || c.s[1].Commit == total {
		t.Fatalf("leader delivered %d of %d; follower commit %d (it should learn the last commit only from the next LogRequest)", len(c.delivered[0]), total, c.s[1].Commit)
	}
	for range 10 { // the heartbeat is re-armed every time
		c.fire(0, raft.Heartbeat)
	}
	for i := range 3 {
		if len(c.delivered[i]) != total || int(c.s[i].Commit) != total || c.s[i].Log.Len() != total {
			t.Fatalf("n%d delivered %d, commit %d, log %d; want %d", i, len(c.delivered[i]), c.s[i].Commit, c.s[i].Log.Len(), total)
		}
		seen := map[string]bool{}
		for k, d := range c.delivered[i] {
			if int(d.Index) != k+1 || len(d.Cmd) != 16 || seen[d.Cmd] || d.Cmd != c.delivered[0][k].Cmd {
				t.Fatalf("n%d's delivery %d: %s", i, k+1, c.p.FormatMsg(d))
			}
			seen[d.Cmd] = true
		}
	}

	// Leadership moves between n0 and n1 in 150 more terms, one request
	// committed in each: terms beyond int8 too.
	for term := range 150 {
		cand := (term + 1) % 2
		c.fire(cand, raft.Election)
		if c.s[cand].Role != raft.Leader {
			t.Fatalf("term %d: n%d is %s", c.s[cand].Term, cand, c.s[cand].Role)
		}
		c.step(cand, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: 1, Cmd: command(total + term)}})
		c.drain()
	}
	c.fire(0, raft.Heartbeat) // the last leader is n0
	for i := range 3 {
		if c.s[i].Term != 151 || int(c.s[i].Commit) != total+150 || !c.s[i].Log.Equal(c.s[0].Log) {
			t.Errorf("n%d: term %d, commit %d, log of %d", i, c.s[i].Term, c.s[i].Commit, c.s[i].Log.Len())
		}
	}
}

// Step stays pure with the runtime's parameters and commands.
func TestStepIsPureAtRuntime(t *testing.T) {
	p, err := raft.New(raft.RuntimeParams(3))
	if err != nil {
		t.Fatal(err)
	}
	var work []spec.WorkItem[raft.Msg]
	for k := range 6 {
		work = append(work, spec.WorkItem[raft.Msg]{Node: spec.NodeID(k % 3), Choices: []raft.Msg{{Kind: raft.ClientRequest, Val: int32(k + 1), Cmd: command(k)}}})
	}
	spectest.Pure(t, p, work, 60)
}

func TestParamsBounds(t *testing.T) {
	for _, c := range []struct {
		p  raft.Params
		ok bool
	}{
		{raft.DefaultParams(), true},
		{raft.RuntimeParams(5), true},
		{raft.Params{N: 3, MaxTerm: 0, Candidates: 1}, false},
		{raft.Params{N: 3, MaxTerm: 8, Candidates: 1}, false},
		{raft.Params{N: 3, MaxTerm: 2, MaxBeats: 4, Candidates: 1}, false},
		{raft.Params{N: 3, MaxTerm: 2, MaxLog: raft.MaxEntries + 1, Candidates: 1}, false},
		{raft.Params{N: 3, MaxTerm: 2, MaxLog: 2, Candidates: 1}, true},
		{raft.Params{N: 3, MaxTerm: -1, MaxBeats: -1, MaxLog: -1, Candidates: 1, Requests: 5}, false},
	} {
		if _, err := raft.New(c.p); (err == nil) != c.ok {
			t.Errorf("New(%+v): %v", c.p, err)
		}
	}
}

// MaxLog bounds a log in the checker: a leader drops a request beyond it.
func TestMaxLogBoundsTheLog(t *testing.T) {
	p, err := raft.New(raft.Params{N: 1, MaxTerm: 1, Candidates: 1, MaxLog: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Init(0)
	s, _ = p.Step(s, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Election})
	for k := range 4 {
		s, _ = p.Step(s, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int32(k + 1)}})
	}
	if s.Role != raft.Leader || s.Log.Len() != 2 {
		t.Errorf("%s: want a leader holding 2 entries", p.FormatState(s))
	}
}
