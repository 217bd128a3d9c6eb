package ot

import "github.com/distsys/distsys/spec"

// Step applies one input: at a client, an edit the application requests
// or an edit the server sequenced; at the server, a client's edit. It
// takes s by value (its arrays are copied with it, its strings are
// immutable), so the caller's state is untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch {
	case in.Kind == spec.Request && in.Msg.Kind == EditReq && s.Me != Server:
		return pr.edit(s, in.Msg.Op)
	case in.Kind == spec.Receive && in.Msg.Kind == Submit && s.Me == Server:
		return pr.sequence(s, in.Msg)
	case in.Kind == spec.Receive && in.Msg.Kind == Sequenced && s.Me != Server:
		return pr.receive(s, in.Msg)
	}
	return s, nil
}

// edit applies the client's next edit at once and sends it to the
// server, unless an earlier edit is still unsequenced: then it waits in
// the buffer. An index past the text is clamped to its end; a delete of
// an empty text, or a request beyond the client's Params.Edits, is
// ignored.
func (pr *Protocol) edit(s State, op Op) (State, []spec.Output[Msg]) {
	if int(s.Made) >= pr.p.Edits[s.Me-1] || op.Kind == Del && len(s.Text) == 0 {
		return s, nil
	}
	op.Pos = min(op.Pos, uint8(len(s.Text)))
	if op.Kind == Del {
		op.Pos = min(op.Pos, uint8(len(s.Text)-1))
		op.Letter = 0
	}
	op.Author, op.ID = uint8(s.Me), OpID(s.Me, int(s.Made))
	s.Mine[s.Made] = seen(s.IDs, op)
	s.Made++
	s = applyHere(s, op)
	var out spec.Out[Msg]
	out.Observe(Msg{Kind: Edited, Op: op})
	if s.HasSent {
		s.Buffer[s.Buffered] = op
		s.Buffered++
		return s, out
	}
	s.Sent, s.HasSent = op, true
	out.Send(Server, Msg{Kind: Submit, Op: op, Rev: s.Rev})
	return s, out
}

// seen records what op's author saw: an insert's neighbours, or the
// character a delete removes.
func seen(ids string, op Op) Edit {
	e := Edit{ID: op.ID, Kind: op.Kind, Left: Edge, Right: Edge}
	switch {
	case op.Kind == Del:
		e.Left = ids[op.Pos]
	default:
		if op.Pos > 0 {
			e.Left = ids[op.Pos-1]
		}
		if int(op.Pos) < len(ids) {
			e.Right = ids[op.Pos]
		}
	}
	return e
}

// sequence takes a client's edit, made on revision m.Rev: it transforms
// it against every edit sequenced since (all by other clients, since a
// client sends its next edit only once the last is sequenced), applies
// it, and sends it to every client as the next revision. A copy of an
// edit already sequenced is ignored.
func (pr *Protocol) sequence(s State, m Msg) (State, []spec.Output[Msg]) {
	c := m.Op.Author - 1
	if int(c) >= pr.p.Clients || m.Op.ID != OpID(spec.NodeID(m.Op.Author), int(s.Next[c])) || m.Rev > s.Rev {
		return s, nil
	}
	op := m.Op
	if m.Rev < s.Rev {
		s.Concurrent = true
	}
	for _, done := range s.Log[m.Rev:s.Rev] {
		op = pr.shift(&s, op, done)
	}
	s = applyHere(s, op)
	s.Log[s.Rev] = op
	s.Next[c]++
	var out spec.Out[Msg]
	out.SendAll(pr.Nodes(), Msg{Kind: Sequenced, Op: op, Rev: s.Rev}, Server)
	s.Rev++
	return s, out
}

// receive takes revision m.Rev from the server, in revision order: one
// that comes early is held until the revisions before it arrived, a copy
// of one taken already is ignored.
func (pr *Protocol) receive(s State, m Msg) (State, []spec.Output[Msg]) {
	bit := uint8(1) << m.Rev
	if m.Rev < s.Rev || s.Held&bit != 0 || int(m.Rev) >= maxOps {
		return s, nil
	}
	if m.Rev > s.Rev {
		s.Held |= bit
		s.Ahead[m.Rev] = m.Op
		return s, nil
	}
	var out spec.Out[Msg]
	s = pr.take(s, m.Op, &out)
	for s.Held>>s.Rev&1 == 1 {
		r := s.Rev
		s.Held &^= 1 << r
		op := s.Ahead[r]
		s.Ahead[r] = Op{}
		s = pr.take(s, op, &out)
	}
	return s, out
}

// take applies the next revision. The client's own edit is its
// acknowledgement: the first buffered edit, if any, goes to the server
// now. Another client's edit was sequenced before the client's
// unsequenced ones: it is transformed against them (and they against
// it) and then applied.
func (pr *Protocol) take(s State, op Op, out *spec.Out[Msg]) State {
	s.Rev++
	if op.Author == uint8(s.Me) {
		s.HasSent = false
		if s.Buffered > 0 {
			s.Sent, s.HasSent = s.Buffer[0], true
			copy(s.Buffer[:], s.Buffer[1:s.Buffered])
			s.Buffered--
			s.Buffer[s.Buffered] = Op{}
			out.Send(Server, Msg{Kind: Submit, Op: s.Sent, Rev: s.Rev})
		}
		return s
	}
	if s.HasSent {
		s.Concurrent = true
		op, s.Sent = pr.shift(&s, op, s.Sent), pr.shift(&s, s.Sent, op)
	}
	for i := range s.Buffer[:s.Buffered] {
		op, s.Buffer[i] = pr.shift(&s, op, s.Buffer[i]), pr.shift(&s, s.Buffer[i], op)
	}
	return applyHere(s, op)
}

// shift transforms in against c, noting in s when that changes it.
func (pr *Protocol) shift(s *State, in, c Op) Op {
	out := transform(in, c, pr.mu)
	if out != in {
		s.Shifted = true
	}
	return out
}

// applyHere applies op to the text and its IDs.
func applyHere(s State, op Op) State {
	s.Text = Apply(s.Text, op)
	id := op
	id.Letter = op.ID
	s.IDs = Apply(s.IDs, id)
	if op.ID >= firstOpID {
		s.Applied |= 1 << (op.ID - firstOpID)
	}
	return s
}
