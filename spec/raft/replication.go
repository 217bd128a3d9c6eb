package raft

import "github.com/distsys/distsys/spec"

// heartbeat: the leader's periodic replication, bounded per term so that
// the state space stays finite.
func (p *Protocol) heartbeat(s State) (State, out) {
	if s.Role != Leader || int(s.Beats) >= p.p.MaxBeats {
		return s, nil
	}
	s.Beats++
	o := p.replicateAll(s)
	if int(s.Beats) < p.p.MaxBeats {
		o = append(o, spec.SetTimerOut[Msg](Heartbeat))
	}
	return s, o
}

func (p *Protocol) replicateAll(s State) out {
	var o out
	for j := range p.p.N {
		if int8(j) != s.ID {
			o = append(o, p.replicate(s, int8(j)))
		}
	}
	return o
}

// replicate (step 6): LogRequest with the entries from sentLength[f] on.
func (p *Protocol) replicate(s State, f int8) spec.Output[Msg] {
	prefix := s.Sent[f]
	var prefixTerm int8
	if prefix > 0 {
		prefixTerm = s.Log[prefix-1].Term
	}
	return spec.SendTo(spec.NodeID(f), Msg{
		Kind: LogRequest, From: s.ID, Term: s.Term, PrefixLen: prefix, PrefixTer: prefixTerm,
		Commit: s.Commit, Suffix: s.Log[prefix:len(s.Log):len(s.Log)],
	})
}

// onLogRequest (step 7): adopt a higher term; with an equal one, follow the
// sender; append if the log agrees on the prefix, and acknowledge.
func (p *Protocol) onLogRequest(s State, m Msg) (State, out) {
	var o out
	if m.Term > s.Term {
		s, o = p.stepDown(s, m.Term)
	}
	if m.Term == s.Term || p.mutant == noTermCheck {
		if s.Role == Leader && m.From != s.ID {
			o = append(o, spec.CancelTimerOut[Msg](Heartbeat))
		}
		s.Role, s.Leader = Follower, m.From
		o = append(o, p.armElection(s)...) // the course cancels and restarts the timer
	}
	logOk := len(s.Log) >= int(m.PrefixLen) && (m.PrefixLen == 0 || s.Log[m.PrefixLen-1].Term == m.PrefixTer)
	resp := Msg{Kind: LogResponse, From: s.ID, Term: s.Term}
	if (m.Term == s.Term || p.mutant == noTermCheck) && logOk {
		var delivered out
		s, delivered = p.appendEntries(s, m.PrefixLen, m.Commit, m.Suffix)
		o = append(o, delivered...)
		resp.Ack, resp.Granted = m.PrefixLen+int8(len(m.Suffix)), true
	}
	o = append(o, spec.SendTo(spec.NodeID(m.From), resp))
	s, fwd := p.flushPending(s)
	return s, append(o, fwd...)
}

// appendEntries (step 8): truncate where the logs disagree, append what is
// missing, deliver up to the leader's commit.
func (p *Protocol) appendEntries(s State, prefix, leaderCommit int8, suffix []Entry) (State, out) {
	n := int(prefix)
	if len(suffix) > 0 && len(s.Log) > n {
		// The 2021/22 rule compares the last index both logs cover; the
		// 2020/21 rule compared only the first new entry.
		i := min(len(s.Log), n+len(suffix)) - 1
		if p.mutant == oldTruncation {
			i = n
		}
		if s.Log[i].Term != suffix[i-n].Term {
			s.Log = s.Log[:n:n]
		}
	}
	if n+len(suffix) > len(s.Log) {
		log := append([]Entry(nil), s.Log...)
		for _, e := range suffix[len(s.Log)-n:] {
			if len(log) < MaxEntries {
				log = append(log, e)
			}
		}
		s.Log = log
	}
	var o out
	if leaderCommit > s.Commit {
		s, o = p.deliver(s, min(leaderCommit, int8(len(s.Log))))
	}
	return s, o
}

// deliver delivers entries commitLength..upTo-1 and advances commitLength.
func (p *Protocol) deliver(s State, upTo int8) (State, out) {
	var o out
	for i := s.Commit; i < upTo; i++ {
		e := s.Log[i]
		o = append(o, spec.Emit(Msg{Kind: Delivered, From: s.ID, Index: i + 1, Term: e.Term, Val: e.Val, InTerm: s.Term}))
	}
	if upTo > s.Commit {
		s.Commit = upTo
	}
	return s, o
}

// onLogResponse (step 9): a success that does not go backwards advances
// the follower's lengths and may commit; otherwise back off one entry and
// retry. A higher term makes the leader step down.
func (p *Protocol) onLogResponse(s State, m Msg) (State, out) {
	switch {
	case m.Term == s.Term && s.Role == Leader:
		f := m.From
		if m.Granted && (m.Ack >= s.Acked[f] || p.mutant == noAckGuard) {
			s.Sent[f], s.Acked[f] = m.Ack, m.Ack
			return p.commitEntries(s)
		}
		if s.Sent[f] > 0 {
			s.Sent[f]--
			return s, out{p.replicate(s, f)}
		}
	case m.Term > s.Term:
		return p.stepDown(s, m.Term)
	}
	return s, nil
}

// commitEntries (step 10): commit up to the longest prefix a quorum has
// acknowledged, if its last entry is of the current term.
func (p *Protocol) commitEntries(s State) (State, out) {
	ready := 0
	for l := 1; l <= len(s.Log); l++ {
		acks := 0
		for j := range p.p.N {
			if int(s.Acked[j]) >= l {
				acks++
			}
		}
		if acks >= p.Quorum() {
			ready = l
		}
	}
	if ready > int(s.Commit) && (s.Log[ready-1].Term == s.Term || p.mutant == noCurrentTermCheck) {
		return p.deliver(s, int8(ready))
	}
	return s, nil
}
