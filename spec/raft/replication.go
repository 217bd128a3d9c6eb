package raft

import (
	"slices"
	"sort"

	"github.com/distsys/distsys/spec"
)

// heartbeat: the leader's periodic replication, bounded per term so that
// the state space stays finite (or, with a negative MaxBeats, not counted
// and never ending).
func (p *Protocol) heartbeat(s State) (State, out) {
	if s.Role != Leader {
		return s, nil
	}
	if p.p.MaxBeats < 0 {
		s, o := p.replicateAll(s, make(out, 0, p.p.N), false)
		return s, append(o, spec.SetTimerOut[Msg](Heartbeat))
	}
	if int(s.Beats) >= p.p.MaxBeats {
		return s, nil
	}
	s.Beats++
	s, o := p.replicateAll(s, nil, false)
	if int(s.Beats) < p.p.MaxBeats {
		o = append(o, spec.SetTimerOut[Msg](Heartbeat))
	}
	return s, o
}

// replicateAll appends a LogRequest to every other node to o. Pipelined
// (Params.Pipeline), each one advances the follower's sentLength, and with
// fresh set (new entries to send, not a probe) a follower the leader has
// nothing new for within the window gets none.
func (p *Protocol) replicateAll(s State, o out, fresh bool) (State, out) {
	o = slices.Grow(o, p.p.N-1)
	for j := range p.p.N {
		if int8(j) == s.ID {
			continue
		}
		if p.p.Pipeline == 0 {
			o = append(o, p.replicate(s, int8(j)))
			continue
		}
		var m spec.Output[Msg]
		var ok bool
		if s, m, ok = p.sendPipelined(s, int8(j), fresh); ok {
			o = append(o, m)
		}
	}
	if p.mutant == ackOnSend {
		var more out
		s, more = p.commitEntries(s)
		o = append(o, more...)
	}
	return s, o
}

// replicate (step 6): LogRequest with the entries from sentLength[f] on.
// The suffix is a view of the leader's log, not a copy. A follower whose
// sentLength is below the leader's snapshot needs entries the leader no
// longer holds: it gets the snapshot instead (installSnapshot).
func (p *Protocol) replicate(s State, f int8) spec.Output[Msg] {
	prefix := s.Sent[f]
	if prefix < s.Snap.Index {
		return p.installSnapshot(s, f)
	}
	return spec.SendTo(spec.NodeID(f), Msg{
		Kind: LogRequest, From: s.ID, Term: s.Term, PrefixLen: prefix, PrefixTer: s.TermAt(prefix),
		Commit: s.Commit, Suffix: s.Log.Slice(int(prefix-s.Snap.Index), s.Log.Len()),
	})
}

// onLogRequest (step 7): adopt a higher term; with an equal one, follow the
// sender; append if the log agrees on the prefix, and acknowledge.
func (p *Protocol) onLogRequest(s State, m Msg) (State, out) {
	// Room for the usual outputs: the election timer, a delivery, the
	// response.
	o := make(out, 0, 3)
	if m.Term > s.Term {
		s, o = p.stepDown(s, m.Term, o)
	}
	if m.Term == s.Term || p.mutant == noTermCheck {
		if s.Role == Leader && m.From != s.ID {
			o = append(o, spec.CancelTimerOut[Msg](Heartbeat))
		}
		s.Role, s.Leader = Follower, m.From
		o = p.armElection(s, o) // the course cancels and restarts the timer
	}
	prefix, suffix := m.PrefixLen, m.Suffix
	if prefix < s.Snap.Index {
		// The entries up to the snapshot are committed here, so they match
		// the leader's (state machine safety): skip the ones the suffix
		// repeats.
		skip := min(int(s.Snap.Index-prefix), suffix.Len())
		prefix, suffix = s.Snap.Index, suffix.Slice(skip, suffix.Len())
	}
	if p.mutant == acceptGap && s.Len() < prefix {
		prefix = s.Len() // the entries the gap lacks are taken as held
	}
	logOk := s.Len() >= prefix && (prefix <= s.Snap.Index || s.TermAt(prefix) == m.PrefixTer)
	resp := Msg{Kind: LogResponse, From: s.ID, Term: s.Term}
	switch {
	case (m.Term == s.Term || p.mutant == noTermCheck) && logOk:
		s, o = p.appendEntries(s, prefix, m.Commit, suffix, o)
		resp.Ack, resp.Granted = m.PrefixLen+int32(m.Suffix.Len()), true
	case !logOk:
		resp.Hint, resp.HintTerm = refusalHint(s, prefix)
	default:
		// Refused for its stale term alone. The response carries this
		// node's newer term, which a newer leader may hold and take for a
		// refusal of its own request: the hint must stay true of this log
		// whatever prefix that leader sent, and its length is.
		resp.Hint = s.Len()
	}
	o = append(o, spec.SendTo(spec.NodeID(m.From), resp))
	s, fwd := p.flushPending(s)
	return s, append(o, fwd...)
}

// appendEntries (step 8): truncate where the logs disagree, append what is
// missing, deliver up to the leader's commit (appended to o). Only the
// entries the log lacks are copied, into the log's own store.
//
// n is an absolute length at or past the snapshot.
func (p *Protocol) appendEntries(s State, n int32, leaderCommit int32, suffix Log, o out) (State, out) {
	k := int(n - s.Snap.Index) // n's position in s.Log
	if suffix.Len() > 0 && s.Log.Len() > k {
		// The 2021/22 rule compares the last index both logs cover; the
		// 2020/21 rule compared only the first new entry.
		i := min(s.Log.Len(), k+suffix.Len()) - 1
		if p.mutant == oldTruncation {
			i = k
		}
		if s.Log.At(i).Term != suffix.At(i-k).Term {
			s.Log = s.Log.Slice(0, k)
		}
	}
	if have := s.Log.Len(); k+suffix.Len() > have {
		add := suffix.Slice(have-k, suffix.Len())
		if p.maxLog >= 0 {
			add = add.Slice(0, max(0, min(add.Len(), p.maxLog-int(s.Snap.Index)-have)))
		}
		s.Log = s.Log.AppendLog(add)
	}
	if leaderCommit > s.Commit {
		s, o = p.deliver(s, min(leaderCommit, s.Len()), o)
	}
	return p.maybeCompact(s, o)
}

// deliver delivers entries commitLength+1..upTo (appending the Delivered
// observations to o), advances commitLength, and compacts the log if it
// is due (maybeCompact).
func (p *Protocol) deliver(s State, upTo int32, o out) (State, out) {
	s, o = p.apply(s, upTo, o)
	return p.maybeCompact(s, o)
}

// apply delivers entries commitLength+1..upTo and advances commitLength.
func (p *Protocol) apply(s State, upTo int32, o out) (State, out) {
	if upTo <= s.Commit {
		return s, o
	}
	o = slices.Grow(o, int(upTo-s.Commit))
	for i := s.Commit + 1; i <= upTo; i++ {
		e := s.EntryAt(i)
		o = append(o, spec.Emit(Msg{Kind: Delivered, From: s.ID, Index: i, Term: e.Term, Val: e.Val, Cmd: e.Cmd, InTerm: s.Term}))
	}
	s.Commit = upTo
	return s, o
}

// refusalHint is what a follower refusing a LogRequest whose prefix (the
// first prefix entries) its log does not hold tells the leader, so that the leader can skip in one round trip what would take
// one round trip per entry (the Raft paper, end of section 5.3, sketches
// this optimisation). Two cases:
//
//   - its log is shorter than the prefix: hint = its length, hintTerm 0.
//     Nothing at or past that length can match.
//   - its entry at index prefix-1 has another term T than the leader's:
//     hint = the length before its first entry of term T, hintTerm = T.
//     The leader, if it holds entries of term T, resumes just after its
//     last one: by log matching the logs agree up to there if the
//     follower holds that entry, and if the follower does not, its entry
//     there is of an earlier term and the next refusal names it. If the
//     leader holds no entry of term T, none of the follower's entries of
//     T can match, and it resumes at hint.
//
// Answering the leader's latest request, the hint takes the leader back
// strictly before the refused prefix but never before the longest prefix
// both logs share, so it resends nothing the follower already holds
// beyond that. Each refusal after the first names a term of the
// follower's log smaller than the one before: a follower whose entries
// past the shared prefix span k terms catches up in at most k+2 round
// trips (a length hint, k term hints, the success), however many entries
// those terms hold. A Raft log's terms never decrease, so the first
// entry of T, and the leader's last one, are found by binary search.
//
// With a snapshot, the search stays among the entries past it: the
// snapshot's are committed, so they match.
func refusalHint(s State, prefix int32) (hint, hintTerm int32) {
	if s.Len() < prefix {
		return s.Len(), 0
	}
	t := s.TermAt(prefix)
	base := s.Snap.Index
	return base + int32(sort.Search(int(prefix-1-base), func(i int) bool { return s.Log.At(i).Term >= t })), t
}

// backOff is where the leader resumes sending to follower f after a
// refusal with hint and hintTerm (refusalHint): just after its own last
// entry of hintTerm below sentLength if it has one, else at hint — and in
// any case below the sentLength it had, so that every refusal moves it
// back and the search ends (sent-backs-off). A refusal that is stale
// (duplicated, or overtaken by a later one), or a wrong hint, can cost
// round trips, never a step forward past a conflict already found.
func (p *Protocol) backOff(s State, f int8, hint, hintTerm int32) int32 {
	sent := s.Sent[f]
	to := hint
	if hintTerm > 0 && sent > s.Snap.Index {
		// The last length k in Snap.Index..min(sent, Len()) whose last
		// entry has a term at most hintTerm; the leader resumes there if
		// that term is hintTerm.
		lo, n := s.Snap.Index, min(sent, s.Len())
		j := int32(sort.Search(int(n-lo)+1, func(i int) bool { return s.TermAt(lo+int32(i)) > hintTerm }))
		if k := lo + j - 1; j > 0 && k > 0 && s.TermAt(k) == hintTerm {
			to = k
		}
	}
	if p.mutant == unboundedHint {
		return max(min(to, s.Len()), 0) // within its log, else anywhere
	}
	return max(min(to, sent-1), 0)
}

// onLogResponse (step 9): a success that does not go backwards advances
// the follower's lengths and may commit. A refusal moves sentLength back
// by its hint (backOff) and retries; a stale success (one acknowledging
// less than before) moves it back one entry and retries. A higher term
// makes the leader step down.
func (p *Protocol) onLogResponse(s State, m Msg) (State, out) {
	switch {
	case m.Term == s.Term && s.Role == Leader && p.p.Pipeline > 0:
		return p.onLogResponsePipelined(s, m)
	case m.Term == s.Term && s.Role == Leader:
		f := m.From
		if m.Granted && (m.Ack >= s.Acked[f] || p.mutant == noAckGuard) {
			s.Sent[f], s.Acked[f] = m.Ack, m.Ack
			return p.commitEntries(s)
		}
		switch {
		case !m.Granted && (s.Sent[f] > 0 || p.mutant == unboundedHint):
			s.Sent[f] = p.backOff(s, f, m.Hint, m.HintTerm)
		case m.Granted && s.Sent[f] > 0:
			s.Sent[f]-- // a stale acknowledgement: the course's step back
		default:
			return s, nil
		}
		return s, out{p.replicate(s, f)}
	case m.Term > s.Term:
		return p.stepDown(s, m.Term, nil)
	}
	return s, nil
}

// commitEntries (step 10): commit up to the longest prefix a quorum has
// acknowledged, if its last entry is of the current term. That length is
// the quorum-th largest ackedLength (capped by the log: a leader's own
// ackedLength is left from an earlier term until it appends), found in
// O(N) whatever the log's length.
func (p *Protocol) commitEntries(s State) (State, out) {
	ready := int(s.Len())
	if q := p.Quorum(); q > 0 {
		var acked [MaxNodes]int32
		a := acked[:p.p.N]
		copy(a, s.Acked[:p.p.N])
		slices.Sort(a)
		ready = min(ready, int(a[len(a)-q]))
	}
	if ready > int(s.Commit) && (s.TermAt(int32(ready)) == s.Term || p.mutant == noCurrentTermCheck) {
		return p.deliver(s, int32(ready), nil)
	}
	return s, nil
}
