package paxoscommit

// Next enumerates every enabled action instance in the order of PCNext,
// self-loops included, each as many times as TLC finds it (once per
// majority, ballot and witness message its existential quantifiers
// range over), so that the number of transitions equals TLC's "states
// generated".
func (sp *Spec) Next(s State, yield func(Action, State, bool)) {
	commit, abort := s.has(sp.commit), s.has(sp.abort)
	for rm := range sp.rms {
		r := uint8(rm)
		if sp.RM(s, rm) == Working {
			t := s
			sp.setRM(&t, rm, Prepared)
			t.add(sp.bit2a(rm, 0, ValPrepared))
			yield(Action{Kind: RMPrepare, RM: r}, t, false)
			t = s
			sp.setRM(&t, rm, Aborted)
			t.add(sp.bit2a(rm, 0, ValAborted))
			yield(Action{Kind: RMChooseToAbort, RM: r}, t, false)
		}
		if commit {
			t := s
			sp.setRM(&t, rm, Committed)
			yield(Action{Kind: RMRcvCommitMsg, RM: r}, t, false)
		}
		if abort {
			t := s
			sp.setRM(&t, rm, Aborted)
			yield(Action{Kind: RMRcvAbortMsg, RM: r}, t, false)
		}
	}
	first := 1
	if sp.mutant == MutPhase1aZero {
		first = 0
	}
	for bal := first; bal < sp.ballots; bal++ {
		for rm := range sp.rms {
			t := s
			t.add(sp.bit1a(rm, bal))
			yield(Action{Kind: Phase1a, RM: uint8(rm), Bal: uint8(bal)}, t, false)
			if bal > 0 {
				sp.phase2a(s, bal, rm, yield)
			}
		}
	}
	if n := sp.decideCommitWays(&s); n > 0 {
		t := s
		t.add(sp.commit)
		for range n {
			yield(Action{Kind: DecideCommit}, t, false)
		}
	}
	if n := sp.decideAbortWays(&s); n > 0 {
		t := s
		t.add(sp.abort)
		for range n {
			yield(Action{Kind: DecideAbort}, t, false)
		}
	}
	for acc := range sp.acceptors {
		a := uint8(acc)
		for ins := range sp.rms {
			mbal, vote := sp.aState(&s, ins, acc)
			for bal := mbal + 1; bal < sp.ballots; bal++ {
				if s.has(sp.bit1a(ins, bal)) {
					t := s
					sp.setAState(&t, ins, acc, bal, vote)
					t.add(sp.bit1b(ins, acc, bal, vote))
					yield(Action{Kind: Phase1b, RM: uint8(ins), Acc: a, Bal: uint8(bal)}, t, false)
				}
			}
		}
		for ins := range sp.rms {
			mbal, _ := sp.aState(&s, ins, acc)
			for bal := mbal; bal < sp.ballots; bal++ {
				for _, val := range [2]Value{ValPrepared, ValAborted} {
					if s.has(sp.bit2a(ins, bal, val)) {
						t := s
						sp.setAState(&t, ins, acc, bal, encodeVote(bal, val))
						t.add(sp.bit2b(acc, ins, bal, val))
						yield(Action{Kind: Phase2b, RM: uint8(ins), Acc: a, Bal: uint8(bal), Val: val}, t, false)
					}
				}
			}
		}
	}
}

// phase2a yields Phase2a(bal, rm) once per majority MS every member of
// which sent a phase1b for ballot bal of instance rm (times the number of
// such messages per member: one in the protocol), proposing the value of
// the highest vote they report, or aborted if none; never if a phase2a of
// ballot bal was sent for rm.
func (sp *Spec) phase2a(s State, bal, rm int, yield func(Action, State, bool)) {
	if s.has(sp.bit2a(rm, bal, ValPrepared)) || s.has(sp.bit2a(rm, bal, ValAborted)) {
		return
	}
	for _, ms := range sp.majorities {
		ways, maxBal, val := 1, -1, ValAborted
		for acc := range sp.acceptors {
			if ms>>acc&1 == 0 {
				continue
			}
			sent := 0
			for vote := range sp.votes {
				if !s.has(sp.bit1b(rm, acc, bal, vote)) {
					continue
				}
				sent++
				if vb, vv := sp.decodeVote(vote); vb > maxBal {
					maxBal, val = vb, Value(vv)
				}
			}
			ways *= sent
		}
		if ways == 0 {
			continue
		}
		switch {
		case sp.mutant == MutIgnoreVotes:
			val = ValAborted
		case sp.mutant == MutFreePrepared && maxBal < 0:
			val = ValPrepared
		}
		t := s
		t.add(sp.bit2a(rm, bal, val))
		for range ways {
			yield(Action{Kind: Phase2a, RM: uint8(rm), Bal: uint8(bal), Val: val}, t, false)
		}
	}
}

// decidedWays counts the pairs (ballot b, majority MS) such that every
// acceptor of MS sent phase2b for val in ballot b of instance ins: the
// witnesses of PaxosCommit's Decided(ins, val).
func (sp *Spec) decidedWays(s *State, ins int, val Value) int {
	n := 0
	for b := range sp.ballots {
		for _, ms := range sp.majorities {
			all := true
			for acc := range sp.acceptors {
				if ms>>acc&1 == 1 && !s.has(sp.bit2b(acc, ins, b, val)) {
					all = false
					break
				}
			}
			if all {
				n++
			}
		}
	}
	return n
}

// decideCommitWays is the number of ways Decide's first disjunct holds:
// the product over the RMs of their witnesses of Decided(rm, "prepared").
func (sp *Spec) decideCommitWays(s *State) int {
	n := 1
	for rm := range sp.rms {
		if n *= sp.decidedWays(s, rm, ValPrepared); n == 0 {
			return 0
		}
	}
	return n
}

// decideAbortWays is the number of ways Decide's second disjunct holds:
// the sum over the RMs of their witnesses of Decided(rm, "aborted").
func (sp *Spec) decideAbortWays(s *State) int {
	n := 0
	for rm := range sp.rms {
		n += sp.decidedWays(s, rm, ValAborted)
	}
	return n
}
