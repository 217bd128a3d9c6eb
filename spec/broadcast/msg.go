package broadcast

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Bounds of a configuration: every set of messages fits in a uint16.
const (
	MaxNodes   = 4
	MaxPerNode = 3
	MaxMsgs    = MaxNodes * MaxPerNode
)

// MsgKind says what a Msg is: a request, a wire message, an observation or
// a choice.
type MsgKind uint8

const (
	// Broadcast is the request "broadcast your next message".
	Broadcast MsgKind = iota + 1

	// Data carries message (Origin, Seq) with the metadata its algorithm
	// attaches (Deps, TS, Order).
	Data
	// Ack acknowledges Data (Origin, Seq) to its origin (fanout).
	Ack
	// Submit asks the sequencer to order (Origin, Seq) (sequencer,
	// fifo-total).
	Submit
	// Ordered announces that (Origin, Seq) is number Order in the total
	// order (sequencer, fifo-total).
	Ordered
	// Clock tells the others a node's Lamport clock TS, so that they learn
	// it will never send a smaller timestamp (lamport).
	Clock

	// Broadcasted observes that the node broadcast (Origin, Seq).
	Broadcasted
	// Delivered observes that the node delivered (Origin, Seq).
	Delivered

	// Forward is a gossip choice: forward (Origin, Seq) to Peer.
	Forward
)

var kindNames = [...]string{"?", "broadcast", "Data", "Ack", "Submit", "Ordered", "Clock", "broadcast", "deliver", "forward"}

func (k MsgKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("MsgKind(%d)", k)
}

// Msg is every message of the package: which fields count depends on Kind.
// A broadcast message is named by its origin and its sequence number there
// (from 1): (Origin, Seq), written m<origin>.<seq>.
type Msg struct {
	Kind   MsgKind
	Origin int8
	Seq    int8
	Peer   int8 // Forward: the peer to forward to
	TS     int8 // Data: Lamport timestamp (lamport); Clock: the clock
	Order  int8 // Ordered, Data (fifo-total): position in the total order, from 1
	// Deps is a causal Data's dependency vector: how many messages of each
	// origin must be delivered first.
	Deps [MaxNodes]int8
}

// ID is the message's index in [0, MaxMsgs), for sets of messages.
func (m Msg) ID() int { return id(m.Origin, m.Seq) }

func id(origin, seq int8) int { return int(origin)*MaxPerNode + int(seq) - 1 }

// name writes m<origin>.<seq>.
func name(origin, seq int8) string { return fmt.Sprintf("m%d.%d", origin, seq) }

// AppendMsg appends m's canonical encoding.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), byte(m.Origin), byte(m.Seq), byte(m.Peer), byte(m.TS), byte(m.Order))
	for _, d := range m.Deps[:p.p.N] {
		b = append(b, byte(d))
	}
	return b
}

// FormatMsg describes m on one line: Data(m0.1 ts=2), deliver m1.1.
func (p *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case Broadcast:
		return "broadcast"
	case Broadcasted, Delivered:
		return m.Kind.String() + " " + name(m.Origin, m.Seq)
	case Forward:
		return fmt.Sprintf("forward %s to n%d", name(m.Origin, m.Seq), m.Peer)
	case Clock:
		return fmt.Sprintf("Clock(%d)", m.TS)
	}
	var extra []string
	if m.TS != 0 {
		extra = append(extra, fmt.Sprintf("ts=%d", m.TS))
	}
	if m.Order != 0 {
		extra = append(extra, fmt.Sprintf("order=%d", m.Order))
	}
	if p.p.Algorithm == Causal && m.Kind == Data {
		extra = append(extra, "deps="+vector(m.Deps[:p.p.N]))
	}
	s := m.Kind.String() + "(" + name(m.Origin, m.Seq)
	if len(extra) > 0 {
		s += " " + strings.Join(extra, " ")
	}
	return s + ")"
}

func vector(v []int8) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprint(x)
	}
	return "⟨" + strings.Join(parts, ",") + "⟩"
}

// out is the output list type of Step.
type out = spec.Out[Msg]

// observe returns the observation of kind k (Broadcasted, Delivered) of m.
func observe(k MsgKind, origin, seq int8) spec.Output[Msg] {
	return spec.Emit(Msg{Kind: k, Origin: origin, Seq: seq})
}
