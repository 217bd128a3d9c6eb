package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

// Reference: course 4.3, FIFO broadcast. Over eager dissemination it is
// reliable and keeps each origin's order, even when a node crashes in the
// middle of a step, and every sometimes property is reached. It is not
// causal, and not total.
func TestFIFOKeepsEachOriginsOrder(t *testing.T) {
	cfg := tobAssumed(t, broadcast.FIFO, broadcast.LevelFIFO)
	cfg.CrashMidStep = true
	res := check(t, params(broadcast.FIFO), cfg)
	expect(t, "fifo, sends (2,1), a crash", res, map[string]int{broadcast.PropCausal: 4, broadcast.PropTotal: 4})
	tobReachedAll(t, "fifo, sends (2,1), a crash", res)
	tobStates(t, "fifo, sends (2,1), a crash", res, 48663)

	// One sender: FIFO order and every other safety property hold; the
	// paths of causal-chain and concurrent-broadcasts need two senders.
	res = check(t, params(broadcast.FIFO, 2), model.Config{})
	expect(t, "fifo, sends (2)", res, nil, oneSender...)
	tobStates(t, "fifo, sends (2)", res, 91)
}

// Reference: course 4.2, "a valid FIFO run where a reply is delivered
// before its original". Node 0 broadcasts; node 1 delivers it and
// broadcasts its reply; node 2 gets the reply first and, since the two
// have different origins, delivers it at once.
func TestFIFODeliversAReplyBeforeItsOriginal(t *testing.T) {
	res := check(t, params(broadcast.FIFO, 1, 1), model.Config{}, broadcast.PropFIFO, broadcast.PropCausal)
	expect(t, "fifo, sends (1,1)", res, map[string]int{broadcast.PropCausal: 4})
	expectTrace(t, "fifo, sends (1,1)", res, broadcast.PropCausal,
		"request n0 broadcast",
		"deliver n0→n1 Data(m0.1)",
		"request n1 broadcast",
		"deliver n1→n2 Data(m1.1)")
}

// Mutant fifo-any-order delivers what arrives, as it arrives: node 1 gets
// node 0's second message first and delivers it out of order.
func TestFIFOAnyOrderBreaksFIFOOrder(t *testing.T) {
	p := params(broadcast.FIFO, 2)
	p.Mutant = "fifo-any-order"
	res := check(t, p, model.Config{}, broadcast.PropFIFO)
	expect(t, "fifo-any-order", res, map[string]int{broadcast.PropFIFO: 3})
	expectTrace(t, "fifo-any-order", res, broadcast.PropFIFO,
		"request n0 broadcast",
		"request n0 broadcast",
		"deliver n0→n1 Data(m0.2)")
	for _, m := range broadcast.Mutants {
		if m.Name == "fifo-any-order" && m.Breaks != broadcast.PropFIFO {
			t.Errorf("fifo-any-order claims to break %s", m.Breaks)
		}
	}
}
