package broadcast

// Total order broadcast via Lamport timestamps (course 4.3, the exercise):
// messages are ordered by (timestamp, origin), and a node delivers the
// smallest message it holds once it knows no smaller one can still arrive.
//
// Each node keeps a Lamport clock (Clock), the largest timestamp it has
// received from each node (Heard) and a hold-back queue: the messages it
// received, or broadcast, but has not delivered (Received &^ Delivered),
// each with its timestamp (TSOf).
//
//   - Broadcast: Clock++; the message gets timestamp Clock, joins the
//     node's own queue and goes to everyone else as Data(m, ts).
//   - Receive Data(m, t) or Clock(t) from p: Clock = max(Clock, t)+1 (the
//     course's rule for a receive; a send that follows in the same step
//     carries that value without another tick), and Heard[p] = max(Heard[p],
//     t). On the first receipt of a Data, m joins the queue and the node
//     announces Clock(Clock) to every other node, so that they learn it
//     will never send a timestamp as small as t again — the course's "a
//     silent node blocks everyone". A Clock message is not announced, so
//     the exchange ends: per broadcast, n-1 Data messages and, from each
//     of their receivers, n-1 announcements.
//   - Deliver, for as long as possible, the smallest queued key (ts, o)
//     once (ts, o) ≤ (Heard[p], p) for every other node p: every node
//     other than the origin has sent something later, the origin has sent
//     m itself. Over FIFO links that is safe: p's messages arrive in the
//     order sent, its timestamps grow, and so everything p sent with a
//     smaller key is already queued.
//
// Guarantees, on reliable FIFO links with no crash: FIFO-total order
// (timestamps respect happens-before, so causal too).
//
// What breaks it: a crashed node never speaks again, and everyone waits
// for it forever (validity fails); over unordered links a Clock
// announcement may overtake a Data with a smaller key, which then arrives
// after a larger one was delivered (total order fails). The mutant
// lamport-no-wait delivers its smallest queued message without waiting to
// hear from every node.

func init() {
	register(Lamport, handlers{broadcast: lamportBroadcast, receive: lamportReceive})
}

func lamportBroadcast(p *Protocol, s State, seq int8) (State, out) {
	s.Clock++
	m := id(s.ID, seq)
	s.Received |= 1 << m
	s.TSOf[m] = s.Clock
	o := p.toOthers(s.ID, Msg{Kind: Data, Origin: s.ID, Seq: seq, TS: s.Clock})
	s, more := p.deliverByTimestamp(s)
	return s, append(o, more...)
}

func lamportReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	if m.Kind != Data && m.Kind != Clock {
		return s, nil
	}
	s.Clock = max(s.Clock, m.TS) + 1
	s.Heard[from] = max(s.Heard[from], m.TS)
	var o out
	if m.Kind == Data && !received(s, m.Origin, m.Seq) {
		s.Received |= 1 << m.ID()
		s.TSOf[m.ID()] = m.TS
		o = p.toOthers(s.ID, Msg{Kind: Clock, TS: s.Clock})
	}
	s, more := p.deliverByTimestamp(s)
	return s, append(o, more...)
}

// deliverByTimestamp delivers the smallest queued message for as long as it
// is stable (see lamportStable), or at once under lamport-no-wait.
func (p *Protocol) deliverByTimestamp(s State) (State, out) {
	var o out
	for {
		m, ok := p.smallestQueued(s)
		if !ok || (p.mutant != lamportNoWait && !p.lamportStable(s, m)) {
			return s, o
		}
		var more out
		s, more = p.deliver(s, int8(m/MaxPerNode), int8(m%MaxPerNode+1))
		o = append(o, more...)
	}
}

// smallestQueued returns the queued message with the smallest key
// (timestamp, origin).
func (p *Protocol) smallestQueued(s State) (int, bool) {
	queued := s.Received &^ s.Delivered
	best, found := 0, false
	for m := range MaxPerNode * p.p.N {
		if queued&(1<<m) == 0 {
			continue
		}
		// Message IDs grow with the origin, so on equal timestamps the
		// first found has the smaller origin.
		if !found || s.TSOf[m] < s.TSOf[best] {
			best, found = m, true
		}
	}
	return best, found
}

// lamportStable reports that no message with a key below queued message
// m's can still arrive: (ts, origin) ≤ (Heard[q], q) for every other node q.
func (p *Protocol) lamportStable(s State, m int) bool {
	ts, origin := s.TSOf[m], int8(m/MaxPerNode)
	for q := range int8(p.p.N) {
		if q == s.ID {
			continue
		}
		if ts > s.Heard[q] || ts == s.Heard[q] && origin > q {
			return false
		}
	}
	return true
}
