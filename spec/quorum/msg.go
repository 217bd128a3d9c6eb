package quorum

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MsgKind says what a Msg is: a client request, a message between nodes,
// or an observation.
type MsgKind uint8

// The message kinds.
const (
	// WriteReq asks the writer to write Val (a request).
	WriteReq MsgKind = iota
	// ReadReq asks a reader to perform read ID (a request).
	ReadReq
	// Write asks a replica to store (TS, Val).
	Write
	// Ack tells the writer that a replica has handled Write(TS, …).
	Ack
	// Read asks a replica for its register, for read ID.
	Read
	// Reply answers Read(ID) with the replica's (TS, Val).
	Reply
	// Repair pushes (TS, Val), with its original timestamp, to a replica
	// that answered a read with an older one.
	Repair
	// WriteDone observes that write (TS, Val) reached a write quorum.
	WriteDone
	// ReadStart observes that read ID has started.
	ReadStart
	// ReadDone observes that read ID returned (TS, Val).
	ReadDone
	// WriteBack asks a replica to store (TS, Val), the value a reader is
	// about to return, and to acknowledge it (Params.WriteBack).
	WriteBack
	// Query asks a replica for its timestamp, for the write of Val (with
	// several writers, Params.Writers).
	Query
	// QueryReply answers Query(Val) with the replica's timestamp (TS, Wr).
	QueryReply
	// WriteStart observes that the write of Val has started (with several
	// writers: the linearizability check needs when each write began).
	WriteStart
)

var msgNames = [...]string{"write", "read", "Write", "Ack", "Read", "Reply", "Repair", "WriteDone", "ReadStart", "ReadDone", "WriteBack", "Query", "QueryReply", "WriteStart"}

// String returns the kind's name as messages print it.
func (k MsgKind) String() string {
	if int(k) < len(msgNames) {
		return msgNames[k]
	}
	return fmt.Sprintf("MsgKind(%d)", k)
}

// Msg is a request, a message or an observation. Which fields are used
// depends on Kind; unused fields are zero.
type Msg struct {
	Kind MsgKind
	// ID numbers a read (from 1, unique over the workload).
	ID int8
	// TS, Wr and Val are a timestamped value (timestamp (0, 0) is the
	// initial value 0): counter TS, writer number Wr (0 with one writer).
	TS, Wr, Val int8
}

// stamp is m's timestamp.
func (m Msg) stamp() Stamp { return Stamp{m.TS, m.Wr} }

// AppendMsg appends m's canonical encoding.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), byte(m.ID), m.stamp().pack(), byte(m.Val))
}

// FormatMsg describes m: Write(ts=1,v=1), Reply(id=1,ts=0,v=0), write(v=1),
// and with several writers Write(ts=1.2,v=1).
func (p *Protocol) FormatMsg(m Msg) string { return m.String() }

// String describes m as FormatMsg does.
func (m Msg) String() string {
	switch m.Kind {
	case WriteReq:
		return fmt.Sprintf("write(v=%d)", m.Val)
	case ReadReq:
		return fmt.Sprintf("read(id=%d)", m.ID)
	case Read, ReadStart:
		return fmt.Sprintf("%s(id=%d)", m.Kind, m.ID)
	case Ack:
		return fmt.Sprintf("Ack(ts=%v)", m.stamp())
	case Reply, ReadDone:
		return fmt.Sprintf("%s(id=%d,ts=%v,v=%d)", m.Kind, m.ID, m.stamp(), m.Val)
	case Query, WriteStart:
		return fmt.Sprintf("%s(v=%d)", m.Kind, m.Val)
	case QueryReply:
		return fmt.Sprintf("QueryReply(v=%d,ts=%v)", m.Val, m.stamp())
	}
	return fmt.Sprintf("%s(ts=%v,v=%d)", m.Kind, m.stamp(), m.Val)
}

// AppendState appends s's canonical encoding: one byte a field.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	// A writer's number shares the role's byte, and a timestamp's writer
	// its counter's (Stamp.pack): with one writer, both are 0 and the
	// bytes are those of the single-writer register.
	b = append(b, byte(s.Role)|byte(s.Self)<<4, s.register().pack(), byte(s.Val), byte(s.Counter))
	b = spec.AppendBool(b, s.Repaired)
	// Busy, WritingBack and Querying share a byte: 0 idle, 1 busy, 3
	// writing back, 5 querying.
	b = append(b, boolBit(s.Busy, 0)|boolBit(s.WritingBack, 1)|boolBit(s.Querying, 2))
	b = append(b, byte(s.OpID), s.op().pack(), byte(s.OpVal), s.Got)
	for _, ts := range s.Replies {
		b = append(b, ts.pack())
	}
	b = append(b, s.Queued)
	for _, q := range s.Queue {
		b = append(b, byte(q))
	}
	return append(b, byte(s.LastID), s.last().pack(), byte(s.LastVal))
}

// boolBit returns 1<<bit if b, else 0.
func boolBit(b bool, bit uint) byte {
	if b {
		return 1 << bit
	}
	return 0
}

// FormatState describes s on one line: "replica ts=1 v=1",
// "writer ts=1 writing ts=2 v=2 acks={0}", "reader reading id=1 replies={0:1,2:0}",
// "reader writing back id=1 ts=1 v=1 acks={0}", and with several writers
// "writer 2 ts=0 querying v=2 answers={0} newest ts=1.1".
func (p *Protocol) FormatState(s State) string {
	var b strings.Builder
	switch s.Role {
	case Replica:
		fmt.Fprintf(&b, "replica ts=%v v=%d", s.register(), s.Val)
		if s.Repaired {
			b.WriteString(" (repaired)")
		}
	case Writer:
		b.WriteString("writer")
		if s.Self != 0 {
			fmt.Fprintf(&b, " %d", s.Self)
		}
		fmt.Fprintf(&b, " ts=%d", s.Counter)
		if s.Querying {
			fmt.Fprintf(&b, " querying v=%d answers=%s", s.OpVal, formatSet(s.Got, nil))
			if s.Got != 0 {
				fmt.Fprintf(&b, " newest ts=%v", s.op())
			}
		} else if s.Busy {
			fmt.Fprintf(&b, " writing ts=%v v=%d acks=%s", s.op(), s.OpVal, formatSet(s.Got, nil))
		}
	case Reader:
		b.WriteString("reader")
		if s.WritingBack {
			fmt.Fprintf(&b, " writing back id=%d ts=%v v=%d acks=%s", s.OpID, s.op(), s.OpVal, formatSet(s.Got, nil))
		} else if s.Busy {
			fmt.Fprintf(&b, " reading id=%d replies=%s", s.OpID, formatSet(s.Got, &s.Replies))
			if s.Got != 0 {
				fmt.Fprintf(&b, " newest ts=%v v=%d", s.op(), s.OpVal)
			}
		}
		if s.LastID != 0 {
			fmt.Fprintf(&b, " last id=%d ts=%v v=%d", s.LastID, s.last(), s.LastVal)
		}
	}
	if s.Queued > 0 {
		fmt.Fprintf(&b, " queue=%v", s.Queue[:s.Queued])
	}
	return b.String()
}

// formatSet renders the replicas of set as {0,2}, or with the timestamps
// they replied as {0:1,2:0}.
func formatSet(set uint8, ts *[MaxReplicas]Stamp) string {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for i := range MaxReplicas {
		if set&(1<<i) == 0 {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		fmt.Fprint(&b, i)
		if ts != nil {
			fmt.Fprintf(&b, ":%v", ts[i])
		}
	}
	b.WriteByte('}')
	return b.String()
}
