package raft

import "github.com/distsys/distsys/spec"

// Pipelined replication (Params.Pipeline = W > 0). The course's leader
// moves sentLength only on an acknowledgement, so every LogRequest carries
// the whole unacknowledged suffix: k requests in flight cost O(k²)
// entries. A pipelining leader instead takes what it sent as sent:
//
//   - a LogRequest carries the entries from sentLength up to the log's
//     end, but never past ackedLength+W (the window), and sentLength
//     moves to its end;
//   - a new entry goes only to a follower the window leaves room for;
//     an acknowledgement opens the window and sends what waited;
//   - a follower that missed a request refuses the next one (its prefix
//     is past the follower's log): the refusal's hint moves sentLength
//     back, never below ackedLength (entries acknowledged in this term
//     match the leader's), and the leader resends from there. A lost
//     request followed by nothing is found by the heartbeat, a probe from
//     sentLength that the follower refuses the same way.
//
// The follower is unchanged: a LogRequest past a gap in its log fails the
// prefix check, and an overtaken one repeats entries it holds.
// Acknowledgements may arrive out of order: a success below ackedLength
// is stale and changes nothing.

// sendPipelined makes follower f's next LogRequest (or InstallSnapshot,
// when f needs entries before the snapshot) and advances sentLength past
// what it carries. With fresh set it makes none when the window leaves it
// no new entry to carry.
func (p *Protocol) sendPipelined(s State, f int8, fresh bool) (State, spec.Output[Msg], bool) {
	from := s.Sent[f]
	if from < s.Snap.Index {
		s.Sent[f] = s.Snap.Index
		return s, p.installSnapshot(s, f), true
	}
	to := min(s.Len(), max(from, s.Acked[f]+int32(p.p.Pipeline)))
	if fresh && to <= from {
		return s, spec.Output[Msg]{}, false
	}
	m := spec.SendTo(spec.NodeID(f), Msg{
		Kind: LogRequest, From: s.ID, Term: s.Term, PrefixLen: from, PrefixTer: s.TermAt(from),
		Commit: s.Commit, Suffix: s.Log.Slice(int(from-s.Snap.Index), int(to-s.Snap.Index)),
	})
	s.Sent[f] = to
	if p.mutant == ackOnSend {
		s.Acked[f] = max(s.Acked[f], to)
	}
	return s, m, true
}

// onLogResponsePipelined is onLogResponse's leader of the same term,
// pipelining: a success at or past ackedLength takes it, may commit, and
// sends what the window now admits; a stale success changes nothing; a
// refusal moves sentLength back by its hint (backOff), not below
// ackedLength, and resends — unless sentLength is already at or below
// ackedLength, when the refusal answers a request older than the
// acknowledgement.
func (p *Protocol) onLogResponsePipelined(s State, m Msg) (State, out) {
	f := m.From
	switch {
	case m.Granted && m.Ack >= s.Acked[f]:
		s.Acked[f], s.Sent[f] = m.Ack, max(s.Sent[f], m.Ack)
		s, o := p.commitEntries(s)
		if s.Sent[f] < s.Len() {
			var req spec.Output[Msg]
			var ok bool
			if s, req, ok = p.sendPipelined(s, f, true); ok {
				o = append(o, req)
			}
		}
		return s, o
	case m.Granted, s.Sent[f] <= s.Acked[f]:
		return s, nil
	}
	s.Sent[f] = max(p.backOff(s, f, m.Hint, m.HintTerm), s.Acked[f])
	s, req, _ := p.sendPipelined(s, f, false)
	return s, out{req}
}

// flush: a batching leader's Flush timer fired (Params.Batch): every
// entry appended since the last send goes out, one LogRequest per
// follower.
func (p *Protocol) flush(s State) (State, out) {
	if s.Role != Leader {
		return s, nil
	}
	return p.replicateAll(s, nil, true)
}
