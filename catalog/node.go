package catalog

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// nodeProtocol adapts a protocol that runs under model/ to an Entry.
type nodeProtocol[S, M any] struct {
	// build makes the protocol and its workload from resolved parameters.
	build func(params map[string]int, mutant string) (spec.Protocol[S, M], []spec.WorkItem[M], error)
	props []spec.Property[S, M]
	// propsOf, if set, gives the properties of a built protocol, for
	// protocols whose properties depend on their parameters (the kv
	// store's on its scenario); props then lists them for the catalog.
	propsOf func(spec.Protocol[S, M]) []spec.Property[S, M]
	// choose, if set, picks the properties a run checks (all of them when
	// nil; when the run keeps going to show every verdict, every safety
	// property and the chosen "sometimes" ones).
	choose func(params map[string]int) []string
	// leftOut, if set, says why choose left the property out of a run
	// with these parameters ("not promised by eager"); it is only asked
	// about properties choose did not pick.
	leftOut func(params map[string]int, p spec.Property[S, M]) string
	// vacuous, if set, names the "sometimes" properties a run cannot
	// reach by construction (a leader replaced after a crash, with no
	// crash allowed), each with the reason: they are left out rather than
	// reported unreached.
	vacuous func(params map[string]int, m model.Config) map[string]string
}

// selected returns the properties a run checks, and those it leaves out
// with the reason, in the protocol's order.
func (np nodeProtocol[S, M]) selected(params map[string]int, m model.Config, keepGoing bool) ([]spec.Property[S, M], []Omission) {
	chosen := np.chosen(params, keepGoing)
	var skip map[string]string
	if np.vacuous != nil {
		skip = np.vacuous(params, m)
	}
	var kept []spec.Property[S, M]
	var left []Omission
	for _, p := range np.props {
		picked := slices.ContainsFunc(chosen, func(c spec.Property[S, M]) bool { return c.Name == p.Name })
		why, unreachable := skip[p.Name]
		switch {
		case !picked:
			left = append(left, Omission{Property: p.Name, Kind: p.Kind.String(), Reason: np.why(params, p)})
		case unreachable && p.Kind == spec.Sometimes:
			left = append(left, Omission{Property: p.Name, Kind: p.Kind.String(), Reason: "cannot happen in this run: " + why})
		default:
			kept = append(kept, p)
		}
	}
	kept, lasso := withoutQuiescence(kept)
	return kept, append(left, lasso...)
}

// why says why choose left p out.
func (np nodeProtocol[S, M]) why(params map[string]int, p spec.Property[S, M]) string {
	if np.leftOut != nil {
		if why := np.leftOut(params, p); why != "" {
			return why
		}
	}
	if p.Kind == spec.Sometimes {
		return "not a witness of these parameters"
	}
	return "not evaluated with these parameters; -all to include"
}

func (np nodeProtocol[S, M]) chosen(params map[string]int, keepGoing bool) []spec.Property[S, M] {
	if np.choose == nil {
		return np.props
	}
	chosen := np.named(np.choose(params))
	if !keepGoing {
		return chosen
	}
	// Keeping going adds every property of states and steps, sometimes
	// ones only if chosen, and liveness ones only if one is chosen
	// (liveness asks for a check on lassos, a bigger search).
	lasso := hasLive(chosen)
	var out []spec.Property[S, M]
	for _, p := range np.props {
		if (p.Kind != spec.Sometimes && (!p.Kind.Live() || lasso)) || slices.ContainsFunc(chosen, func(c spec.Property[S, M]) bool { return c.Name == p.Name }) {
			out = append(out, p)
		}
	}
	return out
}

// named returns the properties with the given names, in np's order.
func (np nodeProtocol[S, M]) named(names []string) []spec.Property[S, M] {
	var out []spec.Property[S, M]
	for _, p := range np.props {
		if slices.Contains(names, p.Name) {
			out = append(out, p)
		}
	}
	return out
}

// install fills e's properties and its check and replay functions.
func (np nodeProtocol[S, M]) install(e *Entry) *Entry {
	e.UsesModel = true
	for _, p := range np.props {
		e.Properties = append(e.Properties, PropertyInfo{Name: p.Name, Kind: p.Kind.String(), Doc: p.Doc})
	}
	e.check = np.check
	e.replay = func(t *traces.Trace, rep *Report) (*Replayed, error) {
		cfg, err := modelConfig(t.Model)
		if err != nil {
			return nil, err
		}
		// The checked properties decide the ghost state, and with it which
		// steps are distinct: replay with exactly those.
		// A trace that names no properties checked them all, on no
		// lasso (a check on lassos names them).
		var props []spec.Property[S, M]
		for _, p := range np.props {
			if !p.Kind.Live() {
				props = append(props, p)
			}
		}
		if len(t.Checked) > 0 {
			props = np.named(t.Checked)
		}
		props, _ = withoutQuiescence(props)
		m, err := np.model(t.Params, t.Mutant, cfg, props)
		if err != nil {
			return nil, err
		}
		if hasLive(props) {
			return np.replayLasso(m, cfg, t, rep)
		}
		init, err := initIndex(m, t)
		if err != nil {
			return nil, err
		}
		var lanes []string
		for i := range m.Protocol().Nodes() {
			lanes = append(lanes, fmt.Sprintf("n%d", i))
		}
		return replayPath(m, m.Properties(), t, init, func(p explore.Path[*model.World[S, M], model.Action], v *Verdict) *traces.Trace {
			return modelTrace(m, header(rep, lanes, &cfg, v), p)
		})
	}
	return e
}

// initIndex finds the initial world of m a trace starts from. A model has
// one, unless crashes mid-step may cut the Start steps: each combination
// of cuts is an initial world of its own, told apart by what the trace's
// start events did (how many sends, whether the node crashed).
func initIndex[S, M any](m *model.Model[S, M], t *traces.Trace) (int, error) {
	inits := m.Init()
	if len(inits) == 1 {
		return 0, nil
	}
	type start struct {
		sends   int
		crashed bool
	}
	want := map[int]start{}
	for _, e := range t.Events {
		if e.Kind == traces.KindStart {
			want[e.Node] = start{len(e.Sends), e.Crashed}
		}
	}
	for k, w := range inits {
		match := true
		for i := range m.Protocol().Nodes() {
			outs, crashed := m.Start(w, spec.NodeID(i))
			got := start{crashed: crashed}
			for _, o := range outs {
				if o.Kind == spec.Send {
					got.sends++
				}
			}
			match = match && got == want[i]
		}
		if match {
			return k, nil
		}
	}
	return 0, fmt.Errorf("trace does not replay: its start events match no initial world of the model")
}

func (np nodeProtocol[S, M]) model(params map[string]int, mutant string, cfg model.Config, props []spec.Property[S, M]) (*model.Model[S, M], error) {
	proto, work, err := np.build(params, mutant)
	if err != nil {
		return nil, err
	}
	if np.propsOf != nil {
		// The same properties, bound to this protocol.
		var names []string
		for _, p := range props {
			names = append(names, p.Name)
		}
		props = nodeProtocol[S, M]{props: np.propsOf(proto)}.named(names)
	}
	return model.New(proto, cfg, work, props)
}

func (np nodeProtocol[S, M]) check(r Run, rep *Report) error {
	props, left := np.selected(r.Params, r.Model, r.Options.KeepGoing)
	rep.Omitted = left
	m, err := np.model(r.Params, r.Mutant, r.Model, props)
	if err != nil {
		return err
	}
	// A check on lassos always names what it checked, so that its traces
	// replay through a lasso system.
	if len(props) < len(np.props) || hasLive(props) {
		for _, p := range props {
			rep.Checked = append(rep.Checked, p.Name)
		}
	}
	if hasLive(props) {
		return np.checkLasso(m, r, rep)
	}
	res, err := explore.Check[*model.World[S, M], model.Action](m, m.Properties(), r.Options)
	if err != nil {
		return err
	}
	rep.Model, rep.Ghost = r.Model.String(), m.Ghost()
	fill(rep, res, r.Options)
	// Lanes are named as the checker's labels name nodes.
	var lanes []string
	for i := range m.Protocol().Nodes() {
		lanes = append(lanes, fmt.Sprintf("n%d", i))
	}
	cfg := r.Model
	if v := res.Violation; v != nil && v.Path.Len() > 0 {
		rep.Trace = modelTrace(m, header(rep, lanes, &cfg, nil), v.Path)
	}
	for _, v := range res.Violations {
		verdict := Verdict{Property: v.Property, Kind: v.Kind.String(), Violated: true, Reason: v.Reason}
		if v.Path.Len() > 0 {
			verdict.Trace = modelTrace(m, header(rep, lanes, &cfg, &verdict), v.Path)
		}
		rep.Verdicts = append(rep.Verdicts, verdict)
	}
	return nil
}

// modelTrace turns a path of the model into trace events: first each node's
// start, then one event per step, each receive linked to the event that
// sent its message.
func modelTrace[S, M any](m *model.Model[S, M], t *traces.Trace, path explore.Path[*model.World[S, M], model.Action]) *traces.Trace {
	proto := m.Protocol()
	type inFlight struct {
		from, to spec.NodeID
		msg      string // canonical encoding
		cause    int
	}
	var net []inFlight
	enc := func(msg M) string { return string(proto.AppendMsg(nil, msg)) }
	// take finds the oldest message in flight from→to with this content and
	// returns the event that sent it, removing it unless keep is set.
	take := func(from, to spec.NodeID, msg M, keep bool) int {
		key := enc(msg)
		for i, f := range net {
			if f.from == from && f.to == to && f.msg == key {
				if !keep {
					net = append(net[:i:i], net[i+1:]...)
				}
				return f.cause
			}
		}
		return -1
	}
	effects := func(e *traces.Event, node spec.NodeID, outs []spec.Output[M]) {
		for _, o := range outs {
			switch o.Kind {
			case spec.Send:
				e.Sends = append(e.Sends, traces.Send{To: int(o.To), Message: proto.FormatMsg(o.Msg)})
				net = append(net, inFlight{from: node, to: o.To, msg: enc(o.Msg), cause: e.ID})
			case spec.SetTimer:
				e.Timers = append(e.Timers, "+"+proto.TimerName(o.Timer))
			case spec.CancelTimer:
				e.Timers = append(e.Timers, "-"+proto.TimerName(o.Timer))
			case spec.Observe:
				e.Observations = append(e.Observations, proto.FormatMsg(o.Msg))
			}
		}
	}
	for i := range proto.Nodes() {
		id := spec.NodeID(i)
		e := traces.Event{ID: len(t.Events), Kind: traces.KindStart, Node: i, Peer: -1, Cause: -1, State: proto.FormatState(path.Init.State(id))}
		outs, crashed := m.Start(path.Init, id) // cut short in some initial worlds
		effects(&e, id, outs)
		e.Crashed = crashed
		t.Events = append(t.Events, e)
	}
	prev := path.Init
	for k, st := range path.Steps {
		info := m.Explain(prev, st.Action)
		e := traces.Event{
			ID: len(t.Events), Step: k + 1, Action: st.Label, Edge: st.Edge,
			Node: int(info.Node), Peer: int(info.Peer), Cause: -1, Fault: st.Fault,
		}
		if info.HasMsg {
			e.Message = proto.FormatMsg(info.Msg)
		}
		switch info.Kind {
		case model.Deliver:
			e.Kind = traces.KindReceive
			if info.Lost {
				e.Kind = traces.KindLost
			}
			e.Cause = take(info.Peer, info.Node, info.Msg, false)
		case model.Drop:
			e.Kind = traces.KindDrop
			e.Cause = take(info.Peer, info.Node, info.Msg, false)
		case model.Duplicate:
			e.Kind = traces.KindDuplicate
			e.Cause = take(info.Peer, info.Node, info.Msg, true)
			net = append(net, inFlight{from: info.Peer, to: info.Node, msg: enc(info.Msg), cause: e.Cause})
		case model.Fire:
			e.Kind = traces.KindTimer
			e.Message = proto.TimerName(spec.Timer(st.Action.Index))
		case model.Issue:
			e.Kind = traces.KindRequest
		case model.Choose:
			e.Kind = traces.KindChoose
		case model.Forge:
			e.Kind = traces.KindForge
		case model.Stabilize:
			e.Kind = traces.KindStabilize
		case model.Recover:
			e.Kind = traces.KindRecover
		case model.Crash:
			e.Kind = traces.KindCrash
		}
		effects(&e, info.Node, info.Outputs)
		e.Crashed = info.Crashed
		if info.Node >= 0 && e.Kind != traces.KindDrop && e.Kind != traces.KindDuplicate && e.Kind != traces.KindLost && e.Kind != traces.KindForge {
			e.State = proto.FormatState(st.State.State(info.Node))
		}
		t.Events = append(t.Events, e)
		prev = st.State
	}
	t.Stamp()
	return t
}
