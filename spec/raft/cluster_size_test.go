package raft_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// Clusters of 7, 9 and MaxNodes nodes elect a leader and commit through
// Step: the highest-numbered node stands (its own vote is bit n-1 of
// Votes, past a byte from 9 nodes on), is elected, commits requests sent
// to it and, by Forward, to the other nodes, and every node delivers them
// in order once the heartbeat carries the commit.
func TestLargeClustersElectAndCommit(t *testing.T) {
	for _, n := range []int{7, 9, raft.MaxNodes} {
		t.Run(fmt.Sprintf("%d nodes", n), func(t *testing.T) {
			c := newRuntimeCluster(t, n)
			cand := n - 1
			c.fire(cand, raft.Election)
			if s := c.s[cand]; s.Role != raft.Leader || s.Term != 1 {
				t.Fatalf("n%d after its election: %s", cand, c.p.FormatState(s))
			}
			const requests = 3 * raft.MaxNodes
			for k := range requests {
				c.step(k%n, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int32(k + 1), Cmd: command(k)}})
				c.drain()
			}
			c.fire(cand, raft.Heartbeat)
			for i := range n {
				s := c.s[i]
				if int(s.Commit) != requests || len(c.delivered[i]) != requests || !s.Log.Equal(c.s[cand].Log) || s.Leader != int8(cand) {
					t.Fatalf("n%d: commit %d, delivered %d, leader n%d; want %d committed under n%d", i, s.Commit, len(c.delivered[i]), s.Leader, requests, cand)
				}
				for k, d := range c.delivered[i] {
					if d.Cmd != c.delivered[cand][k].Cmd {
						t.Fatalf("n%d's delivery %d is %s, the leader's %s", i, k+1, c.p.FormatMsg(d), c.p.FormatMsg(c.delivered[cand][k]))
					}
				}
			}
		})
	}
}

// In a nine-node cluster a candidate needs five votes, its own included:
// with only three others reachable it stays a candidate; a fourth, the
// node past a byte's worth of votes, elects it. A leader that hears from
// only three followers commits nothing; a fourth acknowledgement commits.
func TestNineNodesNeedFiveVotesAndFiveCopies(t *testing.T) {
	const n = 9
	p, err := raft.New(raft.RuntimeParams(n))
	if err != nil {
		t.Fatal(err)
	}
	if p.Quorum() != 5 {
		t.Fatalf("quorum of 9: %d", p.Quorum())
	}
	c := newRuntimeCluster(t, n)
	// n0 stands; only n1..n3 answer at first (the others' messages are
	// held back), then n8.
	reach := map[int]bool{0: true, 1: true, 2: true, 3: true}
	held := c.deliverOnly(reach, func() {
		c.step(0, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Election})
	})
	if s := c.s[0]; s.Role != raft.Candidate {
		t.Fatalf("n0 with 4 of 9 votes: %s", c.p.FormatState(s))
	}
	reach[8] = true
	held = c.deliverHeld(reach, held)
	if s := c.s[0]; s.Role != raft.Leader || s.Votes != 1<<0|1<<1|1<<2|1<<3|1<<8 {
		t.Fatalf("n0 with 5 of 9 votes: %s, votes %b", c.p.FormatState(s), s.Votes)
	}
	delete(reach, 8)
	held = c.deliverHeld(reach, held)
	held = c.deliverOnly(reach, func() {
		c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: 1, Cmd: command(1)}})
	})
	if c.s[0].Commit != 0 {
		t.Fatalf("committed on 4 copies of 9: %s", c.p.FormatState(c.s[0]))
	}
	reach[8] = true
	c.deliverHeld(reach, held)
	if c.s[0].Commit != 1 || len(c.delivered[0]) != 1 {
		t.Fatalf("not committed on 5 copies of 9: %s", c.p.FormatState(c.s[0]))
	}
}

// deliverOnly runs act, then delivers queued messages between nodes of
// reach until none is left, and returns the others, held back.
func (c *runtimeCluster) deliverOnly(reach map[int]bool, act func()) []envelope {
	act()
	return c.deliverHeld(reach, nil)
}

// deliverHeld delivers held and queued messages between nodes of reach
// until none is left, and returns the others.
func (c *runtimeCluster) deliverHeld(reach map[int]bool, held []envelope) []envelope {
	c.q = append(held, c.q...)
	var keep []envelope
	for len(c.q) > 0 {
		e := c.q[0]
		c.q = c.q[1:]
		if !reach[e.from] || !reach[e.to] {
			keep = append(keep, e)
			continue
		}
		c.step(e.to, spec.Input[raft.Msg]{Kind: spec.Receive, From: spec.NodeID(e.from), Msg: e.m})
	}
	return keep
}

// Past MaxNodes a cluster is refused with the bound, not truncated.
func TestClusterBeyondMaxNodesIsRefused(t *testing.T) {
	if _, err := raft.New(raft.RuntimeParams(raft.MaxNodes + 1)); err == nil {
		t.Errorf("%d nodes accepted", raft.MaxNodes+1)
	}
}
