package atomiccommit

import "github.com/distsys/distsys/spec"

// Interchangeable: the participants. The coordinator sends to each alike
// and counts yes votes without regard to who cast them, no message names
// a participant, and every property treats them alike.
func (pr *Protocol) Interchangeable() [][]spec.NodeID {
	g := make([]spec.NodeID, pr.p.Participants)
	for i := range g {
		g[i] = spec.NodeID(i + 1)
	}
	return [][]spec.NodeID{g}
}

// RenameState renames a participant's own id, and the participants in the
// coordinator's set of yes votes.
func (pr *Protocol) RenameState(s State, r []spec.NodeID) State {
	s.Me = r[s.Me]
	yes := s.Yes
	s.Yes = 0
	for i := 1; i <= pr.p.Participants; i++ {
		if yes>>i&1 == 1 {
			s.Yes |= 1 << r[i]
		}
	}
	return s
}

// RenameMsg returns m: messages name no node.
func (pr *Protocol) RenameMsg(m Msg, _ []spec.NodeID) Msg { return m }

// RenameTimer returns t: each node's timers are its own.
func (pr *Protocol) RenameTimer(t spec.Timer, _ []spec.NodeID) spec.Timer { return t }

var _ spec.Symmetric[State, Msg] = (*Protocol)(nil)
