package broadcast

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/distsys/distsys/spec"
)

// State is one node's state. It holds the fields of every algorithm (each
// uses its own and leaves the others zero), in fixed-size arrays, so that
// a state is a plain value that copies without sharing.
type State struct {
	ID int8
	// Sent is how many messages this node has broadcast (its last Seq).
	Sent int8
	// Received: messages received at least once (first receipt triggers
	// relaying). Delivered: messages delivered. Sets of message IDs.
	Received, Delivered uint16
	// Machine is the replicated state machine's state (see Machine).
	Machine int16

	// Next[o] is how many messages of origin o this node has delivered
	// (FIFO, Causal, FIFOTotal's sequencer).
	Next [MaxNodes]int8
	// Deps[m] is the dependency vector of held-back message m (Causal).
	Deps [MaxMsgs][MaxNodes]int8

	// Unacked[k] is the set of peers that have not acknowledged this node's
	// message k+1; Tries[k] counts the rounds that resent it (FanOut).
	Unacked [MaxPerNode]uint8
	Tries   [MaxPerNode]int8

	// Chosen[m] is the set of peers message m was forwarded to; Left[m] is
	// how many forwards remain (Gossip).
	Chosen [MaxMsgs]uint8
	Left   [MaxMsgs]int8

	// Numbered is how many messages the sequencer has numbered; OrderOf[m]
	// is message m's position in the total order, 0 while unknown
	// (Sequencer, FIFOTotal).
	Numbered int8
	OrderOf  [MaxMsgs]int8

	// Clock is the Lamport clock; Heard[o] the largest timestamp received
	// from node o; TSOf[m] message m's timestamp (Lamport).
	Clock int8
	Heard [MaxNodes]int8
	TSOf  [MaxMsgs]int8
}

// Init returns node id's initial state.
func (p *Protocol) Init(id spec.NodeID) State { return State{ID: int8(id)} }

// Crash keeps the state: the broadcast algorithms assume crash-stop, where
// a crashed node never runs again and its state only records what it did.
func (p *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding: the fields every algorithm
// uses, then those of this protocol's algorithm.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	n := p.p.N
	b = append(b, byte(s.ID), byte(s.Sent), byte(s.Received), byte(s.Received>>8), byte(s.Delivered), byte(s.Delivered>>8), byte(s.Machine), byte(s.Machine>>8))
	msgs := MaxPerNode * n
	switch p.p.Algorithm {
	case FanOut:
		b = append(b, s.Unacked[0], s.Unacked[1], s.Unacked[2])
		b = appendInt8s(b, s.Tries[:])
	case Gossip:
		for m := range msgs {
			b = append(b, s.Chosen[m], byte(s.Left[m]))
		}
	case FIFO, Causal:
		b = appendInt8s(b, s.Next[:n])
		if p.p.Algorithm == Causal {
			for m := range msgs {
				b = appendInt8s(b, s.Deps[m][:n])
			}
		}
	case Sequencer, FIFOTotal:
		b = append(b, byte(s.Numbered))
		b = appendInt8s(b, s.Next[:n])
		b = appendInt8s(b, s.OrderOf[:msgs])
	case Lamport:
		b = append(b, byte(s.Clock))
		b = appendInt8s(b, s.Heard[:n])
		b = appendInt8s(b, s.TSOf[:msgs])
	}
	return b
}

func appendInt8s(b []byte, v []int8) []byte {
	for _, x := range v {
		b = append(b, byte(x))
	}
	return b
}

// FormatState describes s on one line: what it delivered, and its
// algorithm's bookkeeping.
func (p *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "sent %d, delivered %s", s.Sent, p.set(s.Delivered))
	if held := s.Received &^ s.Delivered; held != 0 && p.p.Algorithm != Gossip {
		fmt.Fprintf(&b, ", holding %s", p.set(held))
	}
	switch p.p.Algorithm {
	case FanOut:
		for k, peers := range s.Unacked[:s.Sent] {
			if peers != 0 {
				fmt.Fprintf(&b, ", %s unacked by %s (resent %d×)", name(s.ID, int8(k+1)), nodes(peers), s.Tries[k])
			}
		}
	case Gossip:
		for m, left := range s.Left[:MaxPerNode*p.p.N] {
			if left > 0 {
				fmt.Fprintf(&b, ", %s to forward %d× more", mid(m), left)
			}
		}
	case FIFO, Causal:
		fmt.Fprintf(&b, ", next %s", vector(s.Next[:p.p.N]))
	case Sequencer, FIFOTotal:
		if s.Numbered > 0 {
			fmt.Fprintf(&b, ", numbered %d", s.Numbered)
		}
	case Lamport:
		fmt.Fprintf(&b, ", clock %d, heard %s", s.Clock, vector(s.Heard[:p.p.N]))
	}
	switch p.p.Machine {
	case None:
	case AddSet:
		fmt.Fprintf(&b, ", set = %s", p.set(uint16(s.Machine)))
	default:
		fmt.Fprintf(&b, ", %s", p.p.Machine.format(s.Machine))
	}
	return b.String()
}

// set names the messages of a set: {m0.1, m1.1}.
func (p *Protocol) set(ms uint16) string {
	var names []string
	for ms != 0 {
		m := bits.TrailingZeros16(ms)
		ms &^= 1 << m
		names = append(names, name(int8(m/MaxPerNode), int8(m%MaxPerNode+1)))
	}
	return "{" + strings.Join(names, ", ") + "}"
}

// nodes names the nodes of a set: {n1, n2}.
func nodes(set uint8) string {
	var names []string
	for ; set != 0; set &= set - 1 {
		names = append(names, fmt.Sprintf("n%d", bits.TrailingZeros8(set)))
	}
	return "{" + strings.Join(names, ", ") + "}"
}

// TimerName names the one timer, FanOut's resend timer.
func (p *Protocol) TimerName(t spec.Timer) string {
	if t == resend {
		return "resend"
	}
	return fmt.Sprintf("timer%d", t)
}

// resend is FanOut's timer.
const resend spec.Timer = 0
