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
	tobStates(t, "fifo-total, sends (0,2,1)", res, 751)

	res = check(t, params(broadcast.Sequencer, 0, 2, 1), cfg, broadcast.PropFIFO, broadcast.PropTotal)
	expect(t, "sequencer, sends (0,2,1)", res, map[string]int{broadcast.PropFIFO: 3})

	// When no Submit is ever held back (only the sequencer sends twice),
	// FIFO-total is the sequencer, state for state.
	res = check(t, params(broadcast.FIFOTotal), cfg)
	expect(t, "fifo-total, sends (2,1)", res, nil)
	tobStates(t, "fifo-total, sends (2,1)", res, 372)
}

// FIFO-total order implies causal order (course 4.2's hierarchy), with
// causality as the course defines it: a node that holds back a message has
// not delivered it, so it creates no causal dependency. Here the sequencer
// holds back n1's second Submit (the first is still in flight) and then
// broadcasts m0.1, which it numbers first: m0.1 is concurrent with n1's
// messages, and no node delivers anything before its causal predecessors.
func TestFIFOTotalIsCausal(t *testing.T) {
	p := broadcast.Params{Algorithm: broadcast.FIFOTotal, N: 2, Sends: [broadcast.MaxNodes]int{1, 2}}
	res := check(t, p, model.Config{})
	expect(t, "fifo-total, two nodes, sends (1,2)", res, nil)
	tobStates(t, "fifo-total, two nodes, sends (1,2)", res, 101)
}

// The FIFO-total sequencer is still a single point of failure.
func TestFIFOTotalStopsWhenTheSequencerCrashes(t *testing.T) {
	res := check(t, params(broadcast.FIFOTotal, 0, 1), model.Config{Crashes: 1}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "fifo-total, one crash", res, map[string]int{broadcast.PropValidity: 3})
}
