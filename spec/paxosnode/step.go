package paxosnode

import (
	"math/bits"

	"github.com/distsys/distsys/spec"
)

// Step applies one input to a proposer, an acceptor or a learner.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch pr.RoleOf(s.Me) {
	case Proposer:
		return pr.propose(s, in)
	case Acceptor:
		return pr.accept(s, in)
	}
	return pr.learn(s, in)
}

// propose: the client's request gives the proposer its value and starts
// its first ballot. Promises from a quorum for the current ballot let it
// send Accept with the value of the highest vote reported (its own if none
// was); Accepted from a quorum tell it the value is chosen, and it stops.
// Until then, each time its timer fires it starts its next ballot. On
// recovery its ballot in progress is gone: it starts its next one at once,
// beyond the bound on tries (a crash, not its timer, cost it the ballot;
// the system model bounds the crashes).
func (pr *Protocol) propose(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Request:
		if in.Msg.Kind != Propose || s.Own != 0 || in.Msg.Val == 0 {
			return s, nil
		}
		s.Own = in.Msg.Val
		return pr.startBallot(s)
	case spec.Fire:
		if in.Timer == Retry && s.Own != 0 && s.Chosen == 0 {
			return pr.startBallot(s)
		}
	case spec.Recover:
		if s.Own != 0 && s.Chosen == 0 {
			return pr.restart(s)
		}
	case spec.Receive:
		m := in.Msg
		if m.Bal != s.Bal || pr.RoleOf(in.From) != Acceptor {
			return s, nil
		}
		switch {
		case m.Kind == Promise && s.Phase == Preparing:
			s.Got |= 1 << in.From
			if m.Vote.Bal > s.High.Bal {
				s.High = m.Vote
			}
			if bits.OnesCount16(s.Got) < pr.Quorum() {
				return s, nil
			}
			v := s.Own
			if s.High.Bal != 0 && pr.mu != anyValue {
				v = s.High.Val
			}
			s.Phase, s.Got = Accepting, 0
			return s, pr.toAcceptors(Msg{Kind: Accept, Bal: s.Bal, Val: v}, nil)
		case m.Kind == AcceptedMsg && s.Phase == Accepting:
			s.Got |= 1 << in.From
			if bits.OnesCount16(s.Got) < pr.Quorum() {
				return s, nil
			}
			s.Phase, s.Chosen = Done, m.Val
			return s, []spec.Output[Msg]{spec.CancelTimerOut[Msg](Retry), spec.Emit(Msg{Kind: Decided, Val: m.Val})}
		}
	}
	return s, nil
}

// triesLeft reports that the proposer may start another ballot: Tries
// allows it and its ballot number still fits in a byte.
func (pr *Protocol) triesLeft(s State) bool {
	if pr.p.Tries >= 0 && int(s.Used) >= pr.p.Tries {
		return false
	}
	return pr.ballot(s.Me, int(s.Used)) <= 255
}

// restart starts the next ballot of a proposer that recovered, whether or
// not Tries allows another.
func (pr *Protocol) restart(s State) (State, []spec.Output[Msg]) {
	if pr.ballot(s.Me, int(s.Used)) > 255 {
		return s, nil
	}
	return pr.begin(s)
}

// ballot is proposer id's ballot number in its round r (from 0):
// r·p+id+1, so no two proposers share one and 0 means none.
func (pr *Protocol) ballot(id spec.NodeID, r int) int { return r*pr.p.Proposers + int(id) + 1 }

// startBallot starts the proposer's next ballot: Prepare to every
// acceptor, and the timer armed if another ballot may follow.
func (pr *Protocol) startBallot(s State) (State, []spec.Output[Msg]) {
	if !pr.triesLeft(s) {
		return s, nil
	}
	return pr.begin(s)
}

// begin starts ballot Used.
func (pr *Protocol) begin(s State) (State, []spec.Output[Msg]) {
	s.Bal = uint8(pr.ballot(s.Me, int(s.Used)))
	s.Used++
	s.Phase, s.Got, s.High = Preparing, 0, Vote{}
	var outs spec.Out[Msg]
	if pr.triesLeft(s) {
		outs.SetTimer(Retry)
	}
	return s, pr.toAcceptors(Msg{Kind: Prepare, Bal: s.Bal}, outs)
}

func (pr *Protocol) toAcceptors(m Msg, outs spec.Out[Msg]) spec.Out[Msg] {
	for i := range pr.p.Acceptors {
		outs.Send(pr.firstAcceptor()+spec.NodeID(i), m)
	}
	return outs
}

// accept: an acceptor promises a ballot higher than any it promised and
// reports its last accepted vote; it accepts a proposal whose ballot is
// at least its promise, and tells the ballot's proposer and every
// learner. A repeated Prepare or Accept changes nothing and is not
// answered again.
func (pr *Protocol) accept(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	if in.Kind != spec.Receive {
		return s, nil
	}
	m := in.Msg
	switch m.Kind {
	case Prepare:
		if m.Bal > s.Promised {
			s.Promised = m.Bal
			return s, []spec.Output[Msg]{spec.SendTo(in.From, Msg{Kind: Promise, Bal: m.Bal, Vote: s.Accepted})}
		}
	case Accept:
		v := Vote{Bal: m.Bal, Val: m.Val}
		if m.Bal >= s.Promised && m.Bal > 0 && s.Accepted != v {
			s.Promised = max(s.Promised, m.Bal)
			s.Accepted = v
			ack := Msg{Kind: AcceptedMsg, Bal: m.Bal, Val: m.Val}
			var outs spec.Out[Msg]
			outs.Send(spec.NodeID(int(m.Bal-1)%pr.p.Proposers), ack)
			for i := range pr.p.Learners {
				outs.Send(spec.NodeID(pr.p.Proposers+pr.p.Acceptors+i), ack)
			}
			return s, outs
		}
	}
	return s, nil
}

// learn: a learner keeps the latest vote it heard of from each acceptor
// and learns a value once a quorum's latest votes are for one ballot.
func (pr *Protocol) learn(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	if in.Kind != spec.Receive || in.Msg.Kind != AcceptedMsg || pr.RoleOf(in.From) != Acceptor {
		return s, nil
	}
	k := int(in.From - pr.firstAcceptor())
	v := Vote{Bal: in.Msg.Bal, Val: in.Msg.Val}
	if v.Bal <= s.Heard[k].Bal || v.Val >= 8 {
		return s, nil
	}
	s.Heard[k] = v
	n := 0
	for i := range pr.p.Acceptors {
		if s.Heard[i].Bal == v.Bal {
			n++
		}
	}
	if n < pr.Quorum() || s.Learned>>v.Val&1 == 1 {
		return s, nil
	}
	s.Learned |= 1 << v.Val
	return s, []spec.Output[Msg]{spec.Emit(Msg{Kind: Learned, Val: v.Val})}
}

// mutant selects a known bug; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	volatilePromise
	anyValue
	minorityQuorum
)

// Mutant names (any-value and minority-quorum as package paxos names
// them).
const (
	MutVolatilePromise = "volatile-promise"
	MutAnyValue        = "any-value"
	MutMinorityQuorum  = "minority-quorum"
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{Name: MutVolatilePromise, Doc: "an acceptor's promise is not persisted: after a crash it accepts a ballot lower than one it promised, and a second value is chosen", Breaks: PropAgreement, Shows: "-crashes 1 -crash-mode recover"},
	{Name: MutAnyValue, Doc: "a proposer proposes its own value, ignoring the highest accepted vote the promises report", Breaks: PropAgreement},
	{Name: MutMinorityQuorum, Doc: "quorums of ⌊a/2⌋ acceptors: two of them need not intersect", Breaks: PropAgreement},
}

var mutantNames = map[string]mutant{"": none, MutVolatilePromise: volatilePromise, MutAnyValue: anyValue, MutMinorityQuorum: minorityQuorum}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("paxosnode", name, Mutants, mutantNames)
}
