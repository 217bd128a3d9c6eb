package ntp

import "fmt"

// Property names.
const (
	PropErrorWithinHalfDelay = "error-within-half-delay"
	PropMonotonic            = "monotonic-never-backwards"
	PropTimeOfDayBackwards   = "time-of-day-backwards"
	PropBoundTight           = "error-bound-tight"
	PropSlewed               = "slewed"
	PropStepped              = "stepped"
	PropPanicked             = "panicked"
)

// PropertyDocs describes each property in one line, by name.
var PropertyDocs = map[string]string{
	PropErrorWithinHalfDelay: "the estimate θ is within δ/2 of the true offset at some instant of the exchange (between t1 and t4: with drift, the offset moves; a negative δ counts as 0)",
	PropMonotonic:            "the monotonic clock never reads less than it read before",
	PropTimeOfDayBackwards:   "the time of day reads less than before the correction: a duration measured across a step is negative",
	PropBoundTight:           "the estimate is exactly δ/2 from the true offset (the bound is tight: one way took no time)",
	PropSlewed:               "the client slews (|θ| < 125 ms)",
	PropStepped:              "the client steps its time of day (125 ms ≤ |θ| < 1000 s)",
	PropPanicked:             "the client panics (|θ| ≥ 1000 s)",
}

// ErrorWithinHalfDelay checks, once the client has its four timestamps,
// that 2θ is at most δ from twice the true offset at some instant of the
// exchange. The true offset moves steadily with the drift between t1 and
// t4, so it takes every value between its values there. A client clock
// running slow can measure the round trip shorter than the server
// measured its holding time, making δ negative; δ then counts as 0 (the
// estimate is then exact at some instant).
func (g *Grid) ErrorWithinHalfDelay(s State) error {
	if s.Phase() < Received {
		return nil
	}
	x := g.Exchange(s)
	if lo, hi, d2 := x.ErrorRange(); d2 > max(x.Delta, 0) {
		bound := "δ/2 = " + half(x.Delta)
		if x.Delta < 0 {
			bound = "δ/2 = 0 (δ = " + x.Delta.String() + " counts as 0)"
		}
		return fmt.Errorf("θ = %s, but the true offset was %s during the exchange: the error %s exceeds %s", half(x.Theta2), span(lo, hi), half(d2), bound)
	}
	return nil
}

// half writes d/2 exactly.
func half(d Nanos) string {
	h := Nanos(floorDiv(int64(d), 2))
	if d%2 == 0 {
		return h.String()
	}
	return h.String() + "+0.5ns"
}

func span(lo, hi Nanos) string {
	if lo == hi {
		return signed(lo)
	}
	return signed(lo) + " … " + signed(hi)
}

// Monotonic checks a step: the monotonic clock reads no less after it
// than before.
func (g *Grid) Monotonic(from State, _ Action, to State) error {
	_, before, ok1 := g.Reading(from)
	_, after, ok2 := g.Reading(to)
	if ok1 && ok2 && after < before {
		return fmt.Errorf("the monotonic clock went back by %s, from %s to %s", before-after, before, after)
	}
	return nil
}

// TimeOfDayBackwards reports a state whose time of day reads less than
// it did when the reply arrived, before the correction.
func (g *Grid) TimeOfDayBackwards(s State) bool {
	if s.Phase() <= Received {
		return false
	}
	tod, _, _ := g.Reading(s)
	x := g.Exchange(s)
	return tod < x.Client.TimeOfDay(x.Back)
}

// BoundTight reports a state whose estimate is exactly δ/2 from the
// nearest true offset, with δ > 0.
func (g *Grid) BoundTight(s State) bool {
	if s.Phase() < Received {
		return false
	}
	x := g.Exchange(s)
	_, _, d2 := x.ErrorRange()
	return x.Delta > 0 && d2 == x.Delta
}

// Corrected reports a state in which the client has applied correction c.
func (g *Grid) Corrected(s State, c Correction) bool {
	return s.Phase() > Received && g.Exchange(s).Correction == c
}
