package broadcast

// Causal broadcast (course 4.3), the course's algorithm on eager reliable
// dissemination. Each node counts, per origin, the messages it has
// delivered (State.Next). A broadcast attaches a dependency vector: a copy
// of those counts with the sender's own slot set to its previous sequence
// number (all its earlier messages). The sender delivers its message at
// once and sends it to everyone; a node receiving a message for the first
// time relays it, as eager broadcast does, and holds it back (keeping its
// vector in State.Deps) until deps ≤ Next entrywise: it has delivered
// everything the sender had delivered or sent before. Then it delivers it
// and counts it; every delivery may release other held messages, so the
// node delivers until none is ready.
//
// The vector counts deliveries, not events: a message the sender had
// received but not yet delivered is no dependency.
//
// Guarantees: reliable broadcast, FIFO order (the sender's own slot) and
// causal order — if a node broadcast or delivered m1 before broadcasting
// m2, every node delivers m1 before m2. Not total order: concurrent
// messages are delivered in either order.
//
// Mutant causal-no-deps delivers a message as soon as it arrives, without
// waiting for its dependencies.

func init() {
	register(Causal, handlers{broadcast: causalBroadcast, receive: causalReceive})
}

// causalBroadcast attaches the node's delivered counts as dependencies,
// delivers its message at once and sends it to everyone.
func causalBroadcast(p *Protocol, s State, seq int8) (State, out) {
	m := Msg{Kind: Data, Origin: s.ID, Seq: seq, Deps: s.Next}
	m.Deps[s.ID] = seq - 1
	s.Received |= 1 << m.ID()
	s.Next[s.ID]++
	s, o := p.deliver(s, s.ID, seq)
	return s, append(o, p.toOthers(s.ID, m)...)
}

// causalReceive holds a message received for the first time, delivers
// every held message whose dependencies are met, and relays the message; a
// copy is ignored.
func causalReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	if m.Kind != Data || received(s, m.Origin, m.Seq) {
		return s, nil
	}
	s.Received |= 1 << m.ID()
	var o out
	if p.mutant == causalNoDeps {
		s.Next[m.Origin]++
		s, o = p.deliver(s, m.Origin, m.Seq)
	} else {
		s.Deps[m.ID()] = m.Deps
		s, o = p.drainCausal(s)
	}
	return s, append(o, p.relay(s.ID, from, m)...)
}

// drainCausal delivers held messages whose dependencies are met, lowest
// first, until none is left.
func (p *Protocol) drainCausal(s State) (State, out) {
	var o out
	for {
		m, ok := p.readyCausal(s)
		if !ok {
			return s, o
		}
		origin, seq := int8(m/MaxPerNode), int8(m%MaxPerNode+1)
		var d out
		s.Deps[m] = [MaxNodes]int8{} // delivered: its vector is no longer needed
		s.Next[origin]++
		s, d = p.deliver(s, origin, seq)
		o = append(o, d...)
	}
}

// readyCausal returns the lowest held message whose dependencies are met.
func (p *Protocol) readyCausal(s State) (int, bool) {
	held := s.Received &^ s.Delivered
	for m := range MaxPerNode * p.p.N {
		if held&(1<<m) != 0 && depsMet(s.Deps[m][:p.p.N], s.Next[:p.p.N]) {
			return m, true
		}
	}
	return 0, false
}

// depsMet reports deps ≤ next entrywise.
func depsMet(deps, next []int8) bool {
	for i, d := range deps {
		if d > next[i] {
			return false
		}
	}
	return true
}
