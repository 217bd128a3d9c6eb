package broadcast

import "github.com/distsys/distsys/spec"

// Eager reliable broadcast: the sender delivers its message and sends it to
// everyone; a node receiving a message for the first time delivers it and
// sends it on to everyone but the sender and the origin. If any correct
// node has the message, every correct node gets it, however the origin
// crashed: O(n²) messages buy agreement.

func init() {
	register(Eager, handlers{broadcast: eagerBroadcast, receive: eagerReceive})
}

func eagerBroadcast(p *Protocol, s State, seq int8) (State, out) {
	s.Received |= 1 << id(s.ID, seq)
	s, o := p.deliver(s, s.ID, seq)
	return s, append(o, p.toOthers(s.ID, Msg{Kind: Data, Origin: s.ID, Seq: seq})...)
}

func eagerReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	if m.Kind != Data || received(s, m.Origin, m.Seq) {
		return s, nil
	}
	s.Received |= 1 << m.ID()
	s, o := p.deliver(s, m.Origin, m.Seq)
	if p.mutant != eagerNoRelay {
		o = append(o, p.relay(s.ID, from, m)...)
	}
	return s, o
}

// relay sends m on to every node other than this one, the node it came
// from and its origin (they have it).
func (p *Protocol) relay(self, from int8, m Msg) out {
	var o out
	o.SendAll(p.p.N, m, spec.NodeID(self), spec.NodeID(from), spec.NodeID(m.Origin))
	return o
}
