package raft

import "github.com/distsys/distsys/spec"

// startElection: the election timer fired (course 6.2, step 2): a new term,
// candidacy, a vote for itself, and a VoteRequest to every other node.
func (p *Protocol) startElection(s State) (State, out) {
	if s.Role == Leader || !p.electionAllowed(s.Term) || int(s.ID) >= p.p.Candidates {
		return s, nil
	}
	s.Term++
	s.Role, s.VotedFor, s.Votes, s.Leader = Candidate, s.ID, 1<<s.ID, -1
	o := out{spec.Emit(Msg{Kind: Voted, From: s.ID, Term: s.Term, Candidate: s.ID})}
	o = p.armElection(s, o)
	req := Msg{Kind: VoteRequest, From: s.ID, Term: s.Term, LogLen: s.Len(), LogTerm: s.LastTerm()}
	for j := range p.p.N {
		if int8(j) != s.ID {
			o = append(o, spec.SendTo(spec.NodeID(j), req))
		}
	}
	if p.votes(s) >= p.Quorum() { // a one-node cluster, or the floor-half mutant
		var more out
		s, more = p.becomeLeader(s)
		o = append(o, more...)
	}
	return s, o
}

// onVoteRequest (step 3): adopt a higher term; grant the vote iff the terms
// are equal, the candidate's log is at least as up to date, and no other
// candidate has this node's vote in this term.
func (p *Protocol) onVoteRequest(s State, m Msg) (State, out) {
	var o out
	if m.Term > s.Term {
		s, o = p.stepDown(s, m.Term, o)
	}
	last := s.LastTerm()
	logOk := m.LogTerm > last || (m.LogTerm == last && m.LogLen >= s.Len())
	if p.mutant == voteWithoutLogOk {
		logOk = true
	}
	resp := Msg{Kind: VoteResponse, From: s.ID, Term: s.Term}
	if m.Term == s.Term && logOk && (s.VotedFor == -1 || s.VotedFor == m.From) {
		s.VotedFor = m.From
		resp.Granted = true
		o = append(o, spec.Emit(Msg{Kind: Voted, From: s.ID, Term: s.Term, Candidate: m.From}))
	}
	return s, append(o, spec.SendTo(spec.NodeID(m.From), resp))
}

// onVoteResponse (step 4): count a granted vote of the current term; at a
// quorum become leader. A higher term makes the node step down.
func (p *Protocol) onVoteResponse(s State, m Msg) (State, out) {
	switch {
	case s.Role == Candidate && m.Term == s.Term && m.Granted:
		s.Votes |= 1 << m.From
		if p.votes(s) >= p.Quorum() {
			return p.becomeLeader(s)
		}
	case m.Term > s.Term:
		return p.stepDown(s, m.Term, nil)
	}
	return s, nil
}

func (p *Protocol) votes(s State) int {
	n := 0
	for v := s.Votes; v != 0; v &= v - 1 {
		n++
	}
	return n
}

// becomeLeader: every follower's sentLength is the log's length and its
// ackedLength 0; replicate to all; stop the election timer, start the
// heartbeat. Course quirk kept: the leader's own ackedLength is set only
// when it appends, so it counts itself toward a commit only after that.
func (p *Protocol) becomeLeader(s State) (State, out) {
	s.Role, s.Leader, s.Beats = Leader, s.ID, 0
	for j := range p.p.N {
		if int8(j) != s.ID {
			s.Sent[j], s.Acked[j] = s.Len(), 0
		}
	}
	o := out{
		spec.Emit(Msg{Kind: BecameLeader, From: s.ID, Term: s.Term}),
		spec.CancelTimerOut[Msg](Election),
	}
	if p.p.MaxBeats != 0 {
		o = append(o, spec.SetTimerOut[Msg](Heartbeat))
	}
	// Values this node held while it knew no leader are now its to append.
	pending := s.Pending
	s.Pending = nil
	for _, v := range pending {
		if p.room(int(s.Len())) {
			v.Term = s.Term
			s.Log = s.Log.Append(v)
			s.Acked[s.ID] = s.Len()
		}
	}
	s, o = p.maybeCompact(s, o)
	return p.replicateAll(s, o, false)
}
