package broadcast

// FIFO broadcast (course 4.3) on eager reliable dissemination: every node
// numbers its messages 1, 2, …; the sender delivers its own at once and
// sends it to everyone; a node receiving a message for the first time
// relays it, as eager broadcast does, and holds it back until it is the
// next message of its origin (State.Next[origin]+1). Then it delivers it,
// and with it every held message of that origin that has become next. The
// slide's algorithm keeps the held messages in a buffer and forgets to
// remove a delivered one from it; here the buffer is Received minus
// Delivered, so delivering a message takes it out.
//
// Guarantees: reliable broadcast (eager relaying survives a sender that
// crashes half-way through its sends) and FIFO order: each origin's
// messages are delivered in the order it broadcast them, everywhere. Not
// causal order: a reply may be delivered before the message it answers,
// when the two come from different origins.
//
// Mutant fifo-any-order delivers a message as soon as it arrives, ignoring
// its sequence number.

func init() {
	register(FIFO, handlers{broadcast: fifoBroadcast, receive: fifoReceive})
}

// fifoBroadcast delivers the node's message at once (it is the next of its
// own) and sends it to everyone.
func fifoBroadcast(p *Protocol, s State, seq int8) (State, out) {
	s.Received |= 1 << id(s.ID, seq)
	s.Next[s.ID] = seq
	s, o := p.deliver(s, s.ID, seq)
	return s, append(o, p.toOthers(s.ID, Msg{Kind: Data, Origin: s.ID, Seq: seq})...)
}

// fifoReceive holds a message received for the first time, delivers what
// has become next, and relays the message; a copy is ignored.
func fifoReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	if m.Kind != Data || received(s, m.Origin, m.Seq) {
		return s, nil
	}
	s.Received |= 1 << m.ID()
	var o out
	if p.mutant == fifoAnyOrder {
		s.Next[m.Origin]++ // a count of deliveries, no longer a position
		s, o = p.deliver(s, m.Origin, m.Seq)
	} else {
		s, o = p.drainFIFO(s, m.Origin)
	}
	return s, append(o, p.relay(s.ID, from, m)...)
}

// drainFIFO delivers origin's held messages while the next one is held.
func (p *Protocol) drainFIFO(s State, origin int8) (State, out) {
	var o out
	for next := s.Next[origin] + 1; next <= MaxPerNode && received(s, origin, next); next++ {
		var d out
		s.Next[origin] = next
		s, d = p.deliver(s, origin, next)
		o = append(o, d...)
	}
	return s, o
}
