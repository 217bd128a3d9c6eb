package kv

import (
	"encoding/binary"
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// State is a Raft node plus the store it feeds. The store, the applied
// set and the cached results are rebuilt from the committed log on
// recovery; Owes, the replies this node still owes its clients, is lost
// with a crash (the clients time out and retry).
type State struct {
	Raft    raft.State
	Store   Store
	Applied uint8            // operations applied, by ID
	Results [MaxOps + 1]int8 // each applied operation's result
	Owes    uint8            // operations whose reply this node owes
	// Run-time commands (Command): the map and dedup table they update,
	// and the commands whose reply this node owes (volatile, like Owes).
	Table   Table
	Waiting []Command
}

// Init returns node id's initial state.
func (p *Protocol) Init(id spec.NodeID) State { return State{Raft: p.raft.Init(id)} }

// Crash keeps Raft's persisted part; the store is derived from the log.
func (p *Protocol) Crash(s State) State { return State{Raft: p.raft.Crash(s.Raft)} }

// Step runs the Raft node and applies what it delivers.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	var o []spec.Output[Msg]
	rin := spec.Input[raft.Msg]{Kind: in.Kind, From: in.From, Msg: in.Msg.Raft, Timer: in.Timer}
	switch in.Kind {
	case spec.Recover:
		// Rebuild the store from the snapshot, then the committed entries
		// after it, silently: these operations took effect before the
		// crash.
		r := s.Raft
		s = restore(s, r.Snap.Data)
		for _, e := range r.Log.Slice(0, int(r.Commit-r.Snap.Index)).All() {
			s, _ = p.applyLogEntry(s, e)
		}
	case spec.Request:
		if in.Msg.Cmd != "" {
			c, ok := DecodeCommand(in.Msg.Cmd)
			if !ok {
				return s, nil // not a command: nothing to do
			}
			s.Waiting = append(s.Waiting[:len(s.Waiting):len(s.Waiting)], c)
			o = append(o, spec.Emit(Msg{KV: Invoked, Cmd: in.Msg.Cmd}))
			rin.Msg = raft.Msg{Kind: raft.ClientRequest, Cmd: in.Msg.Cmd}
			break
		}
		op := p.byID[in.Msg.ID]
		s.Owes |= 1 << op.ID
		o = append(o, observe(Invoked, op.ID, 0))
		if op.Kind == Get && p.mutant == localRead {
			// The mutant answers reads from the local store, without the
			// log: a stale replica answers stale.
			_, v := apply(s.Store, op)
			s.Owes &^= 1 << op.ID
			return s, append(o, observe(Replied, op.ID, v))
		}
		rin.Msg = raft.Msg{Kind: raft.ClientRequest, Val: int32(op.ID)}
	}
	rs, routs := p.raft.Step(s.Raft, rin)
	s.Raft = rs
	for _, ro := range routs {
		o = append(o, wrap([]spec.Output[raft.Msg]{ro})...)
		switch {
		case ro.Kind == spec.Observe && ro.Msg.Kind == raft.Delivered:
			var more []spec.Output[Msg]
			s, more = p.applyLogEntry(s, raft.Entry{Val: ro.Msg.Val, Cmd: ro.Msg.Cmd})
			o = append(o, more...)
		case ro.Kind == spec.Observe && ro.Msg.Kind == raft.Installed:
			// A leader's snapshot replaces the store.
			if ro.Msg.Snap != nil {
				s = restore(s, ro.Msg.Snap.Data)
			}
			s, o = answerInstalled(s, o)
		}
	}
	return s, o
}

// applyLogEntry applies a delivered entry: a run-time command, or a
// scenario's operation id.
func (p *Protocol) applyLogEntry(s State, e raft.Entry) (State, []spec.Output[Msg]) {
	if e.Cmd != "" {
		return applyCommand(s, e.Cmd)
	}
	return p.applyEntry(s, int8(e.Val))
}

// applyCommand applies a run-time command unless the dedup table holds
// it, and replies if this node owes the reply.
func applyCommand(s State, cmd string) (State, []spec.Output[Msg]) {
	c, ok := DecodeCommand(cmd)
	if !ok {
		return s, nil
	}
	var o []spec.Output[Msg]
	t, r, dup := s.Table.apply(c)
	s.Table = t
	if dup {
		o = append(o, spec.Emit(Msg{KV: Deduplicated, Cmd: cmd}))
	} else {
		o = append(o, spec.Emit(Msg{KV: Applied, Cmd: cmd, Value: r}))
	}
	return answerWaiting(s, o)
}

// answerWaiting replies to the commands this node owes that its dedup
// table shows applied, with the result recorded.
func answerWaiting(s State, o []spec.Output[Msg]) (State, []spec.Output[Msg]) {
	var keep []Command
	for _, c := range s.Waiting {
		if sess, ok := s.Table.Sessions[c.Client]; ok && sess.Seq >= c.Seq {
			if sess.Seq == c.Seq {
				o = append(o, spec.Emit(Msg{KV: Replied, Cmd: c.Encode(), Value: sess.Result}))
			}
			continue
		}
		keep = append(keep, c)
	}
	if len(keep) != len(s.Waiting) {
		s.Waiting = keep
	}
	return s, o
}

// applyEntry applies operation id, delivered by the log, unless it was
// applied before (a retried request: deduplicated by its id), and replies
// if this node owes the reply.
func (p *Protocol) applyEntry(s State, id int8) (State, []spec.Output[Msg]) {
	var o []spec.Output[Msg]
	if s.Applied&(1<<id) != 0 && p.mutant != noDedup {
		o = append(o, observe(Deduplicated, id, 0))
	} else {
		var r int8
		s.Store, r = apply(s.Store, p.byID[id])
		s.Applied |= 1 << id
		s.Results[id] = r
		o = append(o, observe(Applied, id, r))
	}
	if s.Owes&(1<<id) != 0 {
		s.Owes &^= 1 << id
		o = append(o, observe(Replied, id, s.Results[id]))
	}
	return s, o
}

// AppendState appends s's canonical encoding.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Store[0]), byte(s.Store[1]), s.Applied, s.Owes)
	for _, r := range s.Results {
		b = append(b, byte(r))
	}
	b = p.raft.AppendState(b, s.Raft)
	b = appendTable(b, s.Table)
	b = binary.AppendUvarint(b, uint64(len(s.Waiting)))
	for _, c := range s.Waiting {
		b = append(b, c.Encode()...)
	}
	return b
}

// FormatState describes s on one line.
func (p *Protocol) FormatState(s State) string {
	if !s.Table.empty() {
		return fmt.Sprintf("%s; store k0=%d k1=%d; %d keys, %d clients", p.raft.FormatState(s.Raft), s.Store[0], s.Store[1], len(s.Table.Keys), len(s.Table.Sessions))
	}
	return fmt.Sprintf("%s; store k0=%d k1=%d", p.raft.FormatState(s.Raft), s.Store[0], s.Store[1])
}
