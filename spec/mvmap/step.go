package mvmap

import "github.com/distsys/distsys/spec"

type out = []spec.Output[Msg]

// Step applies one input to a replica: a set the application requests,
// or an update delivered from a peer. It takes s by value (its arrays are
// copied with it), so the caller's state is untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch {
	case in.Kind == spec.Request && in.Msg.Kind == SetReq:
		return pr.set(s, in.Msg.Key)
	case in.Kind == spec.Receive && in.Msg.Kind == Update:
		return pr.receive(s, in.Msg), nil
	}
	return s, nil
}

// set applies the replica's next set locally, acknowledges it and
// broadcasts it: the new value replaces every value the key holds here,
// and the update names them (Over) and the sets applied here before it
// (Deps). A request beyond the replica's Params.Edits is ignored (the
// workload issues none), so IDs stay within the masks.
func (pr *Protocol) set(s State, key uint8) (State, out) {
	if int(s.Made) >= pr.p.Edits[s.Me] || int(key) >= pr.p.Keys {
		return s, nil
	}
	id := ID(s.Me, int(s.Made))
	u := Msg{Kind: Update, Key: key, ID: id, Over: s.Vals[key], Deps: s.Applied}
	s.Mine[s.Made] = Set{Key: key, ID: id, Over: u.Over}
	s.Made++
	s = pr.apply(s, u)
	outs := out{spec.Emit(Msg{Kind: Acked, Key: key, ID: id, Over: u.Over})}
	for i := range pr.p.Nodes {
		if spec.NodeID(i) != s.Me {
			outs = append(outs, spec.SendTo(spec.NodeID(i), u))
		}
	}
	return s, outs
}

// receive takes a peer's update. Under causal delivery it is held back
// until every set in its Deps is applied here, and applying it may
// release held updates in turn; under reliable delivery it is applied at
// once. An update applied or held already changes nothing.
func (pr *Protocol) receive(s State, u Msg) State {
	bit := uint8(1) << u.ID
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

// apply adds u's value to its key and removes the values u overwrote.
// The drop-unseen mutant removes every value the key holds, seen by the
// writer or not.
func (pr *Protocol) apply(s State, u Msg) State {
	over := u.Over
	if pr.mu == dropUnseen {
		over = s.Vals[u.Key]
	}
	s.Vals[u.Key] = s.Vals[u.Key]&^over | 1<<u.ID
	s.Applied |= 1 << u.ID
	return s
}
