package ftcommit

import "github.com/distsys/distsys/spec"

type out = spec.Out[Msg]

// Step applies one input to the sequencer or a participant. It takes s
// by value (its arrays are copied with it), so the caller's state is
// untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	var o out
	if s.Me == Sequencer {
		if in.Kind == spec.Receive && in.Msg.Kind == Bcast {
			s = pr.stamp(s, in.Msg.Ballot, &o)
		}
		return s, o
	}
	switch in.Kind {
	case spec.Start, spec.Recover:
		pr.suspectOthers(s, &o)
	case spec.Choose:
		if in.Msg.Kind == Choice && s.Vote == None && s.Outcome == Undecided {
			s.Vote = in.Msg.Ballot.Vote
			s = pr.broadcast(s, Ballot{Voter: uint8(s.Me), By: uint8(s.Me), Vote: s.Vote}, &o)
		}
	case spec.Request:
		if in.Msg.Kind == Ask && s.Outcome != Undecided {
			o.Observe(Msg{Kind: Decided, Outcome: s.Outcome})
		}
	case spec.Fire:
		s = pr.suspect(s, int(in.Timer), &o)
	case spec.Receive:
		switch in.Msg.Kind {
		case Ordered:
			s = pr.receiveOrdered(s, in.Msg, &o)
		case Direct:
			s = pr.deliver(s, in.Msg.Ballot, &o)
		}
	}
	return s, o
}

// suspectOthers arms the suspicion of every other participant whose vote
// is not counted yet, while undecided.
func (pr *Protocol) suspectOthers(s State, o *out) {
	if s.Outcome != Undecided {
		return
	}
	for r := 1; r <= pr.p.Participants; r++ {
		if spec.NodeID(r) != s.Me && s.Counted[r-1].Vote == None && s.Suspected>>r&1 == 0 {
			o.SetTimer(suspectTimer(r))
		}
	}
}

// suspect: the failure detector suspects r. If r's vote is not counted
// here yet, broadcast no on r's behalf (once).
func (pr *Protocol) suspect(s State, r int, o *out) State {
	if r < 1 || r > pr.p.Participants || spec.NodeID(r) == s.Me || s.Outcome != Undecided ||
		s.Counted[r-1].Vote != None || s.Suspected>>r&1 == 1 {
		return s
	}
	s.Suspected |= 1 << r
	return pr.broadcast(s, Ballot{Voter: uint8(r), By: uint8(s.Me), Vote: No}, o)
}

// broadcast sends v by the protocol's broadcast: to the sequencer under
// total order; straight to every other participant, and delivered here
// at once, under reliable broadcast.
func (pr *Protocol) broadcast(s State, v Ballot, o *out) State {
	if pr.p.Broadcast == Total {
		o.Send(Sequencer, Msg{Kind: Bcast, Ballot: v})
		return s
	}
	for r := 1; r <= pr.p.Participants; r++ {
		if spec.NodeID(r) != s.Me {
			o.Send(spec.NodeID(r), Msg{Kind: Direct, Ballot: v})
		}
	}
	return pr.deliver(s, v, o)
}

// stamp: the sequencer gives a ballot the next sequence number and sends
// it on to every participant; a duplicate is stamped only once.
func (pr *Protocol) stamp(s State, v Ballot, o *out) State {
	bit := uint16(1) << ((int(v.Voter)-1)*MaxParticipants + int(v.By) - 1)
	if s.Stamped&bit != 0 || int(s.Next) >= maxVotes {
		return s
	}
	s.Stamped |= bit
	m := Msg{Kind: Ordered, Ballot: v, Seq: s.Next}
	s.Next++
	o.SendAll(pr.Nodes(), m, Sequencer)
	return s
}

// receiveOrdered holds a stamped ballot back until every lower stamp is
// delivered, then delivers every ballot it can, in stamp order.
func (pr *Protocol) receiveOrdered(s State, m Msg, o *out) State {
	if m.Seq < s.Next || int(m.Seq) >= maxVotes || s.Held>>m.Seq&1 == 1 {
		return s
	}
	s.Held |= 1 << m.Seq
	s.Pending[m.Seq] = m.Ballot
	for s.Held>>s.Next&1 == 1 {
		v := s.Pending[s.Next]
		s.Held &^= 1 << s.Next
		s.Pending[s.Next] = Ballot{}
		s.Next++
		s = pr.deliver(s, v, o)
	}
	return s
}

// deliver counts v if it is the first vote delivered for its voter, then
// decides: abort on a counted no, commit once every participant's counted
// vote is yes. The last-vote mutant counts every vote, replacing the one
// before, and decides again each time.
func (pr *Protocol) deliver(s State, v Ballot, o *out) State {
	c := &s.Counted[v.Voter-1]
	switch {
	case c.Vote == None:
		*c = v
		if int(v.Voter) != int(s.Me) && s.Suspected>>v.Voter&1 == 0 {
			o.CancelTimer(suspectTimer(int(v.Voter)))
		}
	case pr.mu == lastVote && *c != v:
		*c = v
	default:
		return s
	}
	if s.Outcome != Undecided && pr.mu != lastVote {
		return s
	}
	d := pr.outcome(s)
	if d == Undecided || d == s.Outcome {
		return s
	}
	s.Outcome = d
	o.Observe(Msg{Kind: Decided, Outcome: d})
	for r := 1; r <= pr.p.Participants; r++ {
		if spec.NodeID(r) != s.Me && s.Counted[r-1].Vote == None && s.Suspected>>r&1 == 0 {
			o.CancelTimer(suspectTimer(r))
		}
	}
	return s
}

// outcome is what the counted votes decide: abort on any no, commit when
// all are yes, undecided while a yes is missing.
func (pr *Protocol) outcome(s State) Outcome {
	all := true
	for r := range pr.p.Participants {
		switch s.Counted[r].Vote {
		case No:
			return Abort
		case None:
			all = false
		}
	}
	if all {
		return Commit
	}
	return Undecided
}
