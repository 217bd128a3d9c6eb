package broadcast

import (
	"math/bits"

	"github.com/distsys/distsys/spec"
)

// Direct fan-out with acknowledgements (course 4.3): the sender delivers
// its message and sends it to every other node; a receiver delivers it on
// first receipt and acknowledges it to the origin, every time it gets it,
// so that a lost acknowledgement is made good by the next resend. The
// sender keeps, per message, the peers that have not acknowledged it
// (State.Unacked) and a resend timer: when the timer fires, it sends every
// unacknowledged message again to the peers that have not acknowledged it.
//
// Resends are bounded, so that the state space is finite: each message is
// resent in at most Params.Retries rounds (State.Tries counts them). The
// bound is per message, not per node: a timer fires at any time, so rounds
// spent on the first message before its acknowledgements arrive would
// otherwise leave the node's second message without a resend.
//
// Guarantees: best-effort broadcast (validity) on a fair-loss network that
// loses fewer copies of a message on a link than it is sent — with at most
// one drop and Retries ≥ 1, say. It is not reliable broadcast: a sender
// that crashes half-way through its sends, or after a copy was lost and
// before resending it, leaves some correct nodes with the message and
// others without (agreement fails), since receivers never pass it on.

func init() {
	register(FanOut, handlers{broadcast: fanOutBroadcast, receive: fanOutReceive, fire: fanOutFire})
}

// fanOutBroadcast delivers the node's message, sends it to every other
// node and arms the resend timer.
func fanOutBroadcast(p *Protocol, s State, seq int8) (State, out) {
	s.Received |= 1 << id(s.ID, seq)
	s, o := p.deliver(s, s.ID, seq)
	s.Unacked[seq-1] = p.peers(s.ID)
	o = append(o, p.toOthers(s.ID, Msg{Kind: Data, Origin: s.ID, Seq: seq})...)
	if p.resendable(s) {
		o.SetTimer(resend)
	}
	return s, o
}

// fanOutReceive delivers Data on first receipt and acknowledges every
// copy. An Ack removes its sender from the message's unacknowledged peers;
// once nothing is left to resend, the timer is disarmed.
func fanOutReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	switch m.Kind {
	case Data:
		ack := spec.SendTo(spec.NodeID(m.Origin), Msg{Kind: Ack, Origin: m.Origin, Seq: m.Seq})
		if received(s, m.Origin, m.Seq) {
			return s, out{ack}
		}
		s.Received |= 1 << m.ID()
		s, o := p.deliver(s, m.Origin, m.Seq)
		return s, append(o, ack)
	case Ack:
		if m.Origin != s.ID || m.Seq < 1 || m.Seq > s.Sent || s.Unacked[m.Seq-1]&(1<<from) == 0 {
			return s, nil // not ours, or a duplicate acknowledgement
		}
		s.Unacked[m.Seq-1] &^= 1 << from
		if !p.resendable(s) {
			return s, out{spec.CancelTimerOut[Msg](resend)}
		}
	}
	return s, nil
}

// fanOutFire is a round of resends: every message with peers that have not
// acknowledged it and rounds left is sent again to those peers. The timer
// is re-armed while some message can still be resent.
func fanOutFire(p *Protocol, s State, t spec.Timer) (State, out) {
	if t != resend {
		return s, nil
	}
	var o out
	for k := range s.Sent {
		if s.Unacked[k] == 0 || int(s.Tries[k]) >= p.p.Retries {
			continue
		}
		s.Tries[k]++
		for peers := s.Unacked[k]; peers != 0; peers &= peers - 1 {
			j := bits.TrailingZeros8(peers)
			o.Send(spec.NodeID(j), Msg{Kind: Data, Origin: s.ID, Seq: k + 1})
		}
	}
	if p.resendable(s) {
		o.SetTimer(resend)
	}
	return s, o
}

// resendable reports whether some message of the node has peers that have
// not acknowledged it and rounds left to resend it: whether the resend
// timer should be armed.
func (p *Protocol) resendable(s State) bool {
	for k := range s.Sent {
		if s.Unacked[k] != 0 && int(s.Tries[k]) < p.p.Retries {
			return true
		}
	}
	return false
}

// peers is the set of every node but self.
func (p *Protocol) peers(self int8) uint8 {
	return (uint8(1)<<p.p.N - 1) &^ (1 << self)
}
