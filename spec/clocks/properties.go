package clocks

import (
	"errors"
	"fmt"

	"github.com/distsys/distsys/spec"
)

// view is what the properties read: the composed system with its ghost
// history of events, each stamped with true happens-before.
type view = spec.View[State, Msg]

// event is one event of the ghost history: its Obs carries the protocol's
// timestamps, its Clock the truth.
type event = spec.Event[Msg]

// Properties returns the properties of Lamport and vector clocks (course
// 4.1), all judged against the model's ghost happens-before: four safety
// properties, checked on each step for the new events against every
// earlier one, then three sometimes properties. The safety properties are
// ordered so that a step breaking several is reported under the most
// specific: uniqueness before consistency, Lamport before vector.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		eachNewPair("lamport-unique", "no two events have the same (L, node) pair", checkLamportUnique),
		eachNewPair("lamport-consistent", "a→b implies L(a) < L(b)", checkLamportConsistent),
		eachNewPair("vector-unique", "V(a) = V(b) only if a and b are the same event", checkVectorUnique),
		eachNewPair("vector-consistent", "V(a) < V(b) iff a→b, and V(a) ∥ V(b) iff a ∥ b", checkVectorConsistent),
		{
			Name:  "lamport-order-without-causality",
			Doc:   "some concurrent a ∥ b have L(a) < L(b): Lamport order does not imply causality",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHappensBefore,
			Reach: func(v view) bool {
				return anyPair(v.History(), func(a, b event) bool { return a.Clock.Concurrent(b.Clock) && a.Obs.L != b.Obs.L })
			},
		},
		{
			Name:  "concurrent-events",
			Doc:   "some two events are concurrent",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHappensBefore,
			Reach: func(v view) bool {
				return anyPair(v.History(), func(a, b event) bool { return a.Clock.Concurrent(b.Clock) })
			},
		},
		{
			Name:  "message-received",
			Doc:   "some node receives a message",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHappensBefore,
			Reach: func(v view) bool {
				for _, e := range v.History() {
					if e.Obs.Kind == ReceiveEvent {
						return true
					}
				}
				return false
			},
		},
	}
}

// eachNewPair builds an on-transition property that checks every event
// the step added against every event before it: a step adds one event, so
// a step costs one pass over the history, not a pass over all pairs.
// check gets a pair in history order (a was recorded before b).
func eachNewPair(name, doc string, check func(a, b event) error) spec.Property[State, Msg] {
	return spec.Property[State, Msg]{
		Name:  name,
		Doc:   doc,
		Kind:  spec.OnTransition,
		Needs: spec.NeedsHappensBefore,
		Step: func(before, after view) error {
			h := after.History()
			for j := len(before.History()); j < len(h); j++ {
				b := h[j]
				if b.Clock == nil {
					return errNoClock
				}
				for _, a := range h[:j] {
					if err := check(a, b); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
}

var errNoClock = errors.New("history events carry no happens-before clock: the property needs spec.NeedsHappensBefore")

// anyPair reports whether some two events of h satisfy f, given in history
// order.
func anyPair(h []event, f func(a, b event) bool) bool {
	for j := range h {
		for i := range j {
			if f(h[i], h[j]) {
				return true
			}
		}
	}
	return false
}

func checkLamportUnique(a, b event) error {
	if a.Node == b.Node && a.Obs.L == b.Obs.L {
		return fmt.Errorf("%s and %s share the timestamp (L=%d, n%d)", describe(a), describe(b), a.Obs.L, a.Node)
	}
	return nil
}

func checkLamportConsistent(a, b event) error {
	if a.HappensBefore(b) && a.Obs.L >= b.Obs.L {
		return fmt.Errorf("%s happened before %s, but L=%d is not less than L=%d", describe(a), describe(b), a.Obs.L, b.Obs.L)
	}
	if b.HappensBefore(a) && b.Obs.L >= a.Obs.L {
		return fmt.Errorf("%s happened before %s, but L=%d is not less than L=%d", describe(b), describe(a), b.Obs.L, a.Obs.L)
	}
	return nil
}

func checkVectorUnique(a, b event) error {
	if a.Obs.V.Equal(b.Obs.V) {
		return fmt.Errorf("%s and %s are two events with the same vector %s", describe(a), describe(b), a.Obs.V)
	}
	return nil
}

func checkVectorConsistent(a, b event) error {
	truth, stamps := relate(a.Clock, b.Clock), relate(a.Obs.V, b.Obs.V)
	if truth == stamps {
		return nil
	}
	return fmt.Errorf("%s %s %s, but %s %s %s", describe(a), truth.phrase(), describe(b), a.Obs.V, stamps.symbol(), b.Obs.V)
}

// relation is how two clocks compare.
type relation uint8

const (
	before relation = iota
	after
	concurrent
	equal
)

// relate compares c with d.
func relate(c, d spec.VClock) relation {
	le, ge := c.LessEq(d), d.LessEq(c)
	switch {
	case le && ge:
		return equal
	case le:
		return before
	case ge:
		return after
	}
	return concurrent
}

// phrase says r of two events.
func (r relation) phrase() string {
	return [...]string{"happened before", "happened after", "is concurrent with", "is the same step as"}[r]
}

// symbol writes r between two vectors.
func (r relation) symbol() string {
	return [...]string{"<", ">", "∥", "="}[r]
}

// describe renders an event as its observation, e.g. "n0 send→n1 L=2 V=⟨2,0⟩".
func describe(e event) string {
	return formatMsg(e.Obs)
}
