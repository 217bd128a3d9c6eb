package atomiccommit

import (
	"github.com/distsys/distsys/spec"
)

// Step applies one input to the coordinator or a participant.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	if s.Me == Coordinator {
		return pr.coordinate(s, in)
	}
	return pr.participate(s, in)
}

// coordinate: on the client's Begin, send Prepare to every participant and
// wait for the votes (if it has decided already, it answers at once); commit once every participant voted yes, abort on a no or when the
// wait times out; log the decision, then send it to every participant.
// Answer a query with the decision once there is one. On recovery, resend
// the logged decision, or abort if none was logged (no participant can
// have committed).
func (pr *Protocol) coordinate(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	var outs []spec.Output[Msg]
	switch in.Kind {
	case spec.Request:
		if in.Msg.Kind != Begin {
			return s, nil
		}
		if s.Decision != Undecided {
			return s, []spec.Output[Msg]{spec.Emit(Msg{Kind: Decided, Outcome: s.Decision})}
		}
		for i := 1; i <= pr.p.Participants; i++ {
			outs = append(outs, spec.SendTo(spec.NodeID(i), Msg{Kind: Prepare}))
		}
		return s, append(outs, spec.SetTimerOut[Msg](VoteTimeout))
	case spec.Receive:
		switch in.Msg.Kind {
		case VoteYes:
			if s.Decision != Undecided {
				return s, nil
			}
			s.Yes |= 1 << in.From
			if s.Yes == pr.allYes() {
				return pr.decide(s, Commit)
			}
		case VoteNo:
			if s.Decision == Undecided {
				return pr.decide(s, Abort)
			}
		case Query:
			if s.Decision != Undecided {
				return s, []spec.Output[Msg]{spec.SendTo(in.From, decisionMsg(s.Decision))}
			}
		}
	case spec.Fire:
		if in.Timer == VoteTimeout && s.Decision == Undecided {
			if pr.mu == commitOnTimeout {
				return pr.decide(s, Commit)
			}
			return pr.decide(s, Abort)
		}
	case spec.Recover:
		if s.Decision == Undecided {
			return pr.decide(s, Abort)
		}
		return s, pr.announce(s.Decision, nil)
	}
	return s, nil
}

func (pr *Protocol) allYes() uint8 { return uint8(1<<(pr.p.Participants+1) - 2) }

// decide logs d and sends it to every participant.
func (pr *Protocol) decide(s State, d Decision) (State, []spec.Output[Msg]) {
	s.Decision = d
	outs := []spec.Output[Msg]{spec.CancelTimerOut[Msg](VoteTimeout), spec.Emit(Msg{Kind: Decided, Outcome: d})}
	return s, pr.announce(d, outs)
}

func (pr *Protocol) announce(d Decision, outs []spec.Output[Msg]) []spec.Output[Msg] {
	for i := 1; i <= pr.p.Participants; i++ {
		outs = append(outs, spec.SendTo(spec.NodeID(i), decisionMsg(d)))
	}
	return outs
}

func decisionMsg(d Decision) Msg {
	if d == Commit {
		return Msg{Kind: CommitMsg}
	}
	return Msg{Kind: AbortMsg}
}

// participate: Prepare asks for the vote, which the participant chooses
// (Choose): yes makes it prepared (its writes staged durably) until the
// decision arrives, no aborts it at once. A working participant may abort
// on its own; a prepared one never decides alone: each time its wait for
// the decision times out it asks the coordinator again (up to
// Params.Queries times). Commit and Abort are
// obeyed. On recovery a participant that had not voted aborts (its
// staged work is gone); a prepared one waits again.
func (pr *Protocol) participate(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Receive:
		switch in.Msg.Kind {
		case Prepare:
			if s.Phase == Working {
				s.Asked = true
			}
		case CommitMsg:
			if s.Phase == Prepared {
				s.Phase = Committed
				return s, []spec.Output[Msg]{spec.CancelTimerOut[Msg](DecisionTimeout), spec.Emit(Msg{Kind: Decided, Outcome: Commit})}
			}
		case AbortMsg:
			if s.Phase == Working || s.Phase == Prepared {
				s.Phase, s.Asked = Aborted, false
				return s, []spec.Output[Msg]{spec.CancelTimerOut[Msg](DecisionTimeout), spec.Emit(Msg{Kind: Decided, Outcome: Abort})}
			}
		}
	case spec.Choose:
		if !s.Asked || s.Phase != Working {
			return s, nil
		}
		s.Asked = false
		if in.Msg.Kind == VoteYes {
			s.Phase, s.VotedYes = Prepared, true
			return s, []spec.Output[Msg]{spec.SendTo(Coordinator, Msg{Kind: VoteYes}), spec.SetTimerOut[Msg](DecisionTimeout)}
		}
		s.Phase = Aborted
		return s, []spec.Output[Msg]{spec.SendTo(Coordinator, Msg{Kind: VoteNo}), spec.Emit(Msg{Kind: Decided, Outcome: Abort})}
	case spec.Fire:
		if in.Timer != DecisionTimeout || s.Phase != Prepared {
			return s, nil
		}
		if pr.mu == decideOnTimeout {
			s.Phase = Aborted
			return s, []spec.Output[Msg]{spec.Emit(Msg{Kind: Decided, Outcome: Abort})}
		}
		q := pr.p.Queries
		if q >= 0 && int(s.Queried) >= q {
			return s, nil
		}
		outs := []spec.Output[Msg]{spec.SendTo(Coordinator, Msg{Kind: Query})}
		if q >= 0 {
			s.Queried++
		}
		if q < 0 || int(s.Queried) < q {
			outs = append(outs, spec.SetTimerOut[Msg](DecisionTimeout))
		}
		return s, outs
	case spec.Recover:
		switch s.Phase {
		case Working:
			s.Phase = Aborted
			return s, []spec.Output[Msg]{spec.Emit(Msg{Kind: Decided, Outcome: Abort})}
		case Prepared:
			return s, []spec.Output[Msg]{spec.SetTimerOut[Msg](DecisionTimeout)}
		}
	}
	return s, nil
}

// mutant selects a known bug; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	decideOnTimeout
	commitOnTimeout
	volatileDecision
)

// Mutant names.
const (
	MutDecideOnTimeout  = "decide-on-timeout"
	MutCommitOnTimeout  = "commit-on-timeout"
	MutVolatileDecision = "volatile-decision"
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{Name: MutDecideOnTimeout, Doc: "a prepared participant whose wait for the decision times out aborts on its own (course 7.1's Cx)", Breaks: PropDecidesAlone},
	{Name: MutCommitOnTimeout, Doc: "the coordinator whose wait for the votes times out commits instead of aborting", Breaks: PropCommitNeedsYes},
	{Name: MutVolatileDecision, Doc: "the coordinator's decision is not logged: recovering, it aborts a transaction it had committed", Breaks: PropDecidesAlone, Shows: "-crashes 1 -crash-mode recover"},
}

var mutantNames = map[string]mutant{"": none, MutDecideOnTimeout: decideOnTimeout, MutCommitOnTimeout: commitOnTimeout, MutVolatileDecision: volatileDecision}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("atomiccommit", name, Mutants, mutantNames)
}
