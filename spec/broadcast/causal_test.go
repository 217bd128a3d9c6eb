package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
)

// Reference: course 4.3, causal broadcast. Over eager dissemination it is
// reliable, FIFO and causal, even when a node crashes in the middle of a
// step, and every sometimes property is reached. It is not total order.
func TestCausalDeliversInCausalOrder(t *testing.T) {
	cfg := tobAssumed(t, broadcast.Causal, broadcast.LevelCausal)
	cfg.CrashMidStep = true
	res := check(t, params(broadcast.Causal), cfg)
	expect(t, "causal, sends (2,1), a crash", res, map[string]int{broadcast.PropTotal: 4})
	tobReachedAll(t, "causal, sends (2,1), a crash", res)
	tobStates(t, "causal, sends (2,1), a crash", res, 37613)

	res = check(t, params(broadcast.Causal, 1, 1), model.Config{})
	expect(t, "causal, sends (1,1)", res, map[string]int{broadcast.PropTotal: 4})
	tobStates(t, "causal, sends (1,1)", res, 275)
}

// Reference: course 4.2, "concurrent messages delivered in different
// orders". Nodes 0 and 1 broadcast at the same time; each delivers its own
// message first and the other's second.
func TestCausalDeliversConcurrentMessagesInEitherOrder(t *testing.T) {
	res := check(t, params(broadcast.Causal, 1, 1), model.Config{}, broadcast.PropTotal)
	expect(t, "causal, sends (1,1)", res, map[string]int{broadcast.PropTotal: 4})
	expectTrace(t, "causal, sends (1,1)", res, broadcast.PropTotal,
		"request n0 broadcast",
		"request n1 broadcast",
		"deliver n1→n0 Data(m1.1 deps=⟨0,0,0⟩)",
		"deliver n0→n1 Data(m0.1 deps=⟨0,0,0⟩)")
}

// Reference: course 4.3, "attach deps = delivered, with your own slot set
// to sendSeq; deliver when deps ≤ delivered". A reply carries its
// original as a dependency, and a node that gets the reply first holds it
// back until it has delivered the original.
func TestCausalHoldsAReplyBackUntilItsOriginal(t *testing.T) {
	proto, err := broadcast.New(params(broadcast.Causal, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	req := spec.Input[msg]{Kind: spec.Request, Msg: msg{Kind: broadcast.Broadcast}}
	_, outs := proto.Step(proto.Init(0), req)
	original := outs[len(outs)-1].Msg
	n1, _ := proto.Step(proto.Init(1), spec.Input[msg]{Kind: spec.Receive, From: 0, Msg: original})
	_, outs = proto.Step(n1, req)
	reply := outs[len(outs)-1].Msg
	if reply.Deps != [broadcast.MaxNodes]int8{1, 0} {
		t.Fatalf("reply m1.1 depends on %v, want ⟨1,0,0⟩", reply.Deps)
	}

	n2, outs := proto.Step(proto.Init(2), spec.Input[msg]{Kind: spec.Receive, From: 1, Msg: reply})
	if delivered(outs) != 0 {
		t.Fatalf("n2 delivered the reply before its original: %v", outs)
	}
	n2, outs = proto.Step(n2, spec.Input[msg]{Kind: spec.Receive, From: 0, Msg: original})
	if got := delivered(outs); got != 2 {
		t.Fatalf("the original arrived: %d deliveries, want 2 (the original, then the reply): %v", got, outs)
	}
	if n2.Next != [broadcast.MaxNodes]int8{1, 1} || n2.Received != n2.Delivered {
		t.Errorf("n2 after both: %s", proto.FormatState(n2))
	}
}

// delivered counts the deliveries among outs.
func delivered(outs []spec.Output[msg]) int {
	n := 0
	for _, o := range outs {
		if o.Kind == spec.Observe && o.Msg.Kind == broadcast.Delivered {
			n++
		}
	}
	return n
}

// Mutant causal-no-deps delivers on receipt: node 2 delivers node 1's
// reply before node 0's original, which node 1 had delivered first.
func TestCausalNoDepsBreaksCausalOrder(t *testing.T) {
	p := params(broadcast.Causal, 1, 1)
	p.Mutant = "causal-no-deps"
	res := check(t, p, model.Config{}, broadcast.PropFIFO, broadcast.PropCausal)
	expect(t, "causal-no-deps", res, map[string]int{broadcast.PropCausal: 4})
	expectTrace(t, "causal-no-deps", res, broadcast.PropCausal,
		"request n0 broadcast",
		"deliver n0→n1 Data(m0.1 deps=⟨0,0,0⟩)",
		"request n1 broadcast",
		"deliver n1→n2 Data(m1.1 deps=⟨1,0,0⟩)")
	for _, m := range broadcast.Mutants {
		if m.Name == "causal-no-deps" && m.Breaks != broadcast.PropCausal {
			t.Errorf("causal-no-deps claims to break %s", m.Breaks)
		}
	}
}
