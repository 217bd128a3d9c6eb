package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// A run whose properties include a liveness property (spec.Eventually,
// spec.LeadsTo, spec.EventuallyAlways) is checked on lassos: the model is
// wrapped in model.Lasso, the liveness properties become invariants of
// the bigger system, and the properties of states and steps are lifted
// to it. At-quiescence properties are left out of such a run, with the
// reason: the lasso system has no quiescent states of its own.

// lassoOmits is why a run on lassos leaves an at-quiescence property out.
const lassoOmits = "at-quiescence, which a check on lassos does not evaluate (it has no quiescent states of its own); check without the liveness properties to include it"

// hasLive reports whether props include a liveness property.
func hasLive[S, M any](props []spec.Property[S, M]) bool {
	for _, p := range props {
		if p.Kind.Live() {
			return true
		}
	}
	return false
}

// withoutQuiescence drops the at-quiescence properties of a run that has
// liveness ones, and returns them as omissions.
func withoutQuiescence[S, M any](props []spec.Property[S, M]) ([]spec.Property[S, M], []Omission) {
	if !hasLive(props) {
		return props, nil
	}
	var kept []spec.Property[S, M]
	var left []Omission
	for _, p := range props {
		if p.Kind == spec.AtQuiescence {
			left = append(left, Omission{Property: p.Name, Kind: p.Kind.String(), Reason: lassoOmits})
			continue
		}
		kept = append(kept, p)
	}
	return kept, left
}

// lassoSystem wraps m (whose properties include a liveness one) for a
// check on lassos.
func lassoSystem[S, M any](m *model.Model[S, M]) (*model.Lasso[S, M], []explore.Property[model.LoopState[S, M], model.LoopAction], error) {
	l, err := model.NewLasso(m)
	if err != nil {
		return nil, nil, err
	}
	props, err := l.Properties()
	if err != nil {
		return nil, nil, err
	}
	return l, props, nil
}

// kindOf names a property's kind as the protocol declares it: an
// invariant of the lasso system is the liveness property it stands for.
func (np nodeProtocol[S, M]) kindOf(name string, k explore.Kind) string {
	for _, p := range np.props {
		if p.Name == name {
			return p.Kind.String()
		}
	}
	return k.String()
}

// lassoModel describes the system model of a check on lassos.
func lassoModel(m model.Config) string {
	return m.String() + "; liveness checked on lassos (fair loops, no fault in a loop)"
}

// checkLasso checks m, whose properties include a liveness one, on
// lassos, and fills rep.
func (np nodeProtocol[S, M]) checkLasso(m *model.Model[S, M], r Run, rep *Report) error {
	l, props, err := lassoSystem(m)
	if err != nil {
		return err
	}
	res, err := explore.Check[model.LoopState[S, M], model.LoopAction](l, props, r.Options)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = lassoModel(r.Model), m.Ghost()
	fill(rep, res, r.Options)
	if err := l.Overflow(); err != nil && rep.Status == explore.OK {
		rep.Status, rep.Stopped = explore.Incomplete, err.Error()
	}
	if v := res.Violation; v != nil {
		rep.Kind = np.kindOf(v.Property, v.Kind)
	}
	var lanes []string
	for i := range m.Protocol().Nodes() {
		lanes = append(lanes, fmt.Sprintf("n%d", i))
	}
	cfg := r.Model
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = modelTrace(m, header(rep, lanes, &cfg, nil), model.WorldPath(v.Path))
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: np.kindOf(v.Property, v.Kind), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = modelTrace(m, header(rep, lanes, &cfg, &verdict), model.WorldPath(v.Path))
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// replayLasso replays t through the lasso system of m.
func (np nodeProtocol[S, M]) replayLasso(m *model.Model[S, M], cfg model.Config, t *traces.Trace, rep *Report) (*Replayed, error) {
	l, props, err := lassoSystem(m)
	if err != nil {
		return nil, err
	}
	init, err := initIndex(m, t) // the lasso's initial states are the model's worlds
	if err != nil {
		return nil, err
	}
	var lanes []string
	for i := range m.Protocol().Nodes() {
		lanes = append(lanes, fmt.Sprintf("n%d", i))
	}
	return replayPath(l, props, t, init, func(p explore.Path[model.LoopState[S, M], model.LoopAction], v *Verdict) *traces.Trace {
		if v != nil {
			v.Kind = np.kindOf(v.Property, explore.Always)
		}
		return modelTrace(m, header(rep, lanes, &cfg, v), model.WorldPath(p))
	})
}
