package raft

import "github.com/distsys/distsys/spec"

// out is the output list of a step.
type out = []spec.Output[Msg]

// Step applies one input.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Start, spec.Recover:
		// Course 6.2, recovery: a (re)started node is a follower that knows
		// no leader and has no volatile state; its election timer runs.
		return s, p.armElection(s, nil)
	case spec.Fire:
		switch in.Timer {
		case Election:
			return p.startElection(s)
		case Heartbeat:
			return p.heartbeat(s)
		case Flush:
			return p.flush(s)
		}
	case spec.Request:
		return p.clientRequest(s, in.Msg.Val, in.Msg.Cmd)
	case spec.Receive:
		m := in.Msg
		switch m.Kind {
		case VoteRequest:
			return p.onVoteRequest(s, m)
		case VoteResponse:
			return p.onVoteResponse(s, m)
		case LogRequest:
			return p.onLogRequest(s, m)
		case LogResponse:
			return p.onLogResponse(s, m)
		case InstallSnapshot:
			return p.onInstallSnapshot(s, m)
		case Forward:
			return p.clientRequest(s, m.Val, m.Cmd)
		}
	}
	return s, nil
}

// armElection appends to o the setting of the election timer, while the
// term bound allows another election (the checker fires a set timer at any
// moment), or its cancelling.
func (p *Protocol) armElection(s State, o out) out {
	if p.electionAllowed(s.Term) && int(s.ID) < p.p.Candidates {
		return append(o, spec.SetTimerOut[Msg](Election))
	}
	return append(o, spec.CancelTimerOut[Msg](Election))
}

// stepDown adopts a higher term: follower, no vote in it. The leader's
// heartbeat stops and the election timer runs again (appended to o).
func (p *Protocol) stepDown(s State, term int32, o out) (State, out) {
	wasLeader := s.Role == Leader
	s.Term, s.Role, s.VotedFor, s.Votes = term, Follower, -1, 0
	if s.Leader == s.ID {
		s.Leader = -1
	}
	o = p.armElection(s, o)
	if wasLeader {
		o = append(o, spec.CancelTimerOut[Msg](Heartbeat))
	}
	return s, o
}

// clientRequest handles a value to replicate (course 6.2, "broadcast
// request"): the leader appends it and replicates; another node forwards
// it to the leader it knows, or holds it until it knows one. Appending
// does not copy the log (Log).
func (p *Protocol) clientRequest(s State, v int32, cmd string) (State, out) {
	switch {
	case s.Role == Leader:
		if !p.room(int(s.Len())) {
			return s, nil
		}
		s.Log = s.Log.Append(Entry{Term: s.Term, Val: v, Cmd: cmd})
		s.Acked[s.ID] = s.Len()
		s, o := p.maybeCompact(s, nil)
		if p.p.Batch {
			return s, append(o, spec.SetTimerOut[Msg](Flush))
		}
		return p.replicateAll(s, o, true)
	case s.Leader >= 0:
		return s, out{spec.SendTo(spec.NodeID(s.Leader), Msg{Kind: Forward, From: s.ID, Val: v, Cmd: cmd})}
	}
	s.Pending = append(s.Pending[:len(s.Pending):len(s.Pending)], Entry{Val: v, Cmd: cmd})
	return s, nil
}

// flushPending forwards the held values once a leader is known.
func (p *Protocol) flushPending(s State) (State, out) {
	if len(s.Pending) == 0 || s.Leader < 0 || s.Leader == s.ID {
		return s, nil
	}
	var o out
	for _, v := range s.Pending {
		o = append(o, spec.SendTo(spec.NodeID(s.Leader), Msg{Kind: Forward, From: s.ID, Val: v.Val, Cmd: v.Cmd}))
	}
	s.Pending = nil
	return s, o
}
