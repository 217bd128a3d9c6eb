package textcrdt

import "github.com/distsys/distsys/spec"

// Step applies one input to a replica: an insert or delete the user
// requests, or an update delivered from a peer. It takes s by value (its
// arrays are copied with it), so the caller's state is untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch {
	case in.Kind == spec.Request && in.Msg.Kind == InsertReq:
		return pr.typeChar(s, in.Msg)
	case in.Kind == spec.Request && in.Msg.Kind == DeleteReq:
		return pr.deleteChar(s, in.Msg)
	case in.Kind == spec.Receive && (in.Msg.Kind == Insert || in.Msg.Kind == Delete):
		return pr.receive(s, in.Msg), nil
	}
	return s, nil
}

// neighbour is the ID of the character at index i, or none past either
// end.
func neighbour(s State, i int) uint8 {
	if i < 0 || i >= int(s.Len) {
		return none
	}
	return s.Text[i]
}

// posOf is character id's position, a sentinel's for none.
func posOf(s State, id uint8, sentinel Pos) Pos {
	if id == none {
		return sentinel
	}
	return s.Pos[id]
}

// full reports that the replica made every update its parameters allow
// (the workload asks for none more), so IDs stay within the masks.
func (pr *Protocol) full(s State) bool {
	return int(s.Made) >= pr.p.Inserts[s.Me]+pr.p.Deletes[s.Me]
}

// typeChar inserts a character at the requested index (the end if past
// it): its position is the midpoint of its neighbours' (the sentinels'
// at the ends). It is applied here at once, observed, and broadcast.
func (pr *Protocol) typeChar(s State, req Msg) (State, []spec.Output[Msg]) {
	if pr.full(s) {
		return s, nil
	}
	at := min(int(req.Index), int(s.Len))
	left, right := neighbour(s, at-1), neighbour(s, at)
	u := Msg{Kind: Insert, ID: ID(s.Me, int(s.Made)), Char: req.Char % uint8(pr.p.Letters), Deps: s.Applied}
	u.P = Mid(posOf(s, left, Start), posOf(s, right, End), pr.p.Bits)
	s.Mine[s.Made] = Op{Kind: Insert, ID: u.ID, Char: u.Char, Left: left, Right: right, Target: none, Deps: u.Deps}
	return pr.issue(s, u)
}

// deleteChar deletes the character at the requested index (the last if
// past it; nothing in an empty text): the update names its position and
// its writer.
func (pr *Protocol) deleteChar(s State, req Msg) (State, []spec.Output[Msg]) {
	if pr.full(s) || s.Len == 0 {
		return s, nil
	}
	target := s.Text[min(int(req.Index), int(s.Len)-1)]
	u := Msg{Kind: Delete, ID: ID(s.Me, int(s.Made)), Target: target, P: s.Pos[target], Deps: s.Applied}
	s.Mine[s.Made] = Op{Kind: Delete, ID: u.ID, Left: none, Right: none, Target: target, Deps: u.Deps}
	return pr.issue(s, u)
}

// issue applies the replica's own update u, observes it and broadcasts it.
func (pr *Protocol) issue(s State, u Msg) (State, []spec.Output[Msg]) {
	s.Made++
	s = pr.apply(s, u)
	var out spec.Out[Msg]
	out.Observe(Msg{Kind: Done, Op: u.Kind, ID: u.ID, Char: u.Char, Target: u.Target, P: u.P})
	out.SendAll(pr.p.Nodes, u, s.Me)
	return s, out
}

// receive takes a peer's update. Under causal delivery it is held back
// until every update in its Deps is applied here, and applying it may
// release held updates in turn; under reliable delivery it is applied at
// once. An update applied or held already changes nothing.
func (pr *Protocol) receive(s State, u Msg) State {
	bit := uint16(1) << u.ID
	if (s.Applied|s.Held)&bit != 0 {
		return s
	}
	if pr.p.Delivery == Causal && u.Deps&^s.Applied != 0 {
		s.Held |= bit
		s.Pending[u.ID] = u
		return s
	}
	s = pr.apply(s, u)
	for released := true; released; {
		released = false
		for id := range uint8(maxIDs) {
			if h := s.Pending[id]; s.Held>>id&1 == 1 && h.Deps&^s.Applied == 0 {
				s.Held &^= 1 << id
				s.Pending[id] = Msg{}
				s = pr.apply(s, h)
				released = true
			}
		}
	}
	return s
}

// before reports that character a goes before b: by position, and
// between equal positions by writer (the tie-break). Equal keys keep
// their order of arrival (only bounded positions make them).
func (pr *Protocol) before(s State, a, b uint8) bool {
	if c := s.Pos[a].Cmp(s.Pos[b]); c != 0 || pr.mu == noTiebreak {
		return c < 0
	}
	return NodeOf(a) < NodeOf(b)
}

// apply applies update u. An insert puts its character after every
// character that does not go after it; a delete removes the first
// character with its position and writer, if any (a delete of a
// character not here removes nothing).
func (pr *Protocol) apply(s State, u Msg) State {
	s.Applied |= 1 << u.ID
	if u.Kind == Insert {
		s.Pos[u.ID], s.Char[u.ID] = u.P, u.Char
		at := int(s.Len)
		for i, id := range s.Text[:s.Len] {
			if pr.before(s, u.ID, id) {
				at = i
				break
			}
		}
		copy(s.Text[at+1:s.Len+1], s.Text[at:s.Len])
		s.Text[at] = u.ID
		s.Len++
		return s
	}
	for i, id := range s.Text[:s.Len] {
		if s.Pos[id] == u.P && NodeOf(id) == NodeOf(u.Target) {
			copy(s.Text[i:], s.Text[i+1:s.Len])
			s.Len--
			s.Text[s.Len] = 0
			return s
		}
	}
	return s
}
