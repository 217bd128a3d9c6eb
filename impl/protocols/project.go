package protocols

import "github.com/distsys/distsys/spec"

// project turns properties of states T into properties of states S that
// contain a T (f extracts it), with the same messages: the wrapped
// protocol's properties evaluated on a wrapper.
func project[S, T, M any](props []spec.Property[T, M], f func(S) T) []spec.Property[S, M] {
	out := make([]spec.Property[S, M], len(props))
	for i, p := range props {
		q := spec.Property[S, M]{Name: p.Name, Doc: p.Doc, Kind: p.Kind, Needs: p.Needs}
		switch {
		case p.State != nil:
			check := p.State
			q.State = func(v spec.View[S, M]) error { return check(projView[S, T, M]{v, f}) }
		case p.Step != nil:
			check := p.Step
			q.Step = func(a, b spec.View[S, M]) error { return check(projView[S, T, M]{a, f}, projView[S, T, M]{b, f}) }
		case p.Reach != nil:
			reach := p.Reach
			q.Reach = func(v spec.View[S, M]) bool { return reach(projView[S, T, M]{v, f}) }
		}
		out[i] = q
	}
	return out
}

type projView[S, T, M any] struct {
	v spec.View[S, M]
	f func(S) T
}

func (p projView[S, T, M]) Nodes() int                 { return p.v.Nodes() }
func (p projView[S, T, M]) State(i spec.NodeID) T      { return p.f(p.v.State(i)) }
func (p projView[S, T, M]) Up(i spec.NodeID) bool      { return p.v.Up(i) }
func (p projView[S, T, M]) Correct(i spec.NodeID) bool { return p.v.Correct(i) }
func (p projView[S, T, M]) History() []spec.Event[M]   { return p.v.History() }
