package broadcast

// Best-effort broadcast: the sender delivers its message and sends it once
// to every other node, which delivers it on receipt (a duplicate is
// ignored). Nothing is resent, so a lost message is lost for good, and a
// sender that crashes half-way through its sends leaves some nodes without
// the message.

func init() {
	register(BestEffort, handlers{broadcast: bestEffortBroadcast, receive: bestEffortReceive})
}

func bestEffortBroadcast(p *Protocol, s State, seq int8) (State, out) {
	s, o := p.deliver(s, s.ID, seq)
	return s, append(o, p.toOthers(s.ID, Msg{Kind: Data, Origin: s.ID, Seq: seq})...)
}

func bestEffortReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	if m.Kind != Data || delivered(s, m.Origin, m.Seq) {
		return s, nil
	}
	s.Received |= 1 << m.ID()
	return p.deliver(s, m.Origin, m.Seq)
}
