package paxoscommit

import "fmt"

// Consistent is TCommit's TCConsistent, which PaxosCommit implements: no
// RM has committed while another has aborted.
func (sp *Spec) Consistent(s State) error {
	committed, aborted := -1, -1
	for rm := range sp.rms {
		switch sp.RM(s, rm) {
		case Committed:
			committed = rm
		case Aborted:
			aborted = rm
		}
	}
	if committed >= 0 && aborted >= 0 {
		return fmt.Errorf("r%d committed while r%d aborted", committed+1, aborted+1)
	}
	return nil
}

// TypeOK is PCTypeOK: every acceptor's mbal is a ballot and its vote a
// ballot and value (or -1 and "none"), and every message is in Message; of
// the message fields the packing can hold out of type, only a phase1a's
// ballot can be 0 (Message's phase1a ballots are Ballot \ {0}).
func (sp *Spec) TypeOK(s State) error {
	for ins := range sp.rms {
		for acc := range sp.acceptors {
			mbal, vote := sp.aState(&s, ins, acc)
			if mbal >= sp.ballots || vote >= sp.votes {
				return fmt.Errorf("aState[r%d][a%d] has mbal %d and vote %d, out of type", ins+1, acc+1, mbal, vote)
			}
		}
		if s.has(sp.bit1a(ins, 0)) {
			return fmt.Errorf("phase1a(r%d, 0) is not a Message: a phase1a ballot is never 0", ins+1)
		}
	}
	return nil
}

// AllCommitted reports whether every RM has committed (a sometimes
// property: the commit path is reachable).
func (sp *Spec) AllCommitted(s State) bool { return sp.all(s, Committed) }

// AllAborted reports whether every RM has aborted.
func (sp *Spec) AllAborted(s State) bool { return sp.all(s, Aborted) }

func (sp *Spec) all(s State, want RMState) bool {
	for rm := range sp.rms {
		if sp.RM(s, rm) != want {
			return false
		}
	}
	return true
}
