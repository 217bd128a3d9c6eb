package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

func lamportParams(n int, sends ...int) broadcast.Params {
	p := params(broadcast.Lamport, sends...)
	p.N = n
	return p
}

// Reference: course 4.3, "TOB via Lamport clocks (exercise)". Over reliable
// FIFO links with no crash every property of FIFO-total order holds, and
// every sometimes property is reached: with three nodes broadcasting once
// each, and with two nodes broadcasting twice each (FIFO has something to
// get wrong).
func TestLamportDeliversInOneTotalOrderOverFIFOLinks(t *testing.T) {
	cfg := tobAssumed(t, broadcast.Lamport, broadcast.LevelFIFOTotal)
	res := check(t, lamportParams(3, 1, 1), cfg)
	expect(t, "lamport, 3 nodes, sends (1,1)", res, nil)
	tobReachedAll(t, "lamport, 3 nodes, sends (1,1)", res)
	tobStates(t, "lamport, 3 nodes, sends (1,1)", res, 5177)

	res = check(t, lamportParams(2, 2, 2), cfg)
	expect(t, "lamport, 2 nodes, sends (2,2)", res, nil)
	tobReachedAll(t, "lamport, 2 nodes, sends (2,2)", res)
	tobStates(t, "lamport, 2 nodes, sends (2,2)", res, 502)
}

// Over unordered links a Clock announcement overtakes the Data it follows:
// n1 hears Clock(2) from n0 before n0's Data(m0.1 ts=1), takes it as proof
// that nothing smaller will come from n0, and delivers m1.1 (ts 1, origin
// 1) first; n0 delivers m0.1 first.
func TestLamportNeedsFIFOLinks(t *testing.T) {
	res := check(t, lamportParams(2, 1, 1), model.Config{},
		broadcast.PropValidity, broadcast.PropAgreement, broadcast.PropFIFO, broadcast.PropCausal, broadcast.PropTotal)
	expect(t, "lamport, unordered links", res, map[string]int{broadcast.PropTotal: 5})
	tobStates(t, "lamport, unordered links", res, 36)
}

// A node that crashes never speaks again, and the others wait for it
// forever: "one silent node blocks everyone". Even the origin never
// delivers its own message.
func TestLamportBlocksOnACrashedNode(t *testing.T) {
	crash := model.Config{Network: model.FIFO, Crashes: 1}
	props := []string{broadcast.PropValidity, broadcast.PropAgreement, broadcast.PropTotal}
	res := check(t, lamportParams(2, 1), crash, props...)
	expect(t, "lamport, 2 nodes, one crash", res, map[string]int{broadcast.PropValidity: 3})
	tobStates(t, "lamport, 2 nodes, one crash", res, 14)

	res = check(t, lamportParams(3, 1), crash, props...)
	expect(t, "lamport, 3 nodes, one crash", res, map[string]int{broadcast.PropValidity: 6})
	tobStates(t, "lamport, 3 nodes, one crash", res, 272)
}

// lamport-no-wait delivers the smallest queued message without waiting to
// hear a later timestamp from every node: two concurrent broadcasts, each
// delivered by its origin first, break total order.
func TestLamportNoWaitBreaksTotalOrder(t *testing.T) {
	for _, m := range broadcast.Mutants {
		if m.Name == "lamport-no-wait" && m.Breaks != broadcast.PropTotal {
			t.Errorf("lamport-no-wait is declared to break %s, want %s", m.Breaks, broadcast.PropTotal)
		}
	}
	p := lamportParams(3, 1, 1)
	p.Mutant = "lamport-no-wait"
	res := check(t, p, model.Config{Network: model.FIFO})
	expect(t, "lamport-no-wait", res, map[string]int{broadcast.PropTotal: 4, broadcast.PropCausal: 5})
	tobStates(t, "lamport-no-wait", res, 6532)
}
