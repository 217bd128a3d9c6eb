package twogenerals

import "github.com/distsys/distsys/spec"

// Step applies one input to a general.
//
// A, told to attack, sends messenger 1; told to retreat, it sends nothing.
// A general that receives messenger i < K sends messenger i+1 back. After
// each step a general attacks if its rule says so: it has received the
// messengers it needs (by default every one addressed to it) and, for A,
// its plan is to attack. Messengers are never resent: the link may lose
// any of them, and the protocol has no way to know.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	var outs []spec.Output[Msg]
	switch in.Kind {
	case spec.Request:
		if s.Me != A || s.Plan != Undecided || in.Msg.Kind != Plan {
			return s, nil
		}
		s.Plan = PlanRetreat
		if in.Msg.Attack {
			s.Plan = PlanAttack
			s.Sent++
			outs = append(outs, spec.SendTo(B, Msg{Kind: Messenger, Seq: 1}))
		}
	case spec.Receive:
		if in.Msg.Kind != Messenger || in.From == s.Me {
			return s, nil
		}
		s.Got++
		if s.Me == B {
			s.Plan = PlanAttack // messenger 1 carried the order
		}
		if int(in.Msg.Seq) < pr.p.K {
			s.Sent++
			outs = append(outs, spec.SendTo(in.From, Msg{Kind: Messenger, Seq: in.Msg.Seq + 1}))
		}
	case spec.Start:
	default:
		return s, nil
	}
	if !s.Attacking && pr.wantsToAttack(s) {
		s.Attacking = true
		outs = append(outs, spec.Emit(Msg{Kind: Attack}))
	}
	return s, outs
}

// wantsToAttack applies the decision rule to s.
func (pr *Protocol) wantsToAttack(s State) bool {
	need := pr.need[s.Me]
	switch pr.mu {
	case waitForOneMore:
		if s.Me == lastReceiver(pr.p.K) {
			need++
		}
	case attackWithoutOrder:
		if s.Me == B {
			need = 0
		}
	}
	if s.Me == A && s.Plan != PlanAttack {
		return false
	}
	return int(s.Got) >= need
}

// lastReceiver is the general messenger k is addressed to.
func lastReceiver(k int) spec.NodeID {
	if k%2 == 1 {
		return B
	}
	return A
}
