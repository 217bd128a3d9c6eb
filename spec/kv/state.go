package kv

import (
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
			s, _ = p.applyEntry(s, int8(e.Val))
		}
	case spec.Request:
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
			s, more = p.applyEntry(s, int8(ro.Msg.Val))
			o = append(o, more...)
		case ro.Kind == spec.Observe && ro.Msg.Kind == raft.Installed:
			// A leader's snapshot replaces the store.
			s = restore(s, ro.Msg.Snap.Data)
			s, o = answerInstalled(s, o)
		}
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
	return p.raft.AppendState(b, s.Raft)
}

// FormatState describes s on one line.
func (p *Protocol) FormatState(s State) string {
	return fmt.Sprintf("%s; store k0=%d k1=%d", p.raft.FormatState(s.Raft), s.Store[0], s.Store[1])
}
