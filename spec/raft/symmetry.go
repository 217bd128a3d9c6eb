package raft

import (
	"math/bits"

	"github.com/distsys/distsys/spec"
)

// Interchangeable groups the nodes that play the same part in a check:
// the candidates (nodes below Candidates) that are given no client
// request, and likewise the other nodes. A node that is given a request
// is singled out by its value (request k goes to node k-1 mod N). At the
// defaults (n0 takes the request, n1 stands for election, n2 does not) no
// two nodes qualify; with -candidates 3 -requests 1, n1 and n2 do. The
// handlers never compare node ids, only test them for equality, and the
// properties speak of every node alike, so renaming a group's nodes maps
// executions to executions.
func (p *Protocol) Interchangeable() [][]spec.NodeID {
	var cand, other []spec.NodeID
	for i := min(p.p.Requests, p.p.N); i < p.p.N; i++ {
		if i < p.p.Candidates {
			cand = append(cand, spec.NodeID(i))
		} else {
			other = append(other, spec.NodeID(i))
		}
	}
	var groups [][]spec.NodeID
	for _, g := range [][]spec.NodeID{cand, other} {
		if len(g) >= 2 {
			groups = append(groups, g)
		}
	}
	return groups
}

// RenameState renames the nodes s mentions by r: its own id, its vote, the
// leader it knows, the votes it has received, and the follower indices of
// a leader's sentLength and ackedLength. Logs and snapshots name no node.
func (p *Protocol) RenameState(s State, r []spec.NodeID) State {
	s.ID = int8(r[s.ID])
	s.VotedFor = renameNode(s.VotedFor, r)
	s.Leader = renameNode(s.Leader, r)
	var votes uint16
	for v := s.Votes; v != 0; v &= v - 1 {
		votes |= 1 << r[bits.TrailingZeros16(v)]
	}
	s.Votes = votes
	var sent, acked [MaxNodes]int32
	for i := range p.p.N {
		sent[r[i]], acked[r[i]] = s.Sent[i], s.Acked[i]
	}
	s.Sent, s.Acked = sent, acked
	return s
}

// RenameMsg renames the nodes m mentions by r: its sender (every kind but
// a client's request, which has none) and the candidate a Voted
// observation names. A field a kind does not use stays as it is, so that
// a renamed message is exactly the one the renamed execution sends.
func (p *Protocol) RenameMsg(m Msg, r []spec.NodeID) Msg {
	if m.Kind != ClientRequest {
		m.From = int8(r[m.From])
	}
	if m.Kind == Voted {
		m.Candidate = int8(r[m.Candidate])
	}
	return m
}

// RenameTimer returns t: raft's timers belong to a node, not to a peer.
func (p *Protocol) RenameTimer(t spec.Timer, _ []spec.NodeID) spec.Timer { return t }

// renameNode renames node n by r; -1 (none) stays.
func renameNode(n int8, r []spec.NodeID) int8 {
	if n < 0 {
		return n
	}
	return int8(r[n])
}

var _ spec.Symmetric[State, Msg] = (*Protocol)(nil)
