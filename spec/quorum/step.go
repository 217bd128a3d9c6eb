package quorum

import (
	"math/bits"

	"github.com/distsys/distsys/spec"
)

type out = []spec.Output[Msg]

// Step applies one input to a node. It takes s by value and never writes
// through a shared slice, so the caller's state is untouched.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch s.Role {
	case Replica:
		if in.Kind == spec.Receive {
			return p.replicaReceive(s, in.From, in.Msg)
		}
	case Writer:
		switch in.Kind {
		case spec.Request:
			if in.Msg.Kind == WriteReq {
				return p.request(s, in.Msg.Val)
			}
		case spec.Receive:
			switch in.Msg.Kind {
			case Ack:
				return p.writerAck(s, in.From, in.Msg.stamp())
			case QueryReply:
				return p.writerQueryReply(s, in.From, in.Msg)
			}
		}
	case Reader:
		switch in.Kind {
		case spec.Request:
			if in.Msg.Kind == ReadReq {
				return p.request(s, in.Msg.ID)
			}
		case spec.Receive:
			switch in.Msg.Kind {
			case Reply:
				return p.readerReply(s, in.From, in.Msg)
			case Ack:
				return p.readerAck(s, in.From, in.Msg.stamp())
			}
		}
	}
	// Start, Recover (nothing volatile to rebuild: a recovered client is
	// idle) and anything a node does not expect.
	return s, nil
}

// replicaReceive handles Write, Read, Query, Repair and WriteBack at a
// replica: it keeps a value only if its timestamp is newer than the one it
// holds.
func (p *Protocol) replicaReceive(s State, from spec.NodeID, m Msg) (State, out) {
	switch m.Kind {
	case Write:
		s, _ = p.store(s, m.stamp(), m.Val)
		return s, out{spec.SendTo(from, Msg{Kind: Ack, TS: m.TS, Wr: m.Wr})}
	case WriteBack:
		s, raised := p.store(s, m.stamp(), m.Val)
		if raised {
			s.Repaired = true
		}
		return s, out{spec.SendTo(from, Msg{Kind: Ack, TS: m.TS, Wr: m.Wr})}
	case Read:
		return s, out{spec.SendTo(from, Msg{Kind: Reply, ID: m.ID, TS: s.TS, Wr: s.Wr, Val: s.Val})}
	case Query:
		return s, out{spec.SendTo(from, Msg{Kind: QueryReply, TS: s.TS, Wr: s.Wr, Val: m.Val})}
	case Repair:
		s, raised := p.store(s, m.stamp(), m.Val)
		if raised {
			s.Repaired = true
		}
		return s, nil
	}
	return s, nil
}

// store keeps (ts, v) if ts is newer (always, under replica-overwrite) and
// reports whether the replica's timestamp rose.
func (p *Protocol) store(s State, ts Stamp, v int8) (State, bool) {
	raised := ts.After(s.register())
	if raised || p.mutant == replicaOverwrite {
		s.TS, s.Wr, s.Val = ts.TS, ts.Wr, v
	}
	return s, raised
}

// request starts a client operation, or queues it while one is running.
func (p *Protocol) request(s State, arg int8) (State, out) {
	if s.Busy {
		if int(s.Queued) < len(s.Queue) {
			s.Queue[s.Queued] = arg
			s.Queued++
		}
		return s, nil
	}
	return p.begin(s, arg, nil)
}

// begin starts the client's next operation, appending its outputs to o.
func (p *Protocol) begin(s State, arg int8, o out) (State, out) {
	s.Busy, s.WritingBack, s.Got, s.Replies = true, false, 0, [MaxReplicas]Stamp{}
	var m Msg
	switch {
	case s.Role == Writer && p.multiWriter():
		o = append(o, spec.Emit(Msg{Kind: WriteStart, Val: arg}))
		if p.mutant == localCounters {
			return p.startWrite(s, s.Counter+1, arg, o)
		}
		// Multi-writer ABD (course 7.2): first ask a read quorum for the
		// newest timestamp.
		s.Querying, s.OpTS, s.OpWr, s.OpVal = true, 0, 0, arg
		m = Msg{Kind: Query, Val: arg}
	case s.Role == Writer:
		return p.startWrite(s, s.Counter+1, arg, o)
	default:
		s.OpID, s.OpTS, s.OpWr, s.OpVal = arg, 0, 0, 0
		m = Msg{Kind: Read, ID: arg}
		o = append(o, spec.Emit(Msg{Kind: ReadStart, ID: arg}))
	}
	for i := range p.p.N {
		o = append(o, spec.SendTo(spec.NodeID(i), m))
	}
	return s, o
}

// startWrite sends Write((counter, Self), v) to every replica.
func (p *Protocol) startWrite(s State, counter, v int8, o out) (State, out) {
	s.Querying, s.Got = false, 0
	s.Counter = counter
	s.OpTS, s.OpWr, s.OpVal = counter, s.Self, v
	for i := range p.p.N {
		o = append(o, spec.SendTo(spec.NodeID(i), Msg{Kind: Write, TS: s.OpTS, Wr: s.OpWr, Val: v}))
	}
	return s, o
}

// writerQueryReply collects a replica's timestamp for the current write's
// query; at R answers from distinct replicas the writer writes with the
// next counter after the newest, its own number breaking ties.
func (p *Protocol) writerQueryReply(s State, from spec.NodeID, m Msg) (State, out) {
	if int(from) >= p.p.N {
		return s, nil
	}
	bit := uint8(1) << from
	if !s.Querying || m.Val != s.OpVal || s.Got&bit != 0 {
		return s, nil
	}
	if m.stamp().After(s.op()) {
		s.OpTS, s.OpWr = m.TS, m.Wr
	}
	s.Got |= bit
	if bits.OnesCount8(s.Got) < p.p.R {
		return s, nil
	}
	return p.startWrite(s, s.OpTS+1, s.OpVal, nil)
}

// finish ends the client's operation and starts the next queued one.
func (p *Protocol) finish(s State, o out) (State, out) {
	s.Busy, s.WritingBack, s.Querying, s.Got, s.Replies = false, false, false, 0, [MaxReplicas]Stamp{}
	s.OpID, s.OpTS, s.OpWr, s.OpVal = 0, 0, 0, 0
	if s.Queued == 0 {
		return s, o
	}
	next := s.Queue[0]
	copy(s.Queue[:], s.Queue[1:])
	s.Queued--
	s.Queue[s.Queued] = 0
	return p.begin(s, next, o)
}

// writerAck counts an acknowledgement of the current write from a distinct
// replica; at W of them the write is done.
func (p *Protocol) writerAck(s State, from spec.NodeID, ts Stamp) (State, out) {
	if int(from) >= p.p.N {
		return s, nil
	}
	bit := uint8(1) << from
	if !s.Busy || s.Querying || ts != s.op() || s.Got&bit != 0 {
		return s, nil
	}
	s.Got |= bit
	if bits.OnesCount8(s.Got) < p.p.W {
		return s, nil
	}
	done := Msg{Kind: WriteDone, TS: s.OpTS, Wr: s.OpWr, Val: s.OpVal}
	return p.finish(s, out{spec.Emit(done)})
}

// readerReply collects a reply to the current read; at R replies from
// distinct replicas the read has its value, the newest reply. Without
// write-back the read returns it at once and repairs the replicas that
// answered with an older one; a late reply to the last read that is older
// than its result is repaired too. With write-back the reader first writes
// the value back (writeBack); replies that arrive meanwhile are not needed.
func (p *Protocol) readerReply(s State, from spec.NodeID, m Msg) (State, out) {
	if int(from) >= p.p.N {
		return s, nil
	}
	bit := uint8(1) << from
	if !s.Busy || s.WritingBack || m.ID != s.OpID {
		if s.LastID != 0 && m.ID == s.LastID && s.last().After(m.stamp()) {
			return s, out{spec.SendTo(from, Msg{Kind: Repair, TS: s.LastTS, Wr: s.LastWr, Val: s.LastVal})}
		}
		return s, nil
	}
	if s.Got&bit != 0 {
		return s, nil
	}
	if s.Got == 0 || p.prefer(m.stamp(), s.op()) {
		s.OpTS, s.OpWr, s.OpVal = m.TS, m.Wr, m.Val
	}
	s.Got |= bit
	s.Replies[from] = m.stamp()
	if bits.OnesCount8(s.Got) < p.p.R {
		return s, nil
	}
	if p.p.WriteBack {
		return p.writeBack(s)
	}
	o := out{spec.Emit(p.readDone(s))}
	for i := range p.p.N {
		if s.Got&(1<<i) != 0 && s.op().After(s.Replies[i]) {
			o = append(o, spec.SendTo(spec.NodeID(i), Msg{Kind: Repair, TS: s.OpTS, Wr: s.OpWr, Val: s.OpVal}))
		}
	}
	s.LastID, s.LastTS, s.LastWr, s.LastVal = s.OpID, s.OpTS, s.OpWr, s.OpVal
	return p.finish(s, o)
}

// writeBack starts the second phase of an ABD read (course 7.2): the value
// the read will return goes, with its original timestamp, to every
// replica, and the read returns only once a write quorum holds it, so no
// later read can return an older one.
func (p *Protocol) writeBack(s State) (State, out) {
	var holds uint8
	for i := range p.p.N {
		if s.Got&(1<<i) != 0 && s.Replies[i] == s.op() {
			holds |= 1 << i
		}
	}
	if bits.OnesCount8(holds) >= p.p.W {
		return p.finish(s, out{spec.Emit(p.readDone(s))})
	}
	s.WritingBack, s.Got, s.Replies = true, holds, [MaxReplicas]Stamp{}
	var o out
	for i := range p.p.N {
		if holds&(1<<i) == 0 {
			o = append(o, spec.SendTo(spec.NodeID(i), Msg{Kind: WriteBack, TS: s.OpTS, Wr: s.OpWr, Val: s.OpVal}))
		}
	}
	return s, o
}

// readerAck counts an acknowledgement of the reader's write-back from a
// distinct replica; at W of them the read returns its value. A replica
// acknowledges a timestamp only once it holds that one or a newer one, so
// an acknowledgement of an earlier write-back of the same timestamp
// counts as well.
func (p *Protocol) readerAck(s State, from spec.NodeID, ts Stamp) (State, out) {
	if int(from) >= p.p.N {
		return s, nil
	}
	bit := uint8(1) << from
	if !s.WritingBack || ts != s.op() || s.Got&bit != 0 {
		return s, nil
	}
	s.Got |= bit
	if bits.OnesCount8(s.Got) < p.p.W {
		return s, nil
	}
	return p.finish(s, out{spec.Emit(p.readDone(s))})
}

// readDone is the observation that the reader's current read returns its
// newest value.
func (p *Protocol) readDone(s State) Msg {
	return Msg{Kind: ReadDone, ID: s.OpID, TS: s.OpTS, Wr: s.OpWr, Val: s.OpVal}
}

// prefer reports whether a reply with timestamp ts replaces the best so far:
// the newest one, or the oldest under read-lowest.
func (p *Protocol) prefer(ts, best Stamp) bool {
	if p.mutant == readLowest {
		return best.After(ts)
	}
	return ts.After(best)
}
