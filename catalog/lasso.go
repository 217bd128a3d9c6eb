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

// liveProperty is a liveness property over worlds: violated by a fair
// loop through a state that bad describes.
type liveProperty[S, M any] struct {
	name, doc string
	bad       func(w *model.World[S, M]) string
}

// lasso turns the liveness properties of a model into invariants of a
// bigger transition system, the liveness-to-safety construction (Biere,
// Artho and Schuppan): a state is a world, and once a loop has begun, the
// fingerprint of the world where it began, the fairness classes enabled
// in some world of the loop so far, and those taken in it. A loop may
// begin at any world reached in a bad state (one liveness property's bad
// holds); it closes when the world comes back. A loop is fair (strong
// fairness) when every class enabled somewhere in it is also taken in it:
// every message that could be delivered is, every timer that could fire
// does, stabilisation comes. A fair loop through a bad world can be
// repeated for ever, which violates the property. Breadth-first search then finds the
// shortest such lasso, as it finds the shortest path to any bad state.
//
// Faults and stabilisation are left out of loops: their budgets and flags
// only grow, so a loop that takes one can never close.
type lasso[S, M any] struct {
	m    *model.Model[S, M]
	live []liveProperty[S, M]
	// class gives the fairness class of a non-fault step in w, 0..63, or
	// -1 for a step no fairness asks for.
	class func(w *model.World[S, M], a model.Action) int
}

// loopState is a state of the lasso system.
type loopState[S, M any] struct {
	w *model.World[S, M]
	// open: a loop has begun; moved: it has taken a step.
	open, moved bool
	// start is the fingerprint of the world where the loop began.
	start uint64
	// enabled and taken hold the classes enabled in some world of the
	// loop so far (the worlds it has left), and those it has taken.
	enabled, taken uint64
}

// loopAction is a step of the model; begin marks the step after which
// the loop begins.
type loopAction struct {
	a     model.Action
	begin bool
}

func newLasso[S, M any](m *model.Model[S, M], live []liveProperty[S, M], classes int, class func(*model.World[S, M], model.Action) int) (*lasso[S, M], error) {
	if classes < 0 || classes > 64 {
		return nil, fmt.Errorf("lasso: %d fairness classes, want at most 64", classes)
	}
	return &lasso[S, M]{m: m, live: live, class: class}, nil
}

// Init wraps the model's initial worlds.
func (l *lasso[S, M]) Init() []loopState[S, M] {
	var out []loopState[S, M]
	for _, w := range l.m.Init() {
		out = append(out, loopState[S, M]{w: w})
	}
	return out
}

// Next yields the model's steps from s.w. Before a loop has begun, each
// step into a bad world is yielded twice: as it is, and with the loop
// beginning there. Inside a loop, faults and stabilisation are left out.
func (l *lasso[S, M]) Next(s loopState[S, M], yield func(loopAction, loopState[S, M], bool)) {
	edges := explore.Edges[*model.World[S, M], model.Action](l.m, s.w, nil)
	if !s.open {
		for _, e := range edges {
			yield(loopAction{a: e.Action}, loopState[S, M]{w: e.State}, e.Fault)
			if l.bad(e.State) {
				yield(loopAction{a: e.Action, begin: true}, loopState[S, M]{w: e.State, open: true, start: l.m.Fingerprint(e.State)}, e.Fault)
			}
		}
		return
	}
	var enabled uint64
	for _, e := range edges {
		if !e.Fault {
			if c := l.class(s.w, e.Action); c >= 0 {
				enabled |= 1 << c
			}
		}
	}
	for _, e := range edges {
		if e.Fault || e.Action.Kind == model.Stabilize {
			continue
		}
		next := loopState[S, M]{w: e.State, open: true, moved: true, start: s.start, enabled: s.enabled | enabled, taken: s.taken}
		if c := l.class(s.w, e.Action); c >= 0 {
			next.taken |= 1 << c
		}
		yield(loopAction{a: e.Action}, next, false)
	}
}

func (l *lasso[S, M]) bad(w *model.World[S, M]) bool {
	for _, p := range l.live {
		if p.bad(w) != "" {
			return true
		}
	}
	return false
}

// Fingerprint combines the world's with the loop's bookkeeping.
func (l *lasso[S, M]) Fingerprint(s loopState[S, M]) uint64 {
	h := l.m.Fingerprint(s.w)
	if !s.open {
		return h
	}
	flags := uint64(1)
	if s.moved {
		flags |= 2
	}
	return explore.Combine(explore.Combine(explore.Combine(explore.Combine(h, flags), s.start), s.enabled), s.taken)
}

// Label is the model's label, marked where the loop begins.
func (l *lasso[S, M]) Label(s loopState[S, M], a loopAction) string {
	label := l.m.Label(s.w, a.a)
	if a.begin {
		label += " ⟲ loop begins"
	}
	return label
}

// closed reports whether s closes a fair loop.
func (l *lasso[S, M]) closed(s loopState[S, M]) bool {
	return s.open && s.moved && s.enabled&^s.taken == 0 && l.m.Fingerprint(s.w) == s.start
}

// properties returns the liveness properties as invariants of the lasso
// system, then the model's own properties lifted to it (which must not be
// at-quiescence: the lasso system has no quiescent states of its own).
func (l *lasso[S, M]) properties() ([]explore.Property[loopState[S, M], loopAction], error) {
	var out []explore.Property[loopState[S, M], loopAction]
	for _, p := range l.live {
		bad := p.bad
		out = append(out, explore.Invariant[loopState[S, M], loopAction](p.name, func(s loopState[S, M]) error {
			if !l.closed(s) {
				return nil
			}
			if why := bad(s.w); why != "" {
				return fmt.Errorf("%s in a loop the execution may go round for ever: from the step marked ⟲ it comes back to the same state, fairly (every step enabled somewhere in the loop is taken in it)", why)
			}
			return nil
		}))
	}
	for _, p := range l.m.Properties() {
		switch p.Kind {
		case explore.Always:
			check := p.State
			out = append(out, explore.Invariant[loopState[S, M], loopAction](p.Name, func(s loopState[S, M]) error { return check(s.w) }))
		case explore.OnTransition:
			check := p.Step
			out = append(out, explore.TransitionInvariant(p.Name, func(from loopState[S, M], a loopAction, to loopState[S, M]) error {
				return check(from.w, a.a, to.w)
			}))
		case explore.Sometimes:
			reach := p.Reach
			out = append(out, explore.Reachable[loopState[S, M], loopAction](p.Name, func(s loopState[S, M]) bool { return reach(s.w) }))
		default:
			return nil, fmt.Errorf("lasso: property %s is %s, which a lasso check does not evaluate", p.Name, p.Kind)
		}
	}
	return out, nil
}

// liveProtocol adapts to an Entry a protocol under model/ whose
// properties include liveness properties, checked as lassos.
type liveProtocol[S, M any] struct {
	build func(params map[string]int, mutant string) (spec.Protocol[S, M], []spec.WorkItem[M], error)
	// props are the properties of states and steps (no at-quiescence).
	props []spec.Property[S, M]
	live  []liveProperty[S, M]
	// classes and class give the fairness classes of a protocol's model
	// (see lasso.class).
	classes func(params map[string]int) int
	class   func(w *model.World[S, M], a model.Action) int
}

func (lp liveProtocol[S, M]) install(e *Entry) *Entry {
	e.UsesModel = true
	for _, p := range lp.live {
		e.Properties = append(e.Properties, PropertyInfo{Name: p.name, Kind: KindLiveness, Doc: p.doc})
	}
	for _, p := range lp.props {
		e.Properties = append(e.Properties, PropertyInfo{Name: p.Name, Kind: p.Kind.String(), Doc: p.Doc})
	}
	e.check = lp.check
	e.replay = func(t *traces.Trace) (*Replayed, error) {
		cfg, err := modelConfig(t.Model)
		if err != nil {
			return nil, err
		}
		l, props, err := lp.system(t.Params, t.Mutant, cfg)
		if err != nil {
			return nil, err
		}
		return replayPath[loopState[S, M], loopAction](l, props, t)
	}
	return e
}

func (lp liveProtocol[S, M]) system(params map[string]int, mutant string, cfg model.Config) (*lasso[S, M], []explore.Property[loopState[S, M], loopAction], error) {
	proto, work, err := lp.build(params, mutant)
	if err != nil {
		return nil, nil, err
	}
	m, err := model.New(proto, cfg, work, lp.props)
	if err != nil {
		return nil, nil, err
	}
	l, err := newLasso(m, lp.live, lp.classes(params), lp.class)
	if err != nil {
		return nil, nil, err
	}
	props, err := l.properties()
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
	res, err := explore.Check[loopState[S, M], loopAction](l, props, r.Options)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = r.Model.String()+"; liveness checked on lassos (strongly fair loops)", l.m.Ghost()
	fill(rep, res, r.Options)
	kind := func(name string, k explore.Kind) string {
		for _, p := range lp.live {
			if p.name == name {
				return KindLiveness
			}
		}
		return k.String()
	}
	if v := res.Violation; v != nil {
		rep.Kind = kind(v.Property, v.Kind)
	}
	var lanes []string
	for i := range l.m.Protocol().Nodes() {
		lanes = append(lanes, fmt.Sprintf("n%d", i))
	}
	cfg := r.Model
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = modelTrace(l.m, header(rep, lanes, &cfg, nil), worldPath(v.Path))
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: kind(v.Property, v.Kind), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = modelTrace(l.m, header(rep, lanes, &cfg, &verdict), worldPath(v.Path))
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// worldPath projects a path of the lasso system onto the model's worlds,
// keeping the lasso's labels and edge ordinals (so the trace replays
// through the lasso system, loop mark included).
func worldPath[S, M any](p explore.Path[loopState[S, M], loopAction]) explore.Path[*model.World[S, M], model.Action] {
	out := explore.Path[*model.World[S, M], model.Action]{Init: p.Init.w, InitIndex: p.InitIndex}
	for _, st := range p.Steps {
		out.Steps = append(out.Steps, explore.PathStep[*model.World[S, M], model.Action]{
			Action: st.Action.a, Label: st.Label, State: st.State.w, Fault: st.Fault, Edge: st.Edge,
		})
	}
	return out
}
