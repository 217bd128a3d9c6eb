package catalog

import (
	"fmt"
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
	Reason   string
}

// Replay re-executes a trace step by step against the spec it names (the
// protocol, its parameters and mutant, the system model), checking that
// each step is enabled and has the recorded label, then re-evaluates the
// violated property at the end.
func Replay(t *traces.Trace) (*Replayed, error) {
	if strings.HasPrefix(t.Bounds, RuntimeBounds) {
		return nil, fmt.Errorf("trace: a run of the runtime (%s), not a path of the checker: its steps carry no edges to follow; `modelcheck run` replays every run through Step itself, and -seed reproduces it", t.Bounds)
	}
	e, err := Lookup(t.Protocol)
	if err != nil {
		return nil, fmt.Errorf("trace: field \"protocol\": %w", err)
	}
	if _, err := e.Resolve(t.Params, t.Mutant); err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	if e.UsesModel != (t.Model != nil) {
		return nil, fmt.Errorf("trace: field \"model\": %s %s a system model", e.Name, map[bool]string{true: "needs", false: "has no"}[e.UsesModel])
	}
	return e.replay(t)
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
// number init and rechecks its property.
func replayPath[S, A any](sys explore.System[S, A], props []explore.Property[S, A], t *traces.Trace, init int) (*Replayed, error) {
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
	if t.Violation == nil {
		return out, nil
	}
	for _, p := range props {
		if p.Name != t.Violation.Property {
			continue
		}
		out.Property = p.Name
		if err := explore.Recheck(p, path); err != nil {
			out.Violated, out.Reason = true, err.Error()
		}
		return out, nil
	}
	return nil, fmt.Errorf("trace: field \"violation.property\": %s has no property %q", t.Protocol, t.Violation.Property)
}
