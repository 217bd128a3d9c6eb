package kv

import (
	"encoding/binary"
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// KVKind says what a Msg is at the store's level; 0 is a Raft message.
type KVKind uint8

const (
	// Request is a client's request of operation ID (an input).
	Request KVKind = iota + 1
	// Invoked observes that a client sent operation ID to this node.
	Invoked
	// Replied observes this node's reply Result to operation ID.
	Replied
	// Applied observes that this node applied operation ID to its store.
	Applied
	// Deduplicated observes that this node skipped a second log entry of
	// operation ID (a retried request).
	Deduplicated
)

// Msg is a Raft message, or a store-level request or observation.
type Msg struct {
	Raft   raft.Msg
	KV     KVKind
	ID     int8
	Result int8
	// Cmd is a run-time Command (encoded) instead of a scenario's ID, and
	// Value its result.
	Cmd   string
	Value int32
}

// AppendMsg appends m's canonical encoding.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.KV), byte(m.ID), byte(m.Result))
	b = p.raft.AppendMsg(b, m.Raft)
	b = binary.AppendUvarint(b, uint64(len(m.Cmd)))
	if m.Cmd != "" {
		b = append(b, m.Cmd...)
		b = binary.AppendVarint(b, int64(m.Value))
	}
	return b
}

// FormatMsg describes m on one line.
func (p *Protocol) FormatMsg(m Msg) string {
	if c, ok := DecodeCommand(m.Cmd); ok {
		switch m.KV {
		case Request:
			return "request " + c.String()
		case Invoked:
			return "invoke " + c.String()
		case Replied:
			return fmt.Sprintf("reply %s → %d", c, m.Value)
		case Applied:
			return "apply " + c.String()
		case Deduplicated:
			return "skip duplicate " + c.String()
		}
	}
	op := p.byID[m.ID]
	switch m.KV {
	case Request:
		return "request " + op.String()
	case Invoked:
		return "invoke " + op.String()
	case Replied:
		return fmt.Sprintf("reply %s → %s", op, op.Result(m.Result))
	case Applied:
		return "apply " + op.String()
	case Deduplicated:
		return fmt.Sprintf("skip duplicate #%d", m.ID)
	}
	return p.raft.FormatMsg(m.Raft)
}

// TimerName names Raft's timers.
func (p *Protocol) TimerName(t spec.Timer) string { return p.raft.TimerName(t) }

// wrap turns Raft outputs into the store's.
func wrap(outs []spec.Output[raft.Msg]) []spec.Output[Msg] {
	w := make([]spec.Output[Msg], len(outs))
	for i, o := range outs {
		w[i] = spec.Output[Msg]{Kind: o.Kind, To: o.To, Timer: o.Timer, Msg: Msg{Raft: o.Msg}}
	}
	return w
}

func observe(k KVKind, id, result int8) spec.Output[Msg] {
	return spec.Emit(Msg{KV: k, ID: id, Result: result})
}
