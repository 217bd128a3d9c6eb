package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
)

// Reference: course 4.3, "gossip: delivery is only probabilistic; check
// safety (no duplicates, no fabrication) only". The checker tries every
// pick of peers, so it finds the unlucky one at once: node 0 forwards to
// node 1, node 1 forwards back to node 0, and node 2 never hears of the
// message — on a reliable network with no crash.
func TestGossipMissesANode(t *testing.T) {
	cfg := tobAssumed(t, broadcast.Gossip, broadcast.LevelSafety)
	res := check(t, params(broadcast.Gossip, 1), cfg)
	expect(t, "gossip, fan-out 1, sends (1)", res, map[string]int{broadcast.PropValidity: 5, broadcast.PropAgreement: 5}, oneSender...)
	expectTrace(t, "gossip, fan-out 1, sends (1)", res, broadcast.PropValidity,
		"request n0 broadcast",
		"choose n0 forward m0.1 to n1",
		"deliver n0→n1 Data(m0.1)",
		"choose n1 forward m0.1 to n0",
		"deliver n1→n0 Data(m0.1)")
	tobStates(t, "gossip, fan-out 1, sends (1)", res, 22)
	// The default workload (134,072 states) runs with -tags long:
	// TestGossipDefaultWorkloadMissesANode.
}

// With a fan-out of n-1 there is nothing left to chance: every node that
// has the message sends it to everyone, as eager broadcast does.
func TestGossipToEveryPeerReachesEveryone(t *testing.T) {
	p := params(broadcast.Gossip, 1)
	p.Fanout = 2
	res := check(t, p, model.Config{})
	expect(t, "gossip, fan-out 2 of 3 nodes", res, nil, oneSender...)
	tobStates(t, "gossip, fan-out 2 of 3 nodes", res, 218)
}

// Choices offers each peer not chosen yet for each message with forwards
// left; a choice spends one forward and sends the message, and nothing is
// offered once every forward is made.
func TestGossipOffersEveryPeerNotChosenYet(t *testing.T) {
	p := params(broadcast.Gossip, 2)
	p.N, p.Fanout = 4, 2
	proto, err := broadcast.New(p)
	if err != nil {
		t.Fatal(err)
	}
	s := proto.Init(0)
	req := spec.Input[msg]{Kind: spec.Request, Msg: msg{Kind: broadcast.Broadcast}}
	s, _ = proto.Step(s, req)
	s, _ = proto.Step(s, req)
	if got := len(proto.Choices(s)); got != 6 {
		t.Fatalf("after two broadcasts: %d choices, want 6 (3 peers × 2 messages)", got)
	}
	fwd := msg{Kind: broadcast.Forward, Origin: 0, Seq: 2, Peer: 3}
	s, outs := proto.Step(s, spec.Input[msg]{Kind: spec.Choose, Msg: fwd})
	if len(outs) != 1 || outs[0].Kind != spec.Send || outs[0].To != 3 || outs[0].Msg.Kind != broadcast.Data || outs[0].Msg.Seq != 2 {
		t.Fatalf("forward m0.2 to n3: outputs %v", outs)
	}
	if got := len(proto.Choices(s)); got != 5 {
		t.Fatalf("after one forward: %d choices, want 5", got)
	}
	if _, again := proto.Step(s, spec.Input[msg]{Kind: spec.Choose, Msg: fwd}); len(again) != 0 {
		t.Errorf("a peer chosen twice: outputs %v", again)
	}
	made := 1
	for c := proto.Choices(s); len(c) > 0 && made < 10; c = proto.Choices(s) {
		s, _ = proto.Step(s, spec.Input[msg]{Kind: spec.Choose, Msg: c[0]})
		made++
	}
	if made != 4 {
		t.Errorf("%d forwards made before the choices ran out, want 4 (2 messages × fan-out 2)", made)
	}
}
