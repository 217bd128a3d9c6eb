package crdt

import "github.com/distsys/distsys/spec"

type out = []spec.Output[Msg]

// Step applies one input to a replica: an update the application
// requests, applied locally and then sent, as the whole new state, to
// every peer (best-effort broadcast: a lost state is not resent); or a
// peer's state, merged into the replica's. It takes s by value (its
// arrays are copied with it), so the caller's state is untouched.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Request:
		return pr.update(s, in.Msg)
	case spec.Receive:
		if in.Msg.Kind == StateMsg {
			return pr.receive(s, in.Msg.V), nil
		}
	}
	return s, nil
}

// update makes the replica's next update. A request beyond its
// Params.Updates, or not of its type, is ignored.
func (pr *Protocol) update(s State, m Msg) (State, out) {
	if int(s.Made) >= pr.p.Updates[s.Me] {
		return s, nil
	}
	me := s.Me
	switch {
	case pr.p.Type == LWWMap && m.Kind == SetReq && int(m.Key) < pr.p.Keys:
		s.Clock++
		t := Stamp{C: s.Clock, Node: uint8(me)}
		s.V.Map[m.Key] = t
		s.Sets[s.Made] = Set{Key: m.Key, Stamp: t}
	case pr.p.Type != LWWMap && m.Kind == IncReq:
		s.V.P[me]++
		s.Incs++
	case pr.p.Type == PNCounter && m.Kind == DecReq:
		s.V.N[me]++
		s.Decs++
	case pr.p.Type == ORSet && (m.Kind == AddReq || m.Kind == RemoveReq) && int(m.Key) < pr.p.Keys:
		s = pr.orUpdate(s, m)
	default:
		return s, nil
	}
	s.Made++
	var outs out
	for i := range pr.p.Nodes {
		if spec.NodeID(i) != me {
			outs = append(outs, spec.SendTo(spec.NodeID(i), Msg{Kind: StateMsg, V: s.V}))
		}
	}
	return s, outs
}

// receive merges a peer's state; the Lamport clock moves past every
// timestamp in it.
func (pr *Protocol) receive(s State, v Value) State {
	s.V = pr.Merge(s.V, v)
	for _, e := range v.Map {
		s.Clock = max(s.Clock, e.C)
	}
	return s
}

// orUpdate makes an OR-set update of element m.Key. An add tags the
// element with the replica's next tag; a remove tombstones the tags of
// the element the replica holds (those it observed), so an add it has not
// seen survives it. The remove-all-tags mutant tombstones every tag of
// the element, seen or not.
func (pr *Protocol) orUpdate(s State, m Msg) State {
	t := Tag(s.Me, int(s.Made))
	u := Set{Key: m.Key, Stamp: Stamp{C: 1, Node: uint8(s.Me)}}
	if m.Kind == AddReq {
		s.V.Tags[m.Key] |= 1 << t
		u.Observed = 1 << t
	} else {
		u.Stamp.C = 2
		u.Observed = s.V.Tags[m.Key]
		s.V.Tombs[m.Key] |= u.Observed
		if pr.mu == removeAllTags {
			s.V.Tombs[m.Key] = allTags
		}
	}
	s.V.Seen |= 1 << t
	s.Sets[s.Made] = u
	return s
}
