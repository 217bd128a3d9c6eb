package quorum

import "github.com/distsys/distsys/spec"

// Interchangeable: the replicas. Clients send to every replica and count
// answers without regard to who gave them, no message names a replica, and
// every property treats the replicas alike.
func (p *Protocol) Interchangeable() [][]spec.NodeID {
	g := make([]spec.NodeID, p.p.N)
	for i := range g {
		g[i] = spec.NodeID(i)
	}
	return [][]spec.NodeID{g}
}

// RenameState renames the replicas a client's state mentions: the set of
// replicas that answered (or, while a reader writes back, acknowledged)
// and the timestamp each answered with.
func (p *Protocol) RenameState(s State, r []spec.NodeID) State {
	if s.Role == Replica {
		return s
	}
	got, replies := s.Got, s.Replies
	s.Got, s.Replies = 0, [MaxReplicas]Stamp{}
	for i := range p.p.N {
		if got&(1<<i) != 0 {
			s.Got |= 1 << r[i]
		}
		s.Replies[r[i]] = replies[i]
	}
	return s
}

// RenameMsg returns m: messages name no node.
func (p *Protocol) RenameMsg(m Msg, _ []spec.NodeID) Msg { return m }

// RenameTimer returns t: the protocol sets no timers.
func (p *Protocol) RenameTimer(t spec.Timer, _ []spec.NodeID) spec.Timer { return t }

var _ spec.Symmetric[State, Msg] = (*Protocol)(nil)
