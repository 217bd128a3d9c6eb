package cas

import "github.com/distsys/distsys/spec"

// Step applies one input to a replica: a client's operation, an
// operation to number (at the sequencer), or a numbered operation. It
// takes s by value (its arrays are copied with it), so the caller's state
// is untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	var o spec.Out[Msg]
	switch {
	case in.Kind == spec.Request && in.Msg.Kind == Req:
		s = pr.request(s, in.Msg.Op, &o)
	case in.Kind == spec.Receive && in.Msg.Kind == Order && s.Me == Sequencer:
		s = pr.number(s, in.Msg, &o)
	case in.Kind == spec.Receive && in.Msg.Kind == Deliver:
		s = pr.deliver(s, in.Msg, &o)
	}
	return s, o
}

// request records the call and sends the operation to be numbered (the
// sequencer numbers its own at once). Under local reads a read is
// answered here and now from the replica's copy.
func (pr *Protocol) request(s State, op Op, o *spec.Out[Msg]) State {
	o.Observe(Msg{Kind: Called, Op: op})
	if op.Kind == Read && pr.p.Reads == LocalReads {
		o.Observe(Msg{Kind: Done, Op: op, Result: s.Val})
		return s
	}
	m := Msg{Kind: Order, Op: op, Origin: s.Me}
	if s.Me == Sequencer {
		return pr.number(s, m, o)
	}
	o.Send(Sequencer, m)
	return s
}

// number is the sequencer's half of total order broadcast: it gives the
// operation the next number and sends it to every replica, itself
// included (it delivers its own copy at once). A request it has
// numbered already is a duplicate and changes nothing.
func (pr *Protocol) number(s State, m Msg, o *spec.Out[Msg]) State {
	bit := uint8(1) << m.Op.ID
	if s.Numbered&bit != 0 || int(s.Next) >= MaxOps {
		return s // numbered already (a duplicate)
	}
	s.Numbered |= bit
	d := Msg{Kind: Deliver, Op: m.Op, Origin: m.Origin, Seq: s.Next}
	s.Next++
	o.SendAll(pr.Nodes(), d, s.Me)
	return pr.deliver(s, d, o)
}

// deliver is the replicas' half: a numbered operation is held back until
// every lower number has been applied, then applied; applying it may
// release the next held ones. A number seen already changes nothing. The
// no-holdback mutant applies an operation the moment it arrives.
func (pr *Protocol) deliver(s State, d Msg, o *spec.Out[Msg]) State {
	if pr.mu == noHoldback {
		for _, id := range s.Log[:s.Applied] {
			if id == d.Op.ID {
				return s
			}
		}
		return pr.apply(s, d, o)
	}
	bit := uint8(1) << d.Seq
	if d.Seq < s.Applied || s.Held&bit != 0 || int(d.Seq) >= MaxOps {
		return s
	}
	s.Held |= bit
	s.Pending[d.Seq] = d
	for s.Applied < MaxOps && s.Held>>s.Applied&1 == 1 {
		k := s.Applied
		next := s.Pending[k]
		s.Held &^= 1 << k
		s.Pending[k] = Msg{}
		s = pr.apply(s, next, o)
	}
	return s
}

// apply runs the operation on the register and logs it; the replica the
// client sent it to replies.
func (pr *Protocol) apply(s State, d Msg, o *spec.Out[Msg]) State {
	var r int8
	s.Val, r = d.Op.Apply(s.Val)
	s.Log[s.Applied] = d.Op.ID
	s.Applied++
	if d.Origin == s.Me {
		o.Observe(Msg{Kind: Done, Op: d.Op, Result: r})
	}
	return s
}
