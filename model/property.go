package model

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec"
)

// Properties returns the model's protocol properties of states and steps
// as explorer properties over worlds. The liveness properties (Eventually,
// LeadsTo, EventuallyAlways) are not among them: they speak of infinite
// executions, which only the lasso system (NewLasso) checks; Live names
// them.
func (m *Model[S, M]) Properties() []explore.Property[*World[S, M], Action] {
	out := make([]explore.Property[*World[S, M], Action], 0, len(m.props))
	for _, p := range m.props {
		if !p.Kind.Live() {
			out = append(out, Lift(p))
		}
	}
	return out
}

// Live names the model's liveness properties, which Properties leaves to
// the lasso system.
func (m *Model[S, M]) Live() []string {
	var out []string
	for _, p := range m.props {
		if p.Kind.Live() {
			out = append(out, p.Name)
		}
	}
	return out
}

// Lift turns a protocol property of states or steps into an explorer
// property over worlds; it panics on a liveness property, which no
// property of states can check (see NewLasso).
func Lift[S, M any](p spec.Property[S, M]) explore.Property[*World[S, M], Action] {
	switch p.Kind {
	case spec.Always:
		check := p.State
		return explore.Invariant[*World[S, M], Action](p.Name, func(w *World[S, M]) error { return check(w) })
	case spec.AtQuiescence:
		check := p.State
		return explore.QuiescentInvariant[*World[S, M], Action](p.Name, func(w *World[S, M]) error { return check(w) })
	case spec.OnTransition:
		if each := p.NodeStep; each != nil {
			// Only the nodes whose state changed are checked: NodeStep
			// holds when a state is unchanged, and a node's state is
			// unchanged when the hash of its encoding is (the hash the
			// fingerprints are made of).
			return explore.TransitionInvariant(p.Name, func(from *World[S, M], _ Action, to *World[S, M]) error {
				for i := range to.nodes {
					b, a := from.nodes[i], to.nodes[i]
					if b == a {
						continue // the same node, shared
					}
					if b.h == a.h {
						continue
					}
					if err := each(spec.NodeID(i), b.state, a.state); err != nil {
						return err
					}
				}
				return nil
			})
		}
		check := p.Step
		return explore.TransitionInvariant(p.Name, func(from *World[S, M], _ Action, to *World[S, M]) error { return check(from, to) })
	case spec.Sometimes:
		reach := p.Reach
		return explore.Reachable[*World[S, M], Action](p.Name, func(w *World[S, M]) bool { return reach(w) })
	}
	panic(fmt.Sprintf("model: property %s is %s, a liveness property: check it with NewLasso", p.Name, p.Kind))
}
