package broadcast

import (
	"math/bits"

	"github.com/distsys/distsys/spec"
)

// Total order broadcast via a sequencer leader (course 4.3): node 0 is the
// fixed sequencer. To broadcast, a node sends Submit(m) to the sequencer
// (which handles its own messages directly); the sequencer numbers the
// submissions in the order they arrive and sends Ordered(m, number) to
// every other node, acting on it itself at once. Every node delivers in
// number order, holding back a message until every smaller number has been
// delivered.
//
// Guarantees, on reliable links with no crash: reliable total order — every
// node delivers every message, all in the sequencer's order.
//
// What breaks it: the network may reorder two Submits of one origin, and
// the sequencer numbers them as they arrive, so FIFO order (hence causal
// order) fails over unordered links; FIFOTotal numbers each origin's
// submissions in sequence instead. The sequencer is a single point of
// failure: when it crashes it stops numbering, and no correct node delivers
// anything submitted after — validity fails.
//
// State: Numbered counts the sequencer's numbers; OrderOf[m] is m's number
// once known. A node delivers numbers in order, so the number it expects
// next is one more than how many messages it has delivered. Received marks
// the messages whose Ordered arrived (at the sequencer: whose Submit
// arrived); a duplicate Submit or Ordered is ignored.

// sequencerID is the fixed sequencer of Sequencer and FIFOTotal.
const sequencerID int8 = 0

func init() {
	register(Sequencer, sequenced((*Protocol).seqSubmitted))
}

// sequenced returns the handlers of an algorithm in which every node sends
// its broadcasts to the sequencer and delivers in the sequencer's order;
// submitted is how the sequencer reacts to a submission.
func sequenced(submitted func(p *Protocol, s State, origin, seq int8) (State, out)) handlers {
	return handlers{
		broadcast: func(p *Protocol, s State, seq int8) (State, out) {
			if s.ID == sequencerID {
				return submitted(p, s, s.ID, seq)
			}
			return s, out{spec.SendTo(spec.NodeID(sequencerID), Msg{Kind: Submit, Origin: s.ID, Seq: seq})}
		},
		receive: func(p *Protocol, s State, from int8, m Msg) (State, out) {
			switch {
			case m.Kind == Submit && s.ID == sequencerID:
				return submitted(p, s, m.Origin, m.Seq)
			case m.Kind == Ordered:
				return p.seqOrdered(s, m.Origin, m.Seq, m.Order)
			}
			return s, nil
		},
	}
}

// seqSubmitted is the sequencer's reaction to a submission: it numbers every
// submission in arrival order, a duplicate excepted.
func (p *Protocol) seqSubmitted(s State, origin, seq int8) (State, out) {
	if received(s, origin, seq) {
		return s, nil
	}
	s.Received |= 1 << id(origin, seq)
	return p.seqNumber(s, origin, seq)
}

// seqNumber gives (origin, seq) the sequencer's next number, tells every other
// node, and acts on the number itself.
func (p *Protocol) seqNumber(s State, origin, seq int8) (State, out) {
	s.Numbered++
	m := Msg{Kind: Ordered, Origin: origin, Seq: seq, Order: s.Numbered}
	o := p.toOthers(s.ID, m)
	s, more := p.seqOrdered(s, origin, seq, s.Numbered)
	return s, append(o, more...)
}

// seqOrdered records that (origin, seq) is number order of the total order and
// delivers what is then ready. A duplicate is ignored.
func (p *Protocol) seqOrdered(s State, origin, seq, order int8) (State, out) {
	m := id(origin, seq)
	if s.OrderOf[m] != 0 {
		return s, nil
	}
	s.Received |= 1 << m
	s.OrderOf[m] = order
	return p.deliverByNumber(s)
}

// deliverByNumber delivers held-back messages for as long as the one whose
// number comes next has arrived.
func (p *Protocol) deliverByNumber(s State) (State, out) {
	var o out
	for {
		next := int8(bits.OnesCount16(s.Delivered)) + 1
		m, ok := p.heldWithNumber(s, next)
		if !ok {
			return s, o
		}
		var more out
		s, more = p.deliver(s, int8(m/MaxPerNode), int8(m%MaxPerNode+1))
		o = append(o, more...)
	}
}

// heldWithNumber finds the received, undelivered message with number order.
func (p *Protocol) heldWithNumber(s State, order int8) (int, bool) {
	held := s.Received &^ s.Delivered
	for m := range MaxPerNode * p.p.N {
		if held&(1<<m) != 0 && s.OrderOf[m] == order {
			return m, true
		}
	}
	return 0, false
}
