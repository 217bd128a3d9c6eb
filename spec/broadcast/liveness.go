package broadcast

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Liveness property names.
const (
	PropEventualValidity  = "eventual-validity"
	PropEventualAgreement = "eventual-agreement"
)

// LiveFairness is what the liveness properties assume of every execution,
// besides finitely many faults (course 2.3: reliable links, or fair-loss
// ones once the losses end; a node's timer left armed fires; a node with
// a gossip choice to make makes one). Clients owe nothing: a message
// never broadcast owes no delivery.
const LiveFairness = spec.FairAll

// liveProperties are validity and agreement as the course states them
// (4.2: "if a correct node delivers m, every correct node eventually
// does"), as liveness properties of infinite executions rather than of
// quiescent states. Each is a conjunction, over the finitely many
// messages m, of P(m) ~> Q(m), where P(m) (m broadcast, or delivered, by
// a correct node) and Q(m) (every correct node delivered m) only ever
// turn true — a node's Sent and Delivered only grow, and a node that
// crashed is never correct again. For such stable P and Q the
// conjunction holds iff the goal "no message is owed" (for every m, P(m)
// implies Q(m)) holds again after every state where it fails: each is
// checked as LeadsTo with that goal, triggered by its failure. They read
// the nodes' states (Sent, Delivered), not the ghost history, so a check
// of them alone on lassos keeps no ghost.
func liveProperties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropEventualValidity, Kind: spec.LeadsTo, Fairness: LiveFairness,
			Trigger: owes(validityOwed), State: settled(validityOwed),
			Doc: "if a correct node broadcasts m, every correct node eventually delivers m (liveness; -live 1)"},
		{Name: PropEventualAgreement, Kind: spec.LeadsTo, Fairness: LiveFairness,
			Trigger: owes(agreementOwed), State: settled(agreementOwed),
			Doc: "if a correct node delivers m, every correct node eventually delivers m (liveness; -live 1)"},
	}
}

// owes turns a description of a delivery owed into a trigger.
func owes(owed func(v view) string) func(v view) bool {
	return func(v view) bool { return owed(v) != "" }
}

// settled turns it into a goal: nothing is owed.
func settled(owed func(v view) string) func(v view) error {
	return func(v view) error {
		if why := owed(v); why != "" {
			return fmt.Errorf("%s", why)
		}
		return nil
	}
}

// validityOwed describes the first message a correct node broadcast that
// a correct node has not delivered, or returns "".
func validityOwed(v view) string {
	for i := range v.Nodes() {
		o := spec.NodeID(i)
		if !v.Correct(o) {
			continue
		}
		for seq := int8(1); seq <= v.State(o).Sent; seq++ {
			for j := range v.Nodes() {
				if v.Correct(spec.NodeID(j)) && !delivered(v.State(spec.NodeID(j)), int8(i), seq) {
					return fmt.Sprintf("correct n%d broadcast %s, and correct n%d has not delivered it", i, name(int8(i), seq), j)
				}
			}
		}
	}
	return ""
}

// agreementOwed describes the first message a correct node delivered that
// another correct node has not, or returns "".
func agreementOwed(v view) string {
	for i := range v.Nodes() {
		if !v.Correct(spec.NodeID(i)) {
			continue
		}
		for j := range v.Nodes() {
			if !v.Correct(spec.NodeID(j)) {
				continue
			}
			if missing := v.State(spec.NodeID(i)).Delivered &^ v.State(spec.NodeID(j)).Delivered; missing != 0 {
				return fmt.Sprintf("correct n%d delivered %s, and correct n%d has not", i, mid(lowest(missing)), j)
			}
		}
	}
	return ""
}
