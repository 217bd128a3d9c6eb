package model

import (
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec"
)

// Properties returns the model's protocol properties as explorer properties
// over worlds.
func (m *Model[S, M]) Properties() []explore.Property[*World[S, M], Action] {
	out := make([]explore.Property[*World[S, M], Action], 0, len(m.props))
	for _, p := range m.props {
		out = append(out, Lift(p))
	}
	return out
}

// Lift turns a protocol property into an explorer property over worlds.
func Lift[S, M any](p spec.Property[S, M]) explore.Property[*World[S, M], Action] {
	switch p.Kind {
	case spec.Always:
		check := p.State
		return explore.Invariant[*World[S, M], Action](p.Name, func(w *World[S, M]) error { return check(w) })
	case spec.AtQuiescence:
		check := p.State
		return explore.QuiescentInvariant[*World[S, M], Action](p.Name, func(w *World[S, M]) error { return check(w) })
	case spec.OnTransition:
		check := p.Step
		return explore.TransitionInvariant(p.Name, func(from *World[S, M], _ Action, to *World[S, M]) error { return check(from, to) })
	default:
		reach := p.Reach
		return explore.Reachable[*World[S, M], Action](p.Name, func(w *World[S, M]) bool { return reach(w) })
	}
}
