package detector

import (
	"errors"
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	PropCompleteness       = "completeness"
	PropEventualAccuracy   = "eventual-accuracy"
	PropAccurateAfterGST   = "accurate-after-stabilisation"
	PropFalseSuspicion     = "false-suspicion"
	PropSuspicionWithdrawn = "suspicion-withdrawn"
	PropCrashSuspected     = "crash-suspected"
)

// Fairness is what the detector's liveness properties assume of every
// execution (besides finitely many faults and, under partial synchrony,
// stabilisation): every ping and ack sent is delivered, and a timeout
// left armed fires — reliable links and a clock that runs.
const Fairness = spec.FairDelivery | spec.FairTimers

// Properties returns the detector's properties: the two halves of the
// eventually perfect detector, ◇P (course 2.4: "after GST, a node is
// suspected iff it has crashed"), as liveness properties of the form
// "eventually, for ever" — the detector pings for ever, so its
// executions never end and a bad state that comes back again and again
// in a fair loop violates them; accuracy once the system has stabilised;
// and the sometimes properties showing that mistakes are made and
// corrected and that crashes are detected (crash-suspected needs a
// crash: -crashes 1).
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name:     PropCompleteness,
			Doc:      "eventually every crashed node is suspected by every correct node, for ever",
			Kind:     spec.EventuallyAlways,
			Fairness: Fairness,
			State:    goal(unsuspectedCrash),
		},
		{
			Name:     PropEventualAccuracy,
			Doc:      "eventually no correct node is suspected by a correct node, for ever",
			Kind:     spec.EventuallyAlways,
			Fairness: Fairness,
			State:    goal(falselySuspected),
		},
		{
			Name: PropAccurateAfterGST,
			Doc:  "after global stabilisation no correct node starts suspecting a correct node (vacuous without -partial-sync)",
			Kind: spec.OnTransition,
			Step: checkAccurateAfterGST,
		},
		{
			Name:  PropFalseSuspicion,
			Doc:   "a correct node suspects a correct node: a timeout fired before the ack came (no detector is perfect without synchrony)",
			Kind:  spec.Sometimes,
			Reach: func(v spec.View[State, Msg]) bool { return falselySuspected(v) != "" },
		},
		{
			Name:  PropSuspicionWithdrawn,
			Doc:   "a late ack makes a correct node withdraw its suspicion of a correct node",
			Kind:  spec.Sometimes,
			Reach: corrected,
		},
		{
			Name:  PropCrashSuspected,
			Doc:   "a correct node suspects a crashed node",
			Kind:  spec.Sometimes,
			Reach: crashSuspected,
		},
	}
}

// goal turns a description of what is bad into a goal: nil when nothing
// is.
func goal(bad func(v spec.View[State, Msg]) string) func(v spec.View[State, Msg]) error {
	return func(v spec.View[State, Msg]) error {
		if why := bad(v); why != "" {
			return errors.New(why)
		}
		return nil
	}
}

// pairs yields every ordered pair of distinct nodes (monitor, peer).
func pairs(v spec.View[State, Msg]) func(yield func(q, p spec.NodeID) bool) {
	return func(yield func(q, p spec.NodeID) bool) {
		for q := range v.Nodes() {
			for p := range v.Nodes() {
				if q != p && !yield(spec.NodeID(q), spec.NodeID(p)) {
					return
				}
			}
		}
	}
}

// Nodes are judged by whether they are up: under crash-stop, the nodes
// up are exactly the correct ones, and in a loop (which takes no fault)
// no node goes down or comes back, so a node down in a loop is down for
// ever.

// unsuspectedCrash describes the first node down that a node up does not
// suspect, or returns "".
func unsuspectedCrash(v spec.View[State, Msg]) string {
	for q, p := range pairs(v) {
		if v.Up(q) && !v.Up(p) && !v.State(q).Suspects(p) {
			return fmt.Sprintf("n%d does not suspect n%d, which has crashed,", q, p)
		}
	}
	return ""
}

// falselySuspected describes the first node up suspected by a node up,
// or returns "".
func falselySuspected(v spec.View[State, Msg]) string {
	for q, p := range pairs(v) {
		if v.Up(q) && v.Up(p) && v.State(q).Suspects(p) {
			return fmt.Sprintf("n%d suspects n%d, which is up,", q, p)
		}
	}
	return ""
}

func corrected(v spec.View[State, Msg]) bool {
	for q, p := range pairs(v) {
		if v.Up(q) && v.Up(p) && v.State(q).Watch[p].Corrected {
			return true
		}
	}
	return false
}

func crashSuspected(v spec.View[State, Msg]) bool {
	for q, p := range pairs(v) {
		if v.Up(q) && !v.Up(p) && v.State(q).Suspects(p) {
			return true
		}
	}
	return false
}

// stabiliser is the part of a view that says whether the system model has
// stabilised (model.World implements it; spec.View does not offer it).
type stabiliser interface{ Stable() bool }

func checkAccurateAfterGST(before, after spec.View[State, Msg]) error {
	st, ok := before.(stabiliser)
	if !ok || !st.Stable() {
		return nil
	}
	for q, p := range pairs(after) {
		if after.Up(q) && after.Up(p) && after.State(q).Suspects(p) && !before.State(q).Suspects(p) {
			return fmt.Errorf("after stabilisation, n%d starts suspecting n%d, which is up", q, p)
		}
	}
	return nil
}
