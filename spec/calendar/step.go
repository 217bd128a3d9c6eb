package calendar

import "github.com/distsys/distsys/spec"

type out = []spec.Output[Msg]

// Step applies one input to a replica: an edit the application requests,
// or an update delivered from a peer. It takes s by value (its arrays are
// copied with it), so the caller's state is untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch {
	case in.Kind == spec.Request && in.Msg.Kind == EditReq:
		return pr.edit(s, in.Msg.Field)
	case in.Kind == spec.Receive && in.Msg.Kind == Update:
		return pr.deliver(s, in.Msg), nil
	}
	return s, nil
}

// edit applies the replica's next edit locally, acknowledges it and
// broadcasts it: the Lamport clock ticks, and (clock, node) is the edit's
// unique timestamp and the value it writes. A request beyond the
// replica's Params.Edits is ignored (the workload issues none), so edit
// ids stay within Applied.
func (pr *Protocol) edit(s State, field uint8) (State, out) {
	if int(s.Made) >= pr.p.Edits[s.Me] || int(field) >= pr.p.Fields {
		return s, nil
	}
	s.Clock++
	t := Stamp{C: s.Clock, Node: uint8(s.Me)}
	id := EditID(s.Me, int(s.Made))
	s.Mine[s.Made] = Edit{Field: field, Stamp: t}
	s.Made++
	s.Applied |= 1 << id
	s.Fields[field] = t
	if pr.p.LWW == WholeEntry {
		s.Entry = t
	}
	u := Msg{Kind: Update, Field: field, Stamp: t, ID: uint8(id)}
	if pr.p.LWW == WholeEntry {
		u.Fields = s.Fields
	}
	outs := out{spec.Emit(Msg{Kind: Acked, Field: field, Stamp: t})}
	for i := range pr.p.Nodes {
		if spec.NodeID(i) != s.Me {
			outs = append(outs, spec.SendTo(spec.NodeID(i), u))
		}
	}
	return s, outs
}

// deliver applies a peer's update: the clock moves past its timestamp,
// and the update replaces what it covers (the field, or the whole entry)
// iff that is absent or older. Delivering it again changes nothing.
func (pr *Protocol) deliver(s State, u Msg) State {
	s.Clock = max(s.Clock, u.Stamp.C)
	s.Applied |= 1 << u.ID
	switch pr.p.LWW {
	case PerField:
		if pr.older(s.Fields[u.Field], u.Stamp) {
			s.Fields[u.Field] = u.Stamp
		}
	case WholeEntry:
		if pr.older(s.Entry, u.Stamp) {
			s.Entry, s.Fields = u.Stamp, u.Fields
		}
	}
	return s
}

// older reports that the existing timestamp is older than the incoming
// one, so that the incoming update replaces it. The mutants compare
// counters only: of two edits with one counter, under no-tiebreak each
// replica keeps the one it has, under replace-on-tie the one it got last.
func (pr *Protocol) older(have, incoming Stamp) bool {
	switch pr.mu {
	case noTiebreak:
		return have.C < incoming.C
	case replaceOnTie:
		return have.C <= incoming.C
	}
	return have.Less(incoming)
}
