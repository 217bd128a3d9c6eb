package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/traces"
)

// RunJSON is a run's JSON form: the protocol, its parameters (numbers by
// name, choices by their names), the mutant, the system model and how the
// search went. Its fields are named as a trace's header names them, so a
// trace file is also a run in this form; modelcheck check -json reports
// it under "run", and modelcheck check -run FILE reads it back from a
// run, a report or a trace.
type RunJSON struct {
	Protocol string            `json:"protocol"`
	Params   map[string]int    `json:"params,omitempty"`
	Choices  map[string]string `json:"choices,omitempty"`
	Mutant   string            `json:"mutant,omitempty"`
	// Model is absent for a protocol written directly as a transition
	// system. Its Text is for people and is not read back.
	Model *traces.Model `json:"model,omitempty"`
	// Search is absent for a breadth-first search with no bound.
	Search *traces.Search `json:"search,omitempty"`
}

// RunJSON writes run r of e in its JSON form, with every parameter
// resolved (defaults and the mutant's settings included).
func (e *Entry) RunJSON(r Run) (RunJSON, error) {
	params, err := e.Resolve(r.Params, r.Mutant)
	if err != nil {
		return RunJSON{}, err
	}
	j := RunJSON{Protocol: e.Name, Mutant: r.Mutant, Search: traceSearch(r.Options, r.Symmetry)}
	j.Params, j.Choices = e.SplitChoices(params)
	if e.UsesModel {
		m := r.Model
		m.Symmetry = r.Symmetry
		j.Model = traceModel(m)
	}
	return j, nil
}

// traceSearch is a search's strategy and bounds as a trace's header
// writes them: nil for the default, a breadth-first search with no bound
// and no reduction.
func traceSearch(o explore.Options, symmetry bool) *traces.Search {
	s := &traces.Search{Strategy: o.Strategy.String(), Seed: o.Seed, Walks: o.Walks, MaxStates: o.MaxStates, MaxDepth: o.MaxDepth, Symmetry: symmetry}
	if o.Timeout != 0 {
		s.Timeout = o.Timeout.String()
	}
	if *s == (traces.Search{Strategy: explore.BFS.String()}) {
		return nil
	}
	return s
}

// RunFromJSON reads run j of e over e's default run. It is read as the
// flags that say the same (a parameter by number or choice name, each
// model setting, each search bound), so it is checked exactly as
// modelcheck check checks its command line; an unknown parameter or a
// protocol other than e is an error naming the field.
func (e *Entry) RunFromJSON(j RunJSON) (Run, error) {
	args, err := e.jsonArgs(j)
	if err != nil {
		return Run{}, fmt.Errorf("run: %w", err)
	}
	r, err := e.DefaultRun()
	if err != nil {
		return Run{}, err
	}
	if err := e.applyArgs(args, &r); err != nil {
		return Run{}, fmt.Errorf("run: %w", err)
	}
	if _, err := e.Resolve(r.Params, r.Mutant); err != nil {
		return Run{}, fmt.Errorf("run: %w", err)
	}
	return r, nil
}

// jsonArgs writes run j as flags for e.
func (e *Entry) jsonArgs(j RunJSON) ([]string, error) {
	if j.Protocol != e.Name {
		return nil, fmt.Errorf("field \"protocol\": %q, not %s", j.Protocol, e.Name)
	}
	var args []string
	add := func(name, value string) { args = append(args, "-"+name+"="+value) }
	for _, name := range sortedKeys(j.Params) {
		p, ok := e.param(name)
		if !ok {
			return nil, fmt.Errorf("field \"params\": %s has no parameter -%s", e.Name, name)
		}
		add(name, p.Format(j.Params[name])) // a choice's index, as older traces hold it, by name
	}
	for _, name := range sortedKeys(j.Choices) {
		if p, ok := e.param(name); !ok || len(p.Choices) == 0 {
			return nil, fmt.Errorf("field \"choices\": %s has no parameter -%s with named choices", e.Name, name)
		}
		add(name, j.Choices[name])
	}
	if j.Mutant != "" {
		add("mutant", j.Mutant)
	}
	if m := j.Model; m != nil {
		if !e.UsesModel {
			return nil, fmt.Errorf("field \"model\": %s is written directly as a transition system, with no network or node faults", e.Name)
		}
		add("network", m.Network)
		add("drops", strconv.Itoa(m.Drops))
		add("dups", strconv.Itoa(m.Dups))
		add("crashes", strconv.Itoa(m.Crashes))
		if m.Crashes > 0 {
			add("crash-mode", m.CrashMode)
		}
		if m.CrashMidStep {
			add("crash-mid-step", "true")
		}
		if m.Byzantine != 0 {
			add("byzantine", model.FormatNodeSet(m.Byzantine))
		}
		add("partial-sync", strconv.FormatBool(m.PartialSync))
	}
	symmetry := j.Model != nil && j.Model.Symmetry
	if s := j.Search; s != nil {
		add("strategy", s.Strategy)
		if s.Seed != 0 {
			add("seed", strconv.FormatUint(s.Seed, 10))
		}
		if s.Walks != 0 {
			add("walks", strconv.FormatInt(s.Walks, 10))
		}
		add("max-states", strconv.FormatInt(s.MaxStates, 10))
		add("max-depth", strconv.Itoa(s.MaxDepth))
		if s.Timeout != "" {
			add("timeout", s.Timeout)
		}
		symmetry = symmetry || s.Symmetry
	}
	add("symmetry", strconv.FormatBool(symmetry))
	return args, nil
}

// param is e's parameter called name.
func (e *Entry) param(name string) (Param, bool) {
	i := slices.IndexFunc(e.Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return e.Params[i], true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ReadRunJSON reads a run in its JSON form from data: a run object, a
// report of modelcheck check -json (its "run"), or a trace file (its
// header).
func ReadRunJSON(data []byte) (RunJSON, error) {
	var probe struct {
		Run    json.RawMessage `json:"run"`
		Format string          `json:"format"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return RunJSON{}, fmt.Errorf("not a run, a report or a trace in JSON: %v", err)
	}
	if len(probe.Run) > 0 {
		data = probe.Run
	}
	var j RunJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if probe.Format == "" && len(probe.Run) == 0 {
		// A bare run: a misspelt field is an error, not a default.
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&j); err != nil {
		return RunJSON{}, fmt.Errorf("run: %v", err)
	}
	if j.Protocol == "" {
		return RunJSON{}, errors.New("run: field \"protocol\" is missing")
	}
	return j, nil
}
