package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// KindLiveness is the kind the catalog gives a liveness property
// ("eventually, for ever, nothing bad"), checked as a lasso.
const KindLiveness = "liveness"

// liveProtocol adapts to an Entry a protocol under model/ whose
// properties include liveness properties, checked as lassos.
type liveProtocol[S, M any] struct {
	build func(params map[string]int, mutant string) (spec.Protocol[S, M], []spec.WorkItem[M], error)
	// props are the properties of states and steps (no at-quiescence).
	props []spec.Property[S, M]
	live  []model.LiveProperty[S, M]
	// classes and class give the fairness classes of a protocol's model
	// (see model.NewLasso).
	classes func(params map[string]int) int
	class   func(w *model.World[S, M], a model.Action) int
}

func (lp liveProtocol[S, M]) install(e *Entry) *Entry {
	e.UsesModel = true
	for _, p := range lp.live {
		e.Properties = append(e.Properties, PropertyInfo{Name: p.Name, Kind: KindLiveness, Doc: p.Doc})
	}
	for _, p := range lp.props {
		e.Properties = append(e.Properties, PropertyInfo{Name: p.Name, Kind: p.Kind.String(), Doc: p.Doc})
	}
	e.check = lp.check
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		cfg, err := modelConfig(t.Model)
		if err != nil {
			return nil, err
		}
		l, props, err := lp.system(t.Params, t.Mutant, cfg)
		if err != nil {
			return nil, err
		}
		init, err := initIndex(l.Model(), t) // the lasso's initial states are the model's worlds
		if err != nil {
			return nil, err
		}
		var lanes []string
		for i := range l.Model().Protocol().Nodes() {
			lanes = append(lanes, fmt.Sprintf("n%d", i))
		}
		return replayPath(l, props, t, init, func(p explore.Path[model.LoopState[S, M], model.LoopAction], v *Verdict) *traces.Trace {
			return modelTrace(l.Model(), header(rep, lanes, &cfg, v), model.WorldPath(p))
		})
	}
	return e
}

func (lp liveProtocol[S, M]) system(params map[string]int, mutant string, cfg model.Config) (*model.Lasso[S, M], []explore.Property[model.LoopState[S, M], model.LoopAction], error) {
	proto, work, err := lp.build(params, mutant)
	if err != nil {
		return nil, nil, err
	}
	m, err := model.New(proto, cfg, work, lp.props)
	if err != nil {
		return nil, nil, err
	}
	l, err := model.NewLasso(m, lp.live, lp.classes(params), lp.class)
	if err != nil {
		return nil, nil, err
	}
	props, err := l.Properties()
	if err != nil {
		return nil, nil, err
	}
	return l, props, nil
}

func (lp liveProtocol[S, M]) check(r Run, rep *Report) error {
	l, props, err := lp.system(r.Params, r.Mutant, r.Model)
	if err != nil {
		return err
	}
	res, err := explore.Check[model.LoopState[S, M], model.LoopAction](l, props, r.Options)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = r.Model.String()+"; liveness checked on lassos (strongly fair loops)", l.Model().Ghost()
	fill(rep, res, r.Options)
	kind := func(name string, k explore.Kind) string {
		for _, p := range lp.live {
			if p.Name == name {
				return KindLiveness
			}
		}
		return k.String()
	}
	if v := res.Violation; v != nil {
		rep.Kind = kind(v.Property, v.Kind)
	}
	var lanes []string
	for i := range l.Model().Protocol().Nodes() {
		lanes = append(lanes, fmt.Sprintf("n%d", i))
	}
	cfg := r.Model
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = modelTrace(l.Model(), header(rep, lanes, &cfg, nil), model.WorldPath(v.Path))
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: kind(v.Property, v.Kind), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = modelTrace(l.Model(), header(rep, lanes, &cfg, &verdict), model.WorldPath(v.Path))
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}
