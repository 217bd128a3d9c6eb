package byzantine

import "github.com/distsys/distsys/spec"

// Step applies one input to a general: OM(1), the oral-messages algorithm
// of Lamport, Shostak and Pease with one round of relaying.
//
// Round 1: the commander, given its order, sends it to every lieutenant.
// Round 2: a lieutenant relays the first order it receives to every other
// lieutenant. A lieutenant keeps the first value each general gives it and
// ignores any later one (only a traitor sends two).
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Request:
		if s.Me != Commander || s.Order != None || in.Msg.Kind != Command {
			return s, nil
		}
		s.Order = in.Msg.Val
		return s, pr.toLieutenants(s.Me, Msg{Kind: Order, Val: s.Order})
	case spec.Receive:
		if s.Me == Commander {
			return s, nil
		}
		var outs []spec.Output[Msg]
		switch {
		case in.Msg.Kind == Order && in.From == Commander && s.Order == None:
			s.Order = in.Msg.Val
			if pr.mu != noRelay {
				outs = pr.toLieutenants(s.Me, Msg{Kind: Relay, Val: s.Order})
			}
		case in.Msg.Kind == Relay && in.From != Commander && in.From != s.Me && s.Heard[in.From] == None:
			s.Heard[in.From] = in.Msg.Val
		}
		s.Decision = pr.Decide(s)
		return s, outs
	}
	return s, nil
}

// toLieutenants sends m to every lieutenant but from.
func (pr *Protocol) toLieutenants(from spec.NodeID, m Msg) []spec.Output[Msg] {
	var outs []spec.Output[Msg]
	for j := 1; j < pr.p.N; j++ {
		if spec.NodeID(j) != from {
			outs = append(outs, spec.SendTo(spec.NodeID(j), m))
		}
	}
	return outs
}

// Decide is lieutenant s's decision from what it holds now: the majority
// of the commander's order and the other lieutenants' relays, a missing
// value counting as retreat (the default of OM). With N-1 values, an odd
// number when N is even, there is always a majority; with N = 3 two values
// can split, and Params.Tie decides (so with N = 4 every tie rule decides
// alike, unless a mutant drops a value). At quiescence every message a loyal
// general sent has arrived, so a value still missing is one a traitor
// withheld, and Decide is the lieutenant's final decision.
func (pr *Protocol) Decide(s State) Value {
	var attack, retreat int
	count := func(v Value) {
		if v == Attack {
			attack++
		} else {
			retreat++
		}
	}
	if pr.mu != ignoreOwnOrder {
		count(s.Order)
	}
	if pr.mu != noRelay {
		for j := 1; j < pr.p.N; j++ {
			if spec.NodeID(j) != s.Me {
				count(s.Heard[j])
			}
		}
	}
	switch {
	case attack > retreat:
		return Attack
	case retreat > attack:
		return Retreat
	}
	switch pr.p.Tie {
	case TieAttack:
		return Attack
	case TieCommander:
		if s.Order == Attack {
			return Attack
		}
	case TieRelay:
		if s.Heard[pr.otherLieutenant(s.Me)] == Attack {
			return Attack
		}
	}
	return Retreat
}

// otherLieutenant is the lowest-numbered lieutenant other than me: with
// N = 3, the other one.
func (pr *Protocol) otherLieutenant(me spec.NodeID) spec.NodeID {
	if me == 1 {
		return 2
	}
	return 1
}
