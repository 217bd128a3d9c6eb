package broadcast

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// handlers are one algorithm's reactions. Each algorithm's file registers
// its handlers in an init function; broadcast and receive are required.
type handlers struct {
	// broadcast runs when the node broadcasts its next message, after
	// begin has numbered it and observed the broadcast.
	broadcast func(p *Protocol, s State, seq int8) (State, out)
	// receive handles a wire message from node from.
	receive func(p *Protocol, s State, from int8, m Msg) (State, out)
	// fire handles a timer (optional).
	fire func(p *Protocol, s State, t spec.Timer) (State, out)
	// choices lists the node's nondeterministic choices (optional).
	choices func(p *Protocol, s State) []Msg
	// choose makes one (optional).
	choose func(p *Protocol, s State, m Msg) (State, out)
}

var algorithms [numAlgorithms]handlers

func register(a Algorithm, h handlers) {
	if h.broadcast == nil || h.receive == nil {
		panic(fmt.Sprintf("broadcast: %s registers no broadcast or receive handler", a))
	}
	algorithms[a] = h
}

// Step applies one input.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	h := algorithms[p.p.Algorithm]
	switch in.Kind {
	case spec.Request:
		if in.Msg.Kind != Broadcast || int(s.Sent) >= MaxPerNode {
			return s, nil
		}
		s, o := begin(s)
		s, more := h.broadcast(p, s, s.Sent)
		return s, append(o, more...)
	case spec.Receive:
		return h.receive(p, s, int8(in.From), in.Msg)
	case spec.Fire:
		if h.fire != nil {
			return h.fire(p, s, in.Timer)
		}
	case spec.Choose:
		if h.choose != nil {
			return h.choose(p, s, in.Msg)
		}
	}
	return s, nil
}

// Choices lists the node's nondeterministic choices (gossip targets).
func (p *Protocol) Choices(s State) []Msg {
	if h := algorithms[p.p.Algorithm]; h.choices != nil {
		return h.choices(p, s)
	}
	return nil
}

// begin numbers the node's next message and observes its broadcast.
func begin(s State) (State, out) {
	s.Sent++
	return s, out{observe(Broadcasted, s.ID, s.Sent)}
}

// deliver delivers (origin, seq): records it, applies it to the state
// machine and observes the delivery.
func (p *Protocol) deliver(s State, origin, seq int8) (State, out) {
	s.Delivered |= 1 << id(origin, seq)
	s.Machine = p.p.Machine.apply(s.Machine, origin, seq)
	return s, out{observe(Delivered, origin, seq)}
}

// delivered reports whether (origin, seq) has been delivered.
func delivered(s State, origin, seq int8) bool { return s.Delivered&(1<<id(origin, seq)) != 0 }

// received reports whether (origin, seq) has been received before.
func received(s State, origin, seq int8) bool { return s.Received&(1<<id(origin, seq)) != 0 }

// toOthers sends m to every node but the sender, in node order.
func (p *Protocol) toOthers(self int8, m Msg) out {
	var o out
	o.SendAll(p.p.N, m, spec.NodeID(self))
	return o
}

// toOthersExcept sends m to every node but the sender and one more.
func (p *Protocol) toOthersExcept(self, skip int8, m Msg) out {
	var o out
	o.SendAll(p.p.N, m, spec.NodeID(self), spec.NodeID(skip))
	return o
}
