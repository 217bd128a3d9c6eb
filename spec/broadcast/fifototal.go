package broadcast

// FIFO-total order broadcast (course 4.2, 4.3): the sequencer of Sequencer
// (node 0), except that it numbers each origin's submissions in their
// sequence order. A Submit that arrives before its origin's earlier ones is
// held back at the sequencer until its seq is the origin's next; everything
// else is as in Sequencer — every other node learns the numbers by Ordered
// messages and delivers in number order.
//
// Guarantees, on reliable links with no crash, ordered or not: reliable
// FIFO-total order — every node delivers every message, all in one order
// that keeps each origin's sequence.
//
// What breaks it: the sequencer is still a single point of failure, and a
// crashed sequencer stops numbering (validity fails).
//
// State: as Sequencer's, plus, at the sequencer, Next[o], how many of
// origin o's submissions it has numbered, and Received marking the
// submissions it holds back (received, not yet numbered: OrderOf 0).

func init() {
	register(FIFOTotal, sequenced((*Protocol).fifoSubmitted))
}

// fifoSubmitted is the sequencer's reaction to a submission: it holds it
// back, then numbers the origin's submissions for as long as the next one
// in sequence is held. A duplicate is ignored.
func (p *Protocol) fifoSubmitted(s State, origin, seq int8) (State, out) {
	if received(s, origin, seq) {
		return s, nil
	}
	s.Received |= 1 << id(origin, seq)
	var o out
	for s.Next[origin] < MaxPerNode && received(s, origin, s.Next[origin]+1) {
		s.Next[origin]++
		var more out
		s, more = p.seqNumber(s, origin, s.Next[origin])
		o = append(o, more...)
	}
	return s, o
}
