package spec

import "fmt"

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
)

var kindNames = [...]string{"always", "on-transition", "at-quiescence", "sometimes"}

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

// Property is a named property of a protocol, evaluated by the model
// checker on the composed system (and, later, on runtime traces). Exactly
// one of State, Step and Reach is set, according to Kind.
type Property[S, M any] struct {
	Name  string
	Doc   string // one line: what it says
	Kind  Kind
	Needs Needs
	// State checks a view (Always, AtQuiescence); a non-nil error is a
	// violation whose text says why.
	State func(v View[S, M]) error
	// Step checks a step (OnTransition).
	Step func(before, after View[S, M]) error
	// Reach reports a witness (Sometimes).
	Reach func(v View[S, M]) bool
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
