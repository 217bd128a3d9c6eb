package clocks

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Kind says what a Msg is: a request to a node (DoLocal, DoSend), the
// timestamps a message carries (Stamp), or the observation of an event
// (LocalEvent, SendEvent, ReceiveEvent).
type Kind uint8

const (
	// DoLocal asks a node to do a local event.
	DoLocal Kind = iota
	// DoSend asks a node to send a message to Peer.
	DoSend
	// Stamp is a message on the network: the sender's L and V at the send.
	Stamp
	// LocalEvent observes a local event of Node.
	LocalEvent
	// SendEvent observes Node sending a message to Peer.
	SendEvent
	// ReceiveEvent observes Node receiving a message from Peer.
	ReceiveEvent
)

var kindNames = [...]string{"do-local", "do-send", "stamp", "local", "send", "receive"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// IsEvent reports whether k is the observation of an event.
func (k Kind) IsEvent() bool { return k >= LocalEvent && k <= ReceiveEvent }

// Msg is what a node is asked to do, what it sends, and what it observes.
// Which fields are meaningful depends on Kind: Peer for DoSend, SendEvent
// and ReceiveEvent; L and V for Stamp and the events; Node for the events.
type Msg struct {
	Kind Kind
	Node spec.NodeID // events: the node the event happened at
	Peer spec.NodeID // DoSend, SendEvent: the receiver; ReceiveEvent: the sender
	L    uint32      // Lamport timestamp
	V    spec.VClock // vector timestamp
}

// State is one node's clocks. Both are persisted: a crash loses nothing
// (course 2.3: "crash-stop, or persist the counters").
type State struct {
	ID spec.NodeID
	L  uint32      // Lamport clock
	V  spec.VClock // vector clock, one entry per node
}

// Protocol is Lamport and vector clocks on N nodes, as one node protocol:
// every node keeps both clocks, ticks them on each local event or send,
// stamps its messages with them and merges the stamps it receives. It
// implements spec.Protocol[State, Msg]; build it with New.
type Protocol struct {
	p Params
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// Nodes is the number of nodes.
func (p *Protocol) Nodes() int { return p.p.N }

// Params returns the configuration the protocol was built with.
func (p *Protocol) Params() Params { return p.p }

// Init returns node id with both clocks at zero.
func (p *Protocol) Init(id spec.NodeID) State {
	return State{ID: id, V: make(spec.VClock, p.p.N)}
}

// Step applies one input. A DoLocal or DoSend request is one event, a
// received Stamp another; each emits exactly one observation carrying the
// clocks at that event. Start, timers and Recover do nothing: the clocks
// are persisted and no timer is ever set.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Request:
		switch in.Msg.Kind {
		case DoLocal:
			return p.localEvent(s)
		case DoSend:
			return p.sendEvent(s, in.Msg.Peer)
		}
		panic(fmt.Sprintf("clocks: n%d got request %s; want do-local or do-send (state %s)", s.ID, p.FormatMsg(in.Msg), p.FormatState(s)))
	case spec.Receive:
		if in.Msg.Kind != Stamp {
			panic(fmt.Sprintf("clocks: n%d received %s from n%d; want a stamp (state %s)", s.ID, p.FormatMsg(in.Msg), in.From, p.FormatState(s)))
		}
		return p.receiveEvent(s, in.From, in.Msg)
	}
	return s, nil
}

// localEvent ticks both clocks (course 4.1: t := t+1, V[i] := V[i]+1).
func (p *Protocol) localEvent(s State) (State, []spec.Output[Msg]) {
	if p.p.Mutant == "lamport-local-no-tick" {
		s.V = s.V.Tick(s.ID)
	} else {
		s = tick(s)
	}
	return s, []spec.Output[Msg]{observe(s, LocalEvent, s.ID)}
}

// sendEvent ticks both clocks and sends them to peer.
func (p *Protocol) sendEvent(s State, peer spec.NodeID) (State, []spec.Output[Msg]) {
	if peer < 0 || int(peer) >= p.p.N || peer == s.ID {
		panic(fmt.Sprintf("clocks: n%d asked to send to n%d of %d nodes (state %s)", s.ID, peer, p.p.N, p.FormatState(s)))
	}
	s = tick(s)
	return s, []spec.Output[Msg]{
		spec.SendTo(peer, Msg{Kind: Stamp, L: s.L, V: s.V}),
		observe(s, SendEvent, peer),
	}
}

// receiveEvent merges the stamp m from node from into s and ticks (course
// 4.1: t := max(t, t')+1; V := max(V, V'), then V[i] := V[i]+1). The
// mutants change this rule.
func (p *Protocol) receiveEvent(s State, from spec.NodeID, m Msg) (State, []spec.Output[Msg]) {
	if len(m.V) != len(s.V) {
		panic(fmt.Sprintf("clocks: n%d received a %d-entry vector from n%d; want %d (state %s)", s.ID, len(m.V), from, len(s.V), p.FormatState(s)))
	}
	switch p.p.Mutant {
	case "lamport-no-max":
		s.L++
		s.V = s.V.Merge(m.V).Tick(s.ID)
	case "receive-no-increment":
		s.L = max(s.L, m.L)
		s.V = s.V.Merge(m.V)
	case "vector-overwrite":
		s.L = max(s.L, m.L) + 1
		s.V = m.V.Tick(s.ID)
	case "vector-receive-no-tick":
		s.L = max(s.L, m.L) + 1
		s.V = s.V.Merge(m.V)
	default:
		s.L = max(s.L, m.L) + 1
		s.V = s.V.Merge(m.V).Tick(s.ID)
	}
	return s, []spec.Output[Msg]{observe(s, ReceiveEvent, from)}
}

// tick returns s with both clocks advanced by one event. VClock.Tick
// copies, so s's vector is never written.
func tick(s State) State {
	s.L++
	s.V = s.V.Tick(s.ID)
	return s
}

// observe returns the observation of an event of kind k at s.
func observe(s State, k Kind, peer spec.NodeID) spec.Output[Msg] {
	return spec.Emit(Msg{Kind: k, Node: s.ID, Peer: peer, L: s.L, V: s.V})
}

// Crash returns s unchanged: both clocks are persisted.
func (p *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	b = spec.AppendUint(b, uint64(s.ID))
	b = spec.AppendUint(b, uint64(s.L))
	return s.V.Append(b)
}

// AppendMsg appends m's canonical encoding.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind))
	b = spec.AppendUint(b, uint64(m.Node))
	b = spec.AppendUint(b, uint64(m.Peer))
	b = spec.AppendUint(b, uint64(m.L))
	return m.V.Append(b)
}

// FormatState describes s as "L=3 V=⟨2,1,0⟩".
func (p *Protocol) FormatState(s State) string {
	return fmt.Sprintf("L=%d V=%s", s.L, s.V)
}

// FormatMsg describes m: "local", "send→n1" (requests), "L=2 V=⟨2,0⟩" (a
// stamp), "n1 receive←n0 L=3 V=⟨2,1⟩" (an event).
func (p *Protocol) FormatMsg(m Msg) string { return formatMsg(m) }

func formatMsg(m Msg) string {
	switch m.Kind {
	case DoLocal:
		return "local"
	case DoSend:
		return fmt.Sprintf("send→n%d", m.Peer)
	case Stamp:
		return fmt.Sprintf("L=%d V=%s", m.L, m.V)
	case LocalEvent:
		return fmt.Sprintf("n%d local L=%d V=%s", m.Node, m.L, m.V)
	case SendEvent:
		return fmt.Sprintf("n%d send→n%d L=%d V=%s", m.Node, m.Peer, m.L, m.V)
	case ReceiveEvent:
		return fmt.Sprintf("n%d receive←n%d L=%d V=%s", m.Node, m.Peer, m.L, m.V)
	}
	return m.Kind.String()
}

// TimerName names timer t; the protocol sets no timers.
func (p *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }
