package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/traces"
)

// Replayed is the outcome of replaying a trace against the spec.
type Replayed struct {
	Steps int
	// Violated is set when the trace's property fails at its end again.
	Violated bool
	Property string
	// Reason is the spec's reason for the violation, or, when the
	// property was not evaluated at the end, why.
	Reason string
	// Trace is the spec's own execution of the trace's steps: the header
	// made from the parameters replayed (not from the file's free text),
	// every state and effect as the spec gives it now, and the violation
	// only if the spec violates the property again.
	Trace *traces.Trace
	// Differences lists, one line per event, where the recorded trace
	// differs from the spec's execution (states, effects, header): the
	// file was edited, or the spec changed.
	Differences []string
}

// Replay re-executes a trace step by step against the spec it names (the
// protocol, its parameters and mutant, the system model), checking that
// each step is enabled and has the recorded label, rebuilds the execution
// from the spec's own states, compares it with the recorded one, and
// re-evaluates the violated property at the end.
//
// A counterexample ends at its violation: a trace without steps, or one
// whose recorded states are all the spec's but whose property holds at
// its last step, was cut short or edited, and is refused. When the
// property holds and the states differ, the spec changed (or the bug was
// fixed), and Differences says where.
func Replay(t *traces.Trace) (*Replayed, error) {
	if strings.HasPrefix(t.Bounds, RuntimeBounds) {
		return nil, runtimeTrace(t)
	}
	e, err := Lookup(t.Protocol)
	if err != nil {
		return nil, fmt.Errorf("trace: field \"protocol\": %w", err)
	}
	return e.Replay(t)
}

func runtimeTrace(t *traces.Trace) error {
	return fmt.Errorf("trace: a run of the runtime (%s), not a path of the checker: its steps carry no edges to follow; `modelcheck run` replays every run through Step itself, and -seed reproduces it", t.Bounds)
}

// Replay re-executes t against e, as the package's Replay does for the
// protocol a trace names; t must name e.
func (e *Entry) Replay(t *traces.Trace) (*Replayed, error) {
	if strings.HasPrefix(t.Bounds, RuntimeBounds) {
		return nil, runtimeTrace(t)
	}
	if t.Protocol != e.Name {
		return nil, fmt.Errorf("trace: field \"protocol\": %q, not %s", t.Protocol, e.Name)
	}
	given, err := e.traceParams(t)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	params, err := e.Resolve(given, t.Mutant)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	// The spec reads every parameter by number, named choices included.
	resolved := *t
	resolved.Params, resolved.Choices = params, nil
	t = &resolved
	if e.UsesModel != (t.Model != nil) {
		return nil, fmt.Errorf("trace: field \"model\": %s %s a system model", e.Name, map[bool]string{true: "needs", false: "has no"}[e.UsesModel])
	}
	if len(t.Steps()) == 0 {
		return nil, fmt.Errorf("trace: no steps (%d events): nothing to replay; a counterexample ends at its violation, so this one was cut short or emptied", len(t.Events))
	}
	out, err := e.replay(t, replayReport(e, t, params))
	if err != nil {
		return nil, err
	}
	if out.Violated {
		for _, p := range e.Properties {
			if p.Name == out.Property {
				out.Trace.Violation.Kind = p.Kind
			}
		}
	}
	out.Differences = differences(t, out.Trace)
	if t.Violation != nil && !out.Violated && len(out.Differences) == 0 {
		return nil, fmt.Errorf("trace: %s is not violated at the last step (%d), though every recorded state and effect is the spec's: the trace was cut short or its ending edited (a counterexample ends at its violation)", t.Violation.Property, out.Steps)
	}
	return out, nil
}

// replayReport is the header of the spec's execution of t: the protocol,
// the parameters resolved and written as the command line writes them,
// the mutant and the properties checked, whatever the file's free text
// says.
func replayReport(e *Entry, t *traces.Trace, params map[string]int) *Report {
	rep := &Report{Protocol: e.Name, Params: params, Mutant: t.Mutant, Checked: t.Checked, Bounds: t.Bounds, Seed: t.Seed}
	for _, p := range e.Params {
		rep.Settings = append(rep.Settings, Setting{p.Name, p.Format(params[p.Name])})
	}
	rep.numbers, rep.choices = e.SplitChoices(params)
	return rep
}

// RuntimeBounds begins the bounds field of a trace the runtime recorded
// (impl writes "runtime run of …").
const RuntimeBounds = "runtime run"

// modelConfig turns a trace's model back into a model.Config.
func modelConfig(m *traces.Model) (model.Config, error) {
	net, err := model.ParseNetwork(m.Network)
	if err != nil {
		return model.Config{}, fmt.Errorf("trace: field \"model.network\": %w", err)
	}
	mode, err := model.ParseCrashMode(m.CrashMode)
	if err != nil {
		return model.Config{}, fmt.Errorf("trace: field \"model.crash_mode\": %w", err)
	}
	return model.Config{Network: net, Drops: m.Drops, Dups: m.Dups, Crashes: m.Crashes, CrashMode: mode, CrashMidStep: m.CrashMidStep,
		Byzantine: m.Byzantine, PartialSync: m.PartialSync}, nil
}

// replayPath follows the trace's steps through sys from its initial state
// number init, rechecks its property at the end, and draws the spec's
// execution with draw (given the violation found again, or nil).
func replayPath[S, A any](sys explore.System[S, A], props []explore.Property[S, A], t *traces.Trace, init int,
	draw func(explore.Path[S, A], *Verdict) *traces.Trace) (*Replayed, error) {
	steps := t.Steps()
	chain := []uint32{uint32(init)}
	for _, e := range steps {
		chain = append(chain, uint32(e.Edge))
	}
	path, err := explore.Replay(sys, chain)
	if err != nil {
		return nil, fmt.Errorf("trace does not replay: %w", err)
	}
	for i, st := range path.Steps {
		if st.Label != steps[i].Action {
			return nil, fmt.Errorf("trace does not replay: step %d is %q in the trace, but edge %d of the spec is %q", i+1, steps[i].Action, steps[i].Edge, st.Label)
		}
	}
	out := &Replayed{Steps: len(path.Steps)}
	var again *Verdict
	if t.Violation != nil {
		i := slices.IndexFunc(props, func(p explore.Property[S, A]) bool { return p.Name == t.Violation.Property })
		if i < 0 {
			return nil, fmt.Errorf("trace: field \"violation.property\": %s has no property %q", t.Protocol, t.Violation.Property)
		}
		p := props[i]
		out.Property = p.Name
		switch err := explore.Recheck(sys, p, path); {
		case errors.Is(err, explore.ErrNotQuiescent):
			out.Reason = "the last state is not quiescent, and an at-quiescence property is evaluated only there"
		case err != nil:
			out.Violated, out.Reason = true, err.Error()
			again = &Verdict{Property: p.Name, Kind: p.Kind.String(), Violated: true, Reason: out.Reason}
		}
	}
	out.Trace = draw(path, again)
	return out, nil
}
