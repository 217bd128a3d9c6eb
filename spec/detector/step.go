package detector

import "github.com/distsys/distsys/spec"

// Step applies one input to a node: the eventually perfect failure
// detector of course 2.4, by ping, ack and timeout, for ever.
//
// A node pings each peer and arms a timeout for it (timer p checks peer
// p). Every ping is answered by an ack. When the timeout fires (a check):
// if the ack has come, the peer is trusted and the next round starts — a
// new ping, the timeout armed again; if not, the peer is suspected and the
// timeout armed again, to wait on (no second ping while one is
// unanswered: one ping or ack per link at a time, so the state space is
// finite). An ack that arrives while its peer is suspected withdraws the
// suspicion: the peer was slow, not crashed. A real detector would also
// lengthen its timeout there; here a timeout has no length — the system
// model decides when it fires, and under partial synchrony, after
// stabilisation, it fires only once no message is on its way.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Start, spec.Recover:
		var outs []spec.Output[Msg]
		for p := range pr.p.N {
			if spec.NodeID(p) != s.Me {
				outs = pr.ping(&s, spec.NodeID(p), outs)
			}
		}
		return s, outs
	case spec.Receive:
		if in.From == s.Me || in.From < 0 || int(in.From) >= pr.p.N {
			return s, nil
		}
		if !in.Msg.Ack {
			return s, []spec.Output[Msg]{spec.SendTo(in.From, Msg{Ack: true})}
		}
		w := &s.Watch[in.From]
		if w.Acked {
			return s, nil
		}
		w.Acked = true
		if w.Suspected && pr.mu != sticky {
			w.Suspected, w.Corrected = false, true
		}
		return s, nil
	case spec.Fire:
		p := spec.NodeID(in.Timer)
		if p == s.Me || int(p) >= pr.p.N {
			return s, nil
		}
		w := &s.Watch[p]
		if !w.Acked {
			if pr.mu != noTimeout {
				w.Suspected = true
			}
			return s, []spec.Output[Msg]{spec.SetTimerOut[Msg](in.Timer)}
		}
		if pr.mu == noNextPing {
			w.Acked = false // the next round starts, but its ping is never sent
			return s, []spec.Output[Msg]{spec.SetTimerOut[Msg](in.Timer)}
		}
		return s, pr.ping(&s, p, nil)
	}
	return s, nil
}

// ping starts a round with peer p: a ping, and the timeout armed.
func (pr *Protocol) ping(s *State, p spec.NodeID, outs []spec.Output[Msg]) []spec.Output[Msg] {
	s.Watch[p].Acked = false
	return append(outs, spec.SendTo(p, Msg{}), spec.SetTimerOut[Msg](spec.Timer(p)))
}
