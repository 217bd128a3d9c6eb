package spec

import (
	"fmt"
	"strings"
)

// Kind says when a property is evaluated; the model checker's kinds.
type Kind uint8

const (
	// Always: must hold in every reachable state.
	Always Kind = iota
	// OnTransition: must hold for every step, comparing the view before it
	// with the view after it.
	OnTransition
	// AtQuiescence: must hold in every state in which nothing but faults can
	// happen (all requests issued, no message in flight, no timer set, no
	// node waiting to recover).
	AtQuiescence
	// Sometimes: must hold in at least one reachable state; it shows that the
	// paths the safety properties speak about are really taken.
	Sometimes

	// The liveness kinds speak of infinite executions, and hold only under
	// the fairness the property declares (Property.Fairness). The model
	// checks them on lassos (model.Lasso): a path into a loop that the
	// execution may go round for ever, fairly, is the counterexample.
	// Goal is the property's State (nil: the goal holds), Trigger its
	// Trigger.

	// Eventually (◇ Goal): in every fair execution, Goal holds in some
	// state. Violated by a fair lasso in none of whose states Goal holds.
	Eventually
	// LeadsTo (Trigger ~> Goal): in every fair execution, every state in
	// which Trigger holds is, or is followed by, a state in which Goal
	// holds. Violated by a fair lasso that reaches a Trigger state after
	// which Goal never holds, neither in the rest of the stem nor in the
	// loop.
	LeadsTo
	// EventuallyAlways (◇□ Goal): in every fair execution, from some point
	// on Goal holds in every state ("eventually, for ever"). Violated by a
	// fair loop through a state in which Goal does not hold, for the
	// execution comes back to it again and again.
	EventuallyAlways
)

var kindNames = [...]string{"always", "on-transition", "at-quiescence", "sometimes", "eventually", "leads-to", "eventually-always"}

// Live reports whether k is a liveness kind (Eventually, LeadsTo,
// EventuallyAlways), checked on lassos rather than state by state.
func (k Kind) Live() bool { return k >= Eventually && k <= EventuallyAlways }

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Needs says which ghost state a property reads. Ghost state is kept by the
// model, never seen by the protocol, and multiplies the state space, so the
// model keeps it only when a checked property needs it.
type Needs uint8

const (
	// NeedsHistory: View.History lists every observation so far, in the
	// real-time order of the steps that made them.
	NeedsHistory Needs = 1 << iota
	// NeedsHappensBefore: View.History lists every observation with the
	// vector clock of true happens-before. Alone, it does not keep the
	// real-time order of concurrent events: executions that differ only in
	// that order are one state, and History shows one of them (new events
	// still come last, and the order always respects happens-before). Add
	// NeedsHistory for a property that reads real time too.
	NeedsHappensBefore
	// NeedsLocalOrder: View.History lists every observation, and only each
	// node's own order of observations matters. Executions that differ in
	// how the nodes' observations interleave are one state; History shows
	// the real-time order of one of them, so what a node observed before
	// another node observed something caused by it still comes first. The
	// cheapest ghost: no clocks, no global order.
	NeedsLocalOrder
)

// View is what a property sees of the whole system.
type View[S, M any] interface {
	// Nodes is the number of nodes.
	Nodes() int
	// State is node i's current state. For a node that crashed under
	// crash-recovery it is what Crash kept; under crash-stop, the state it
	// crashed in.
	State(i NodeID) S
	// Up reports that node i is running (not crashed, or recovered).
	Up(i NodeID) bool
	// Correct reports that node i has never crashed.
	Correct(i NodeID) bool
	// History lists every observation made so far, in the order the steps
	// happened. Empty unless a checked property NeedsHistory,
	// NeedsHappensBefore or NeedsLocalOrder (see Needs for what each keeps).
	History() []Event[M]
}

// Event is one observation in the ghost history.
type Event[M any] struct {
	// Seq is the event's position in the history.
	Seq int
	// Node is the node that made the observation.
	Node NodeID
	// Obs is what was observed.
	Obs M
	// Clock is the ghost vector clock of the step that made the
	// observation: e.Clock.Less(f.Clock) iff e happened before f, and
	// observations of one step have equal clocks. Nil unless the property
	// NeedsHappensBefore.
	Clock VClock
}

// HappensBefore reports that e happened before f (needs Clock).
func (e Event[M]) HappensBefore(f Event[M]) bool { return e.Clock.Less(f.Clock) }

// Fairness is what a liveness property assumes every infinite execution
// does: the steps that cannot be put off for ever. The course's system
// models (2.3) give them: a reliable link delivers every message sent; a
// fair-loss link delivers a message retried for ever; a timeout that is
// left alone eventually fires; under partial synchrony the asynchronous
// period is finite.
//
// Whatever the Fairness, a checked execution is fair in three ways:
//   - finitely many faults: the fault budgets are finite, so from some
//     point on no message is lost, duplicated or forged and no node
//     crashes (a lasso's loop takes no fault step — and a fair-loss link
//     is then reliable);
//   - under partial synchrony, global stabilisation comes (a loop lies
//     after it);
//   - nothing else is owed: a client need not issue its requests, and a
//     crashed node need not recover.
//
// An execution that ends — no step left that the fairness owes — stands
// still for ever, fairly: a loop of no step.
type Fairness uint8

const (
	// FairDelivery (weak fairness on deliveries): every message in flight
	// is eventually delivered (or lost to a node that is down). Over a
	// loop: every message in flight where the loop begins is delivered
	// in it. For a message stuck in flight for ever, strong and weak
	// fairness are the same: nothing but its delivery takes it out.
	FairDelivery Fairness = 1 << iota
	// FairTimers (weak fairness on timers): a timer that stays armed — not
	// fired, cancelled or set again — eventually fires. Over a loop:
	// every timer armed where the loop begins fires, is cancelled or is
	// set again in it. A timer reset by every heartbeat (a follower's
	// election timeout) is not owed a firing: it never stays armed.
	FairTimers
	// FairChoices (weak fairness on choices): a node with a choice to make
	// (spec.Chooser) eventually makes one. Over a loop: every node with a
	// choice where the loop begins makes one in it.
	FairChoices

	// FairAll is every fairness above: reliable links once faults end,
	// timeouts that fire, nodes that make their choices.
	FairAll = FairDelivery | FairTimers | FairChoices
)

// String names the fairness: "deliveries+timers".
func (f Fairness) String() string {
	var parts []string
	for i, name := range [...]string{"deliveries", "timers", "choices"} {
		if f&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// Property is a named property of a protocol, evaluated by the model
// checker on the composed system (and, for the kinds of states and steps,
// on runtime traces). Its kind says which functions are set: State for
// Always, AtQuiescence, Eventually and EventuallyAlways; Step for
// OnTransition; Reach for Sometimes; Trigger and State for LeadsTo.
type Property[S, M any] struct {
	Name  string
	Doc   string // one line: what it says
	Kind  Kind
	Needs Needs
	// State checks a view (Always, AtQuiescence); a non-nil error is a
	// violation whose text says why. For the liveness kinds it is the
	// goal: nil when the goal holds in v, otherwise why it does not.
	State func(v View[S, M]) error
	// Step checks a step (OnTransition).
	Step func(before, after View[S, M]) error
	// NodeStep checks a step one node at a time (OnTransition, instead of
	// Step): node i's state before and after it. It must hold whenever
	// before equals after, so that a checker may call it only for the
	// nodes whose state the step changed — most steps change one node's.
	// Transition calls it for every node.
	NodeStep func(i NodeID, before, after S) error
	// Reach reports a witness (Sometimes).
	Reach func(v View[S, M]) bool
	// Trigger reports that v owes the goal (LeadsTo).
	Trigger func(v View[S, M]) bool
	// Fairness is what a liveness property assumes (none for the other
	// kinds).
	Fairness Fairness
}

// Transition checks the step from before to after with an OnTransition
// property, whichever form it has (Step, or NodeStep on every node in
// order).
func (p Property[S, M]) Transition(before, after View[S, M]) error {
	if p.Step != nil {
		return p.Step(before, after)
	}
	for i := range after.Nodes() {
		id := NodeID(i)
		if err := p.NodeStep(id, before.State(id), after.State(id)); err != nil {
			return err
		}
	}
	return nil
}

// Mutant is a known-buggy variant of a protocol that the checker must catch.
type Mutant struct {
	Name string
	Doc  string // what is wrong, in one line
	// Breaks names the property the checker finds violated.
	Breaks string
	// Shows, when the defaults do not expose the bug, names the check
	// settings that do, as modelcheck flags ("-writes 2", "-crashes 1
	// -crash-mode recover", "-strategy random -seed 1").
	Shows string
	// Beyond, when set, says why no bounded check reaches the bug and
	// which scenario test shows it instead: the checker cannot catch
	// everything, and a mutant that pretends otherwise proves nothing.
	Beyond string
}

// MutantNamed finds the mutant called name among a protocol's mutants,
// by the package's table of them (of: name to the package's own value),
// and returns that value; "" is no mutant (T's zero value). An unknown name
// is an error naming the protocol and every mutant it has.
func MutantNamed[T any](protocol, name string, mutants []Mutant, of map[string]T) (T, error) {
	var none T
	if name == "" {
		return none, nil
	}
	if v, ok := of[name]; ok {
		return v, nil
	}
	names := make([]string, len(mutants))
	for i, m := range mutants {
		names[i] = m.Name
	}
	return none, fmt.Errorf("%s: Mutant = %q, want \"\" or one of %s", protocol, name, strings.Join(names, ", "))
}
