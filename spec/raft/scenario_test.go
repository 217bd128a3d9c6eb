package raft_test

import (
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// cluster steps nodes by hand, keeping the messages each sends.
type cluster struct {
	t     *testing.T
	p     *raft.Protocol
	nodes []raft.State
	sent  []spec.Output[raft.Msg] // in order, with their senders
	from  []int
}

func (c *cluster) step(i int, in spec.Input[raft.Msg]) {
	c.t.Helper()
	next, outs := c.p.Step(c.nodes[i], in)
	c.nodes[i] = next
	for _, o := range outs {
		if o.Kind == spec.Send {
			c.sent = append(c.sent, o)
			c.from = append(c.from, i)
		}
	}
}

// take removes and returns the k-th message sent from → to so far.
func (c *cluster) take(from, to, k int) raft.Msg {
	c.t.Helper()
	for i, o := range c.sent {
		if c.from[i] == from && int(o.To) == to {
			if k == 0 {
				c.sent = append(c.sent[:i:i], c.sent[i+1:]...)
				c.from = append(c.from[:i:i], c.from[i+1:]...)
				return o.Msg
			}
			k--
		}
	}
	c.t.Fatalf("no message %d from n%d to n%d", k, from, to)
	return raft.Msg{}
}

func (c *cluster) deliver(from, to, k int) raft.Msg {
	c.t.Helper()
	m := c.take(from, to, k)
	c.step(to, spec.Input[raft.Msg]{Kind: spec.Receive, From: spec.NodeID(from), Msg: m})
	return m
}

func mkLog(entries ...[2]int32) raft.Log {
	var l raft.Log
	for _, e := range entries {
		l = l.Append(raft.Entry{Val: e[0], Term: e[1]})
	}
	return l
}

// Course 6.2, counterexample (b): the 2020/21 truncation rule compared only
// the first new entry with the follower's log. The course gives a trace
// derived by hand, not by a tool, and asks that it be confirmed or refuted.
// It is out of reach of a bounded search from the initial state (four
// terms, eight entries, a duplicated refusal, a lost request), so this test
// starts from the exercise's logs and plays the trace step by step:
//
//	A = [m1¹ m2¹]   B = [m1¹ m4² m5² m6²] leader of term 4   C = [m1¹ m4² m7³]
//
// B's first LogRequest to C (prefix 4) is refused; the refusal is
// duplicated, and the prefix-3 request is refused too, so sentLength[C]
// falls to 1 while a prefix-2 request is still in flight. The prefix-1
// request arrives first: the old rule sees m4² = m4², does not truncate,
// appends m6 after m7 and acknowledges 4. The prefix-2 request is lost. B
// appends m8 and commits through index 5 — and B and C then hold different
// committed entries at index 3 (m5 and m7). Confirmed: the trace is real.
// With the 2021/22 rule C truncates after m4 and the logs agree.
func TestOldTruncationRuleDivergesOnTheCourseTrace(t *testing.T) {
	for _, mutant := range []string{"old-truncation", ""} {
		p, err := raft.New(raft.Params{N: 3, MaxTerm: 4, Candidates: 3, Requests: 0, Mutant: mutant})
		if err != nil {
			t.Fatal(err)
		}
		c := &cluster{t: t, p: p, nodes: []raft.State{
			{ID: 0, Term: 4, VotedFor: 1, Leader: 1, Log: mkLog([2]int32{1, 1}, [2]int32{2, 1}), Commit: 1},
			{ID: 1, Term: 4, VotedFor: 1, Leader: 1, Role: raft.Leader, Log: mkLog([2]int32{1, 1}, [2]int32{4, 2}, [2]int32{5, 2}, [2]int32{6, 2}), Commit: 1},
			{ID: 2, Term: 3, VotedFor: -1, Leader: -1, Log: mkLog([2]int32{1, 1}, [2]int32{4, 2}, [2]int32{7, 3}), Commit: 1},
		}}
		b := &c.nodes[1]
		b.Sent = [raft.MaxNodes]int32{4, 4, 4}
		b.Acked[1] = 4
		// B replicates to C from sentLength 4.
		c.sent = append(c.sent, spec.SendTo(2, raft.Msg{Kind: raft.LogRequest, From: 1, Term: 4, PrefixLen: 4, PrefixTer: 2, Commit: 1}))
		c.from = append(c.from, 1)

		c.deliver(1, 2, 0)         // prefix 4: C's log is too short, refused
		refusal := c.take(2, 1, 0) // the refusal …
		for range 2 {              // … arrives twice (duplicated)
			c.step(1, spec.Input[raft.Msg]{Kind: spec.Receive, From: 2, Msg: refusal})
		}
		c.deliver(1, 2, 0) // prefix 3: term 2 ≠ C's m7³, refused
		c.deliver(2, 1, 0) // B lowers sentLength[C] to 1
		if got := c.nodes[1].Sent[2]; got != 1 {
			t.Fatalf("%q: sentLength[C] = %d, want 1", mutant, got)
		}
		lost := c.take(1, 2, 0) // the prefix-2 request is lost
		if lost.PrefixLen != 2 {
			t.Fatalf("%q: lost request has prefix %d, want 2", mutant, lost.PrefixLen)
		}
		c.deliver(1, 2, 0) // the prefix-1 request
		ack := c.deliver(2, 1, 0)
		if ack.Ack != 4 || !ack.Granted {
			t.Fatalf("%q: C answered %+v, want ack 4", mutant, ack)
		}
		c.step(1, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: 8}})
		c.deliver(1, 2, 0) // m8, prefix 4
		c.deliver(2, 1, 0) // ack 5: B commits through 5
		c.step(1, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: 9}})
		c.deliver(1, 2, 0) // carries commit 5 to C

		bl, cl := c.nodes[1], c.nodes[2]
		if bl.Commit != 5 || cl.Commit != 5 {
			t.Fatalf("%q: commitLength B %d, C %d, want 5", mutant, bl.Commit, cl.Commit)
		}
		diverged := false
		for k := range 5 {
			diverged = diverged || bl.Log.At(k) != cl.Log.At(k)
		}
		if diverged != (mutant != "") {
			t.Errorf("%q: committed prefixes diverge = %v; B %v, C %v", mutant, diverged, bl.Log.Slice(0, 5), cl.Log.Slice(0, 5))
		}
		if mutant != "" && (cl.Log.At(2) != raft.Entry{Val: 7, Term: 3} || bl.Log.At(2) != raft.Entry{Val: 5, Term: 2}) {
			t.Errorf("old rule: index 3 holds %v at B and %v at C, want m5² and m7³", bl.Log.At(2), cl.Log.At(2))
		}
	}
}
