package rpc

import "github.com/distsys/distsys/spec"

type out = []spec.Output[Msg]

// Step applies one input to the server or the client. It takes s by value
// and shares nothing mutable with it.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	if s.Role == ServerRole {
		switch in.Kind {
		case spec.Receive:
			if in.Msg.Kind == Call {
				return p.execute(s, in.From, in.Msg)
			}
		case spec.Recover:
			return s, out{spec.SendTo(Client, Msg{Kind: Restarted})}
		}
		return s, nil
	}
	switch in.Kind {
	case spec.Request:
		if in.Msg.Kind == CallReq {
			return p.invoke(s, in.Msg)
		}
	case spec.Fire:
		if in.Timer == timeout {
			return p.timedOut(s)
		}
	case spec.Receive:
		switch in.Msg.Kind {
		case Reply:
			return p.replied(s, in.Msg)
		case Restarted:
			return p.resume(s, false)
		}
	case spec.Recover:
		return p.resume(s, true)
	}
	return s, nil
}

// execute handles a request at the server: under ExactlyOnce a request id
// already in the table is answered without executing it again; otherwise
// the operation runs on the register. Either way the server replies.
func (p *Protocol) execute(s State, from spec.NodeID, m Msg) (State, out) {
	reply := spec.SendTo(from, Msg{Kind: Reply, Call: m.Call, ID: m.ID})
	bit := uint16(1) << m.ID
	if p.p.Semantics.Dedup() && s.Table&bit != 0 {
		return s, out{emit(Answered, m.Call), reply}
	}
	before := s.X
	switch m.Op {
	case Inc:
		s.X++
	case Set:
		s.X = int8(m.Call)
	}
	if p.p.Semantics.Dedup() {
		s.Table |= bit
	}
	return s, out{spec.Emit(Msg{Kind: Applied, Call: m.Call, Before: before, After: s.X}), reply}
}

// invoke takes the application's next call, and starts it if the client
// is idle.
func (p *Protocol) invoke(s State, m Msg) (State, out) {
	s.Issued = m.Call
	o := out{emit(Invoked, m.Call)}
	if s.Cur != 0 {
		return s, o
	}
	return p.start(s, o)
}

// start sends the next issued call, if any, and arms the timeout (a
// retrying client with no retries to make waits without one).
func (p *Protocol) start(s State, o out) (State, out) {
	if s.Issued <= s.Done {
		return s, o
	}
	s.Cur, s.Tries = s.Done+1, 0
	o = append(o, p.send(s))
	if !p.p.Semantics.Retries() || p.p.Retries > 0 {
		o = append(o, spec.SetTimerOut[Msg](timeout))
	}
	return s, o
}

// send returns the request for the current call. Every attempt of call k
// is request k, except under new-id-per-retry.
func (p *Protocol) send(s State) spec.Output[Msg] {
	m := Msg{Kind: Call, Call: s.Cur, ID: s.Cur}
	if p.mutant == newIDPerRetry {
		m.ID = s.Cur + MaxOps*s.Tries
	}
	if p.p.Semantics == Idempotent {
		m.Op = Set
	}
	return spec.SendTo(Server, m)
}

// timedOut gives up the current call (AtMostOnce), or resends it and, while
// retries remain, rearms the timeout.
func (p *Protocol) timedOut(s State) (State, out) {
	if s.Cur == 0 {
		return s, nil
	}
	if !p.p.Semantics.Retries() {
		return p.finish(s, out{emit(GaveUp, s.Cur)})
	}
	s.Tries++
	o := out{p.send(s)}
	if int(s.Tries) < p.p.Retries {
		o = append(o, spec.SetTimerOut[Msg](timeout))
	}
	return s, o
}

// replied returns the current call to the application; a reply to an
// earlier call (a late answer to a retry) is ignored.
func (p *Protocol) replied(s State, m Msg) (State, out) {
	if s.Cur == 0 || m.Call != s.Cur {
		return s, nil
	}
	return p.finish(s, out{emit(Returned, s.Cur), spec.CancelTimerOut[Msg](timeout)})
}

// finish ends the current call and starts the next one.
func (p *Protocol) finish(s State, o out) (State, out) {
	s.Done++
	s.Cur, s.Tries = 0, 0
	return p.start(s, o)
}

// resume handles a restart: the server's (a Restarted message) or the
// client's own (recovered). A retrying client resends its current call —
// outside its retry budget, which counts timeouts. After its own crash the
// client has lost its timer: it rearms it if retries remain, or, under
// AtMostOnce, to wait for the reply or give up.
func (p *Protocol) resume(s State, recovered bool) (State, out) {
	if s.Cur == 0 {
		return p.start(s, nil)
	}
	var o out
	if p.p.Semantics.Retries() {
		o = append(o, p.send(s))
	}
	if recovered && (!p.p.Semantics.Retries() || int(s.Tries) < p.p.Retries) {
		o = append(o, spec.SetTimerOut[Msg](timeout))
	}
	return s, o
}
