package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// Register adds e to the catalog after Validate, and refuses a second
// protocol of the same name. The catalog's own protocols register in init
// functions, one line each: func init() { register(xEntry()) }.
func Register(e *Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if slices.ContainsFunc(entries, func(x *Entry) bool { return x.Name == e.Name }) {
		return fmt.Errorf("protocol %q: registered twice (protocol names are unique)", e.Name)
	}
	entries = append(entries, e)
	return nil
}

// register adds one of the catalog's own protocols: a declaration that
// does not validate is a bug of the catalog, and stops the program at
// its start.
func register(e *Entry) {
	if err := Register(e); err != nil {
		panic("catalog: " + err.Error())
	}
}

// namePattern is what a protocol's, parameter's, property's or mutant's
// name looks like: it is written on the command line and in file names.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// reservedParams are the flags Apply reads as system-model or search
// settings (DefaultModel, Mutant.Shows, classics): a parameter of the
// same name could never be set there.
var reservedParams = []string{"mutant", "strategy", "seed", "max-depth", "walks", "timeout",
	"crash-mid-step", "partial-sync", "byzantine", "network", "crash-mode", "drops", "dups", "crashes"}

// Validate reports the first mistake in e's declaration, naming the
// protocol and the field: a name the command line cannot carry, a
// parameter declared twice or whose default lies outside its range, a
// mutant that breaks no property of e, a default model that does not
// parse, an entry with nothing to check.
func (e *Entry) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("protocol %q: %s", e.Name, fmt.Sprintf(format, a...))
	}
	if !namePattern.MatchString(e.Name) {
		return fmt.Errorf("protocol name %q: want lower-case letters, digits and '-', starting with a letter", e.Name)
	}
	if e.check == nil || e.replay == nil {
		return bad("nothing to check: build the entry with NodeProtocol.Entry (or cli.Declare)")
	}
	seen := map[string]bool{}
	for _, p := range e.Params {
		switch {
		case !namePattern.MatchString(p.Name):
			return bad("parameter %q: want lower-case letters, digits and '-', starting with a letter", p.Name)
		case seen[p.Name]:
			return bad("parameter %q declared twice", p.Name)
		case slices.Contains(reservedParams, p.Name):
			return bad("parameter %q: -%s is a system-model or search flag", p.Name, p.Name)
		}
		seen[p.Name] = true
		if len(p.Choices) > 0 {
			names := map[string]bool{}
			for _, c := range p.Choices {
				if c == "" || names[c] {
					return bad("parameter %q: choice %q is empty or repeated", p.Name, c)
				}
				names[c] = true
			}
			if p.Default < 0 || p.Default >= len(p.Choices) {
				return bad("parameter %q: default %d is not the index of a choice (%s)", p.Name, p.Default, p.Range())
			}
			continue
		}
		switch {
		case p.Min > p.Max:
			return bad("parameter %q: range %d..%d is empty", p.Name, p.Min, p.Max)
		case p.Default < p.Min || p.Default > p.Max:
			return bad("parameter %q: default %d is out of its range %s", p.Name, p.Default, p.Range())
		}
	}
	props := map[string]bool{}
	for _, p := range e.Properties {
		if p.Name == "" || props[p.Name] {
			return bad("property %q: empty or declared twice", p.Name)
		}
		props[p.Name] = true
	}
	mutants := map[string]bool{}
	for _, m := range e.Mutants {
		switch {
		case !namePattern.MatchString(m.Name):
			return bad("mutant %q: want lower-case letters, digits and '-', starting with a letter", m.Name)
		case mutants[m.Name]:
			return bad("mutant %q declared twice", m.Name)
		case m.Breaks != "" && !props[m.Breaks]:
			return bad("mutant %q breaks %q, which is not one of its properties", m.Name, m.Breaks)
		}
		mutants[m.Name] = true
	}
	if e.DefaultModel != "" {
		if !e.UsesModel {
			return bad("a default model, but the protocol runs under no system model")
		}
		if _, err := e.DefaultRun(); err != nil {
			return err
		}
	}
	return nil
}

// NodeProtocol is how to check a protocol that runs under a system model
// (package model): how to build it from the catalog's parameters, and its
// properties. Entry turns it into a catalog entry whose check, replay and
// traces work as the catalog's own protocols' do.
type NodeProtocol[S, M any] struct {
	// Build makes the protocol and its workload from resolved parameters
	// (every declared parameter present, in range) and a mutant's name
	// ("" for none, else one of the entry's Mutants).
	Build func(params map[string]int, mutant string) (spec.Protocol[S, M], []spec.WorkItem[M], error)
	// Properties are checked on every run, in this order.
	Properties []spec.Property[S, M]
	// Unreachable, if set, names the sometimes properties that no run with
	// these parameters and system model can reach, each with the reason:
	// a run leaves them out, and says why, rather than failing on them.
	Unreachable func(params map[string]int, m model.Config) map[string]string

	_ struct{}
}

// Entry returns e (its name, parameters, mutants, default model) made
// checkable: its properties listed from p's, its check and replay p's.
// Register or cli.Declare validates it.
func (p NodeProtocol[S, M]) Entry(e Entry) (*Entry, error) {
	if p.Build == nil {
		return nil, fmt.Errorf("protocol %q: no Build: nothing makes the protocol (its Step) from the parameters", e.Name)
	}
	names := map[string]bool{}
	for _, q := range p.Properties {
		if err := checkProperty(q); err != nil {
			return nil, fmt.Errorf("protocol %q: %v", e.Name, err)
		}
		if names[q.Name] {
			return nil, fmt.Errorf("protocol %q: property %q declared twice", e.Name, q.Name)
		}
		names[q.Name] = true
	}
	e.Properties = nil
	return nodeProtocol[S, M]{build: p.Build, props: p.Properties, vacuous: p.Unreachable}.install(&e), nil
}

// checkProperty says what is wrong with a property's declaration: a name
// the command line cannot carry, an unknown kind, or not exactly the
// function its kind evaluates.
func checkProperty[S, M any](q spec.Property[S, M]) error {
	if !namePattern.MatchString(q.Name) {
		return fmt.Errorf("property %q: want lower-case letters, digits and '-', starting with a letter", q.Name)
	}
	set := 0
	for _, f := range []bool{q.State != nil, q.Step != nil, q.NodeStep != nil, q.Reach != nil, q.Trigger != nil} {
		if f {
			set++
		}
	}
	var want bool
	switch q.Kind {
	case spec.Always, spec.AtQuiescence, spec.Eventually, spec.EventuallyAlways:
		want = q.State != nil && set == 1
	case spec.OnTransition:
		want = (q.Step != nil || q.NodeStep != nil) && set == 1
	case spec.Sometimes:
		want = q.Reach != nil && set == 1
	case spec.LeadsTo:
		want = q.State != nil && q.Trigger != nil && set == 2
	default:
		return fmt.Errorf("property %q: unknown kind %v", q.Name, q.Kind)
	}
	if !want {
		return fmt.Errorf("property %q (%s): set exactly its kind's functions (State for always, at-quiescence, eventually and eventually-always; Step or NodeStep for on-transition; Reach for sometimes; Trigger and State for leads-to)", q.Name, q.Kind)
	}
	return nil
}

// ModelTrace turns a path of m (a counterexample of explore.Check, or
// any path of the model) into a trace that traces' renderers draw and
// `modelcheck replay` re-executes: first each node's start, then one
// event per step, each receive linked to the event that sent its
// message, with every node's state after its step. head gives the header
// (protocol, parameters, mutant, violation); its format, version, nodes
// and system model are filled in when unset.
func ModelTrace[S, M any](m *model.Model[S, M], head traces.Trace, path explore.Path[*model.World[S, M], model.Action]) (*traces.Trace, error) {
	if m == nil {
		return nil, errors.New("ModelTrace: no model")
	}
	if path.Init == nil {
		return nil, errors.New("ModelTrace: the path has no initial world")
	}
	t := head
	t.Events = nil
	if t.Format == "" {
		t.Format, t.Version = traces.FormatName, traces.Version
	}
	if len(t.Nodes) == 0 {
		for i := range m.Protocol().Nodes() {
			t.Nodes = append(t.Nodes, fmt.Sprintf("n%d", i))
		}
	}
	if t.Model == nil {
		t.Model = traceModel(m.Config())
	}
	return modelTrace(m, &t, path), nil
}
