package paxosnode

import "github.com/distsys/distsys/spec"

// Interchangeable: the acceptors. Proposers send to each alike and count
// promises and acceptances without regard to who gave them, learners
// count acceptors alike, no message names an acceptor, and every property
// treats them alike.
func (pr *Protocol) Interchangeable() [][]spec.NodeID {
	if pr.p.Acceptors < 2 {
		return nil
	}
	g := make([]spec.NodeID, pr.p.Acceptors)
	for i := range g {
		g[i] = pr.firstAcceptor() + spec.NodeID(i)
	}
	return [][]spec.NodeID{g}
}

// RenameState renames an acceptor's own id, the acceptors in a proposer's
// set of answers, and a learner's tallies, indexed by acceptor.
func (pr *Protocol) RenameState(s State, r []spec.NodeID) State {
	s.Me = r[s.Me]
	got, heard := s.Got, s.Heard
	s.Got, s.Heard = 0, [MaxAcceptors]Vote{}
	first := pr.firstAcceptor()
	for i := range pr.p.Acceptors {
		a := first + spec.NodeID(i)
		if got>>a&1 == 1 {
			s.Got |= 1 << r[a]
		}
		s.Heard[r[a]-first] = heard[i]
	}
	return s
}

// RenameMsg returns m: messages name no node.
func (pr *Protocol) RenameMsg(m Msg, _ []spec.NodeID) Msg { return m }

// RenameTimer returns t: each proposer's timer is its own.
func (pr *Protocol) RenameTimer(t spec.Timer, _ []spec.NodeID) spec.Timer { return t }

var _ spec.Symmetric[State, Msg] = (*Protocol)(nil)
