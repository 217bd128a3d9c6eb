package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/spec/spectest"
)

func TestEveryAlgorithmIsPure(t *testing.T) {
	for _, a := range broadcast.Algorithms() {
		t.Run(a.String(), func(t *testing.T) {
			p, err := broadcast.New(params(a))
			if err != nil {
				t.Fatal(err)
			}
			spectest.Pure[state, msg](t, p, p.Workload(), 30)
		})
	}
}

// Best-effort broadcast keeps its promises on a reliable network with no
// crashes, but not reliability: a lost message is never resent, and a
// sender crashing half-way through its sends splits the nodes.
func TestBestEffort(t *testing.T) {
	order := map[string]int{broadcast.PropFIFO: 3, broadcast.PropCausal: 3, broadcast.PropTotal: 4}
	res := check(t, params(broadcast.BestEffort), model.Config{})
	expect(t, "reliable network", res, order)
	if res.Stats.States != 618 {
		t.Errorf("reliable network: %d states, want 618", res.Stats.States)
	}
	res = check(t, params(broadcast.BestEffort, 1), model.Config{Drops: 1}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "one drop", res, map[string]int{broadcast.PropValidity: 3, broadcast.PropAgreement: 3})
	res = check(t, params(broadcast.BestEffort, 1), model.Config{Crashes: 1, CrashMidStep: true}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "sender crash mid-step", res, map[string]int{broadcast.PropAgreement: 2})
}

// Eager reliable broadcast survives a sender that crashes half-way: a node
// that got the message relays it.
func TestEagerSurvivesACrashMidFanOut(t *testing.T) {
	res := check(t, params(broadcast.Eager, 1, 1), model.Config{Crashes: 1, CrashMidStep: true},
		broadcast.PropNoDuplication, broadcast.PropNoCreation, broadcast.PropValidity, broadcast.PropAgreement, broadcast.PropTotal)
	expect(t, "eager, crash mid-step", res, map[string]int{broadcast.PropTotal: 4})
	res = check(t, broadcast.Params{Algorithm: broadcast.Eager, N: 3, Sends: [broadcast.MaxNodes]int{1}, Mutant: "eager-no-relay"},
		model.Config{Crashes: 1, CrashMidStep: true}, broadcast.PropAgreement)
	expect(t, "eager without relaying", res, map[string]int{broadcast.PropAgreement: 2})
}
