package paxos

import "fmt"

// votedFor is Voting's VotedFor(a, b, v): acceptor a sent 2b(a, b, v).
func (sp *Spec) votedFor(s *State, a, b, v int) bool { return s.has(sp.bit2b(a, b, v)) }

// chosenAt is Voting's ChosenAt(b, v): a quorum voted for v in ballot b.
func (sp *Spec) chosenAt(s *State, b, v int) bool {
	for _, q := range sp.quorums {
		all := true
		for a := range sp.acceptors {
			if q>>a&1 == 1 && !sp.votedFor(s, a, b, v) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// chosen returns the chosen values as a bitmask, and for each the lowest
// ballot it was chosen in.
func (sp *Spec) chosen(s *State) (mask uint8, at [MaxValues]int) {
	for v := range sp.values {
		for b := range sp.ballots {
			if sp.chosenAt(s, b, v) {
				mask |= 1 << v
				at[v] = b
				break
			}
		}
	}
	return mask, at
}

// Agreement is the Consensus spec's invariant: at most one value is chosen.
func (sp *Spec) Agreement(s State) error {
	mask, at := sp.chosen(&s)
	if mask&(mask-1) == 0 {
		return nil
	}
	first := -1
	for v := range sp.values {
		if mask>>v&1 == 0 {
			continue
		}
		if first < 0 {
			first = v
			continue
		}
		return fmt.Errorf("v%d chosen in ballot %d and v%d in ballot %d", first+1, at[first], v+1, at[v])
	}
	return nil
}

// Chosen reports whether some value is chosen (a sometimes property).
func (sp *Spec) Chosen(s State) bool {
	mask, _ := sp.chosen(&s)
	return mask != 0
}

// didNotVoteAt is Voting's DidNotVoteAt(a, b).
func (sp *Spec) didNotVoteAt(s *State, a, b int) bool {
	for v := range sp.values {
		if sp.votedFor(s, a, b, v) {
			return false
		}
	}
	return true
}

// showsSafeAt is Voting's ShowsSafeAt(Q, b, v), with Paxos's maxBal.
func (sp *Spec) showsSafeAt(s *State, q uint8, b, v int) bool {
	for a := range sp.acceptors {
		if q>>a&1 == 1 && sp.MaxBal(*s, a) < b {
			return false
		}
	}
	for c := -1; c < b; c++ {
		if c >= 0 {
			some := false
			for a := range sp.acceptors {
				some = some || q>>a&1 == 1 && sp.votedFor(s, a, c, v)
			}
			if !some {
				continue
			}
		}
		none := true
		for d := c + 1; d < b && none; d++ {
			for a := range sp.acceptors {
				if q>>a&1 == 1 && !sp.didNotVoteAt(s, a, d) {
					none = false
					break
				}
			}
		}
		if none {
			return true
		}
	}
	return false
}

// Inv is Paxos.tla's inductive invariant Inv: TypeOK; every acceptor's
// maxBal is at least its maxVBal and its last vote is a 2b it sent; an
// acceptor that sent 1b in ballot b has maxBal >= b, and the vote it
// reported is one it cast; every 2a(b, v) is shown safe by some quorum
// (Voting's ShowsSafeAt) and is the only 2a of ballot b; every 2b was cast
// no later than its sender's last vote, for a value proposed in a 2a.
func (sp *Spec) Inv(s State) error {
	for a := range sp.acceptors {
		maxBal, vote := sp.MaxBal(s, a), sp.vote(s, a)
		if maxBal >= sp.ballots || vote >= sp.votes {
			return fmt.Errorf("TypeOK: a%d has maxBal %d and vote %d", a+1, maxBal, vote)
		}
		vb, vv := sp.decodeVote(vote)
		if vb > maxBal {
			return fmt.Errorf("a%d voted in ballot %d above its maxBal %d", a+1, vb, maxBal)
		}
		if vb >= 0 && !sp.votedFor(&s, a, vb, vv) {
			return fmt.Errorf("a%d's last vote <<%d, v%d>> is not a 2b it sent", a+1, vb, vv+1)
		}
	}
	for a := range sp.acceptors {
		for b := range sp.ballots {
			for vote := range sp.votes {
				if !s.has(sp.bit1b(a, b, vote)) {
					continue
				}
				if sp.MaxBal(s, a) < b {
					return fmt.Errorf("a%d sent 1b in ballot %d but its maxBal is %d", a+1, b, sp.MaxBal(s, a))
				}
				if vb, vv := sp.decodeVote(vote); vb >= 0 && !sp.votedFor(&s, a, vb, vv) {
					return fmt.Errorf("a%d reported vote <<%d, v%d>> in ballot %d, which it never cast", a+1, vb, vv+1, b)
				}
			}
		}
	}
	for b := range sp.ballots {
		for v := range sp.values {
			if !s.has(sp.bit2a(b, v)) {
				continue
			}
			safe := false
			for _, q := range sp.quorums {
				safe = safe || sp.showsSafeAt(&s, q, b, v)
			}
			if !safe {
				return fmt.Errorf("2a(%d, v%d) is not shown safe by any quorum", b, v+1)
			}
			for w := range sp.values {
				if w != v && s.has(sp.bit2a(b, w)) {
					return fmt.Errorf("two 2a messages in ballot %d: v%d and v%d", b, v+1, w+1)
				}
			}
		}
	}
	for a := range sp.acceptors {
		for b := range sp.ballots {
			for v := range sp.values {
				if !sp.votedFor(&s, a, b, v) {
					continue
				}
				if vb, _ := sp.Vote(s, a); vb < b {
					return fmt.Errorf("a%d voted in ballot %d but its maxVBal is %d", a+1, b, vb)
				}
				if !s.has(sp.bit2a(b, v)) {
					return fmt.Errorf("a%d voted for v%d in ballot %d, which no 2a proposed", a+1, v+1, b)
				}
			}
		}
	}
	return nil
}
