package impl

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Outcome is what a property came to on a run.
type Outcome uint8

// The outcomes.
const (
	// Held: a safety property held after every step.
	Held Outcome = iota
	// Violated: a safety property failed; Verdict.Reason says why.
	Violated
	// Reached: a sometimes property held after some step.
	Reached
	// NotReached: a sometimes property never held.
	NotReached
	// NotEvaluated: an at-quiescence property, on a run that did not end
	// quiescent; or a liveness property, which no finite run can show
	// (Verdict.Reason says which).
	NotEvaluated
)

var outcomeNames = [...]string{"held", "violated", "reached", "not reached", "not evaluated"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", o)
}

// Verdict is one property's outcome on a run.
type Verdict struct {
	Property string
	Kind     spec.Kind
	Outcome  Outcome
	Reason   string
	// Seq is the event after which the property was violated or reached.
	Seq uint64
}

// String is "name (kind): outcome[: reason]".
func (v Verdict) String() string {
	s := fmt.Sprintf("%s (%s): %s", v.Property, v.Kind, v.Outcome)
	switch v.Outcome {
	case Violated:
		s += fmt.Sprintf(" after event %d: %s", v.Seq, v.Reason)
	case NotEvaluated:
		s += ": " + v.Reason
	}
	return s
}

// Check is the second conformance check: it evaluates the properties the
// model checker uses on the run, as the checker would on the path the run
// took. It walks the events in order with a view of every node's state,
// whether it is up and has ever crashed, and the history of observations
// in real-time order, each with its vector clock of happens-before (the
// node's events in order plus message receipts), so every Needs is met.
// Always properties are evaluated after every step, on-transition ones on
// every step, sometimes ones until reached, at-quiescence ones at the end
// if the run ended quiescent. Liveness properties are not evaluated: a
// finite run can neither show nor refute them.
func (r *Run[S, M]) Check(props []spec.Property[S, M]) []Verdict {
	n := r.Protocol.Nodes()
	v := &view[S, M]{states: make([]S, n), up: make([]bool, n), correct: make([]bool, n)}
	for i := range v.correct {
		v.correct[i] = true
		// A node not yet started holds its initial state (the model
		// never shows one before its Start step; a run can, for a moment).
		v.states[i] = r.Protocol.Init(spec.NodeID(i))
	}
	clocks := make([]spec.VClock, n)
	for i := range clocks {
		clocks[i] = make(spec.VClock, n)
	}
	sent := map[uint64]spec.VClock{} // the clock of each step that sent
	out := make([]Verdict, len(props))
	transitions := false
	for k, p := range props {
		out[k] = Verdict{Property: p.Name, Kind: p.Kind}
		switch {
		case p.Kind == spec.Sometimes:
			out[k].Outcome = NotReached
		case p.Kind == spec.OnTransition:
			transitions = true
		case p.Kind.Live():
			out[k].Outcome, out[k].Reason = NotEvaluated, "a liveness property: no finite run shows it (the checker checks it on fair lassos)"
		}
	}
	var before *view[S, M]
	for _, e := range r.Events {
		i := e.Node
		switch e.Kind {
		case StepEvent:
		case CrashEvent:
		default:
			continue // the network's events change no node
		}
		if transitions {
			before = v.snapshot(before)
		}
		if e.Kind == CrashEvent {
			v.states[i], v.up[i], v.correct[i] = e.State, false, false
		} else {
			clock := clocks[i]
			if e.Input.Kind == spec.Receive {
				if c, ok := sent[e.Cause]; ok {
					clock = clock.Merge(c)
				}
			}
			clock = clock.Tick(i)
			clocks[i] = clock
			v.states[i], v.up[i] = e.State, true
			for _, o := range e.Outputs {
				switch o.Kind {
				case spec.Observe:
					v.hist = append(v.hist, spec.Event[M]{Seq: len(v.hist), Node: i, Obs: o.Msg, Clock: clock})
				case spec.Send:
					sent[e.Seq] = clock
				}
			}
		}
		for k, p := range props {
			vd := &out[k]
			switch p.Kind {
			case spec.Always:
				if vd.Outcome == Held {
					if err := p.State(v); err != nil {
						vd.Outcome, vd.Reason, vd.Seq = Violated, err.Error(), e.Seq
					}
				}
			case spec.OnTransition:
				if vd.Outcome == Held {
					if err := p.Transition(before, v); err != nil {
						vd.Outcome, vd.Reason, vd.Seq = Violated, err.Error(), e.Seq
					}
				}
			case spec.Sometimes:
				if vd.Outcome == NotReached && p.Reach(v) {
					vd.Outcome, vd.Seq = Reached, e.Seq
				}
			}
		}
	}
	for k, p := range props {
		if p.Kind != spec.AtQuiescence {
			continue
		}
		if !r.Quiescent {
			out[k].Outcome, out[k].Reason = NotEvaluated, "the run did not end quiescent"
			continue
		}
		if err := p.State(v); err != nil {
			out[k].Outcome, out[k].Reason = Violated, err.Error()
			if len(r.Events) > 0 {
				out[k].Seq = r.Events[len(r.Events)-1].Seq
			}
		}
	}
	return out
}

// Violations returns the verdicts that are violations.
func Violations(vs []Verdict) []Verdict {
	var out []Verdict
	for _, v := range vs {
		if v.Outcome == Violated {
			out = append(out, v)
		}
	}
	return out
}

// view is the system as a property sees it, at one point of a run.
type view[S, M any] struct {
	states      []S
	up, correct []bool
	hist        []spec.Event[M]
}

func (v *view[S, M]) Nodes() int                 { return len(v.states) }
func (v *view[S, M]) State(i spec.NodeID) S      { return v.states[i] }
func (v *view[S, M]) Up(i spec.NodeID) bool      { return v.up[i] }
func (v *view[S, M]) Correct(i spec.NodeID) bool { return v.correct[i] }
func (v *view[S, M]) History() []spec.Event[M]   { return v.hist[:len(v.hist):len(v.hist)] }
func (v *view[S, M]) snapshot(into *view[S, M]) *view[S, M] {
	if into == nil {
		into = &view[S, M]{}
	}
	into.states = append(into.states[:0], v.states...)
	into.up = append(into.up[:0], v.up...)
	into.correct = append(into.correct[:0], v.correct...)
	into.hist = v.hist[:len(v.hist):len(v.hist)]
	return into
}

var _ spec.View[int, int] = (*view[int, int])(nil)
