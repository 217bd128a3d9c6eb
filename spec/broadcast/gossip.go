package broadcast

import "github.com/distsys/distsys/spec"

// Gossip (course 4.3): a node that broadcasts a message, or receives it for
// the first time, delivers it and then forwards it to Params.Fanout
// distinct peers other than itself, which it picks at random. Randomness
// is not ours to draw: each forward is a nondeterministic choice (a
// Forward offered by Choices, made by Choose), so the checker tries every
// pick and the runtime draws one from its seeded source. A node forgets
// nothing it has received, so a second copy is ignored.
//
// Guarantees: no duplication and no creation, nothing more. Delivery is
// only probabilistic — with every pick tried, some picks leave a node out
// (two nodes forwarding to each other while a third waits), so validity
// and agreement fail even on a reliable network with no crash.
//
// Choices offers every forward still to make: each peer not chosen yet, for
// each message with forwards left. Offering only the lowest such message
// would be smaller (111,396 states instead of 134,072 for the default three
// nodes with sends (2,1), 129,978 instead of 229,429 for sends (1,1) with
// Fanout 2), and on an unordered network without crashes it would keep the
// verdict of every property that reads only what nodes deliver: a forward
// depends only on the node's state, stays enabled until made and observes
// nothing, so a forward of a lower message can always be made earlier (or,
// if never made, be made anyway), its Data waiting in the network. But it
// is not sound in general, and costs what a checker is for: on FIFO links
// the earlier Data may overtake another on its link; a node that crashes
// between picks could only have made them in message order; moving a send
// earlier drops happens-before edges, which can hide a causal-order
// violation; and forcing the lower forwards first lengthens counterexamples
// (fifo-order breaks in 5 steps instead of 4, because the shortest one
// forwards m0.2 before m0.1). So every pick is offered, in every order.

func init() {
	register(Gossip, handlers{
		broadcast: gossipBroadcast, receive: gossipReceive,
		choices: gossipChoices, choose: gossipChoose,
	})
}

// gossipBroadcast delivers the node's message and leaves Fanout forwards
// of it to choose.
func gossipBroadcast(p *Protocol, s State, seq int8) (State, out) {
	return p.gossipAccept(s, s.ID, seq)
}

// gossipReceive delivers Data received for the first time and leaves
// Fanout forwards of it to choose; a copy is ignored.
func gossipReceive(p *Protocol, s State, from int8, m Msg) (State, out) {
	if m.Kind != Data || received(s, m.Origin, m.Seq) {
		return s, nil
	}
	return p.gossipAccept(s, m.Origin, m.Seq)
}

func (p *Protocol) gossipAccept(s State, origin, seq int8) (State, out) {
	m := id(origin, seq)
	s.Received |= 1 << m
	s.Left[m] = int8(p.p.Fanout)
	return p.deliver(s, origin, seq)
}

// gossipChoices offers a Forward to every peer not chosen yet, for every
// message with forwards left, lowest message and peer first.
func gossipChoices(p *Protocol, s State) []Msg {
	var c []Msg
	for m := range MaxPerNode * p.p.N {
		if s.Left[m] == 0 {
			continue
		}
		origin, seq := int8(m/MaxPerNode), int8(m%MaxPerNode+1)
		for j := range int8(p.p.N) {
			if j != s.ID && s.Chosen[m]&(1<<j) == 0 {
				c = append(c, Msg{Kind: Forward, Origin: origin, Seq: seq, Peer: j})
			}
		}
	}
	return c
}

// gossipChoose forwards a message to the chosen peer. A choice that was
// not offered (a runtime bug) changes nothing.
func gossipChoose(p *Protocol, s State, c Msg) (State, out) {
	if c.Kind != Forward || c.Peer < 0 || int(c.Peer) >= p.p.N || c.Peer == s.ID ||
		c.Origin < 0 || int(c.Origin) >= p.p.N || c.Seq < 1 || c.Seq > MaxPerNode {
		return s, nil
	}
	m := c.ID()
	if s.Left[m] == 0 || s.Chosen[m]&(1<<c.Peer) != 0 {
		return s, nil
	}
	s.Chosen[m] |= 1 << c.Peer
	s.Left[m]--
	return s, out{spec.SendTo(spec.NodeID(c.Peer), Msg{Kind: Data, Origin: c.Origin, Seq: c.Seq})}
}
