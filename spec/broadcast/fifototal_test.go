package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

// Reference: course 4.2, "FIFO-total order adds FIFO". When n1 broadcasts
// twice and its Submits may arrive swapped, the sequencer that numbers each
// origin's submissions in sequence keeps FIFO order where the plain
// sequencer loses it; every property of the FIFO-total level holds and
// every sometimes property is reached.
func TestFIFOTotalKeepsEachOriginsOrder(t *testing.T) {
	cfg := tobAssumed(t, broadcast.FIFOTotal, broadcast.LevelFIFOTotal)
	res := check(t, params(broadcast.FIFOTotal, 0, 2, 1), cfg)
	expect(t, "fifo-total, sends (0,2,1)", res, nil)
	tobReachedAll(t, "fifo-total, sends (0,2,1)", res)
	tobStates(t, "fifo-total, sends (0,2,1)", res, 2950)

	res = check(t, params(broadcast.Sequencer, 0, 2, 1), cfg, broadcast.PropFIFO, broadcast.PropTotal)
	expect(t, "sequencer, sends (0,2,1)", res, map[string]int{broadcast.PropFIFO: 3})

	// When no Submit is ever held back (only the sequencer sends twice),
	// FIFO-total is the sequencer, state for state.
	res = check(t, params(broadcast.FIFOTotal), cfg)
	expect(t, "fifo-total, sends (2,1)", res, nil)
	tobStates(t, "fifo-total, sends (2,1)", res, 1010)
}

// The "causal-order" property takes causality from the model's ghost
// happens-before, which counts every receipt of a wire message, not only
// deliveries. When the sequencer holds back n1's second Submit (the first
// is still in flight) and then broadcasts m0.1, both of n1's broadcasts
// happened before broadcast(m0.1) in that sense, yet m0.1 is numbered
// first. The course's checkable form ("if node i broadcast or delivered m1
// before broadcasting m2 …") holds: n0 had neither broadcast nor delivered
// n1's messages.
// Pinned so that a change of either the property or the algorithm shows.
func TestFIFOTotalCausalOrderCountsHeldBackSubmits(t *testing.T) {
	p := broadcast.Params{Algorithm: broadcast.FIFOTotal, N: 2, Sends: [broadcast.MaxNodes]int{1, 2}}
	res := check(t, p, model.Config{})
	expect(t, "fifo-total, two nodes, sends (1,2)", res, map[string]int{broadcast.PropCausal: 4})
	tobStates(t, "fifo-total, two nodes, sends (1,2)", res, 207)
}

// The FIFO-total sequencer is still a single point of failure.
func TestFIFOTotalStopsWhenTheSequencerCrashes(t *testing.T) {
	res := check(t, params(broadcast.FIFOTotal, 0, 1), model.Config{Crashes: 1}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "fifo-total, one crash", res, map[string]int{broadcast.PropValidity: 3})
}
