//go:build long

package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

// The largest explorations of the package (seconds each on two cores) run
// with `go test -tags long ./spec/broadcast`; .ci/run runs them.

// The default workload over FIFO links, three nodes with sends (2,1):
// 547,488 states.
func TestLamportDefaultWorkloadOverFIFOLinks(t *testing.T) {
	res := check(t, params(broadcast.Lamport), model.Config{Network: model.FIFO})
	expect(t, "lamport, sends (2,1)", res, nil)
	tobReachedAll(t, "lamport, sends (2,1)", res)
	tobStates(t, "lamport, sends (2,1)", res, 547488)
}

// Gossip with the default workload, sends (2,1), fan-out 1: 134,072
// states; validity and agreement fail as with one message, and the orders
// too (TestGossipMissesANode keeps the one-message check in the default
// set).
func TestGossipDefaultWorkloadMissesANode(t *testing.T) {
	cfg := tobAssumed(t, broadcast.Gossip, broadcast.LevelSafety)
	res := check(t, params(broadcast.Gossip), cfg)
	expect(t, "gossip, fan-out 1, sends (2,1)", res, map[string]int{
		broadcast.PropValidity: 15, broadcast.PropAgreement: 15,
		broadcast.PropFIFO: 4, broadcast.PropCausal: 4, broadcast.PropTotal: 6,
	})
	tobReachedAll(t, "gossip, fan-out 1, sends (2,1)", res)
	tobStates(t, "gossip, fan-out 1, sends (2,1)", res, 134072)
}
