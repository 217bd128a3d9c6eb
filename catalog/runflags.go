package catalog

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
)

// RunFlags is the description of a run — the protocol's parameters, the
// mutant, the system model and the search's bounds — bound to a flag set.
// It is the one reading of those flags: modelcheck check binds it to its
// command line, and Apply to a string of flags (classics, mutant hints,
// default models, experiments), so a flag means the same everywhere.
type RunFlags struct {
	e  *Entry
	fs *flag.FlagSet

	network, crashMode, byzantine string
	drops, dups, crashes          int
	midStep, partial              bool
	mutant, strategy              string
	seed                          uint64
	walks, maxStates              int64
	maxDepth                      int
	timeout                       time.Duration
	symmetry                      bool
	params                        map[string]*ParamValue
}

// ModelFlags are the flags that set the system model.
var ModelFlags = []string{"network", "drops", "dups", "crashes", "crash-mode", "crash-mid-step", "byzantine", "partial-sync"}

// BindRun defines on fs every flag of a run of e: the system model, the
// mutant, the search's strategy and bounds, and each of e's parameters
// (a number, or a choice by name).
func (e *Entry) BindRun(fs *flag.FlagSet) *RunFlags {
	rf := &RunFlags{e: e, fs: fs, params: map[string]*ParamValue{}}
	fs.StringVar(&rf.network, "network", "unordered", "network: unordered or fifo (per-link order)")
	fs.IntVar(&rf.drops, "drops", 0, "messages the network may lose")
	fs.IntVar(&rf.dups, "dups", 0, "messages the network may duplicate")
	fs.IntVar(&rf.crashes, "crashes", 0, "node crashes that may happen")
	fs.StringVar(&rf.crashMode, "crash-mode", "stop", "what a crash does: stop (crash-stop) or recover (crash-recovery)")
	fs.BoolVar(&rf.midStep, "crash-mid-step", false, "a crash may also strike in the middle of a step, between two of its sends")
	fs.StringVar(&rf.byzantine, "byzantine", "", "byzantine nodes, e.g. 0 or 1,3: each sends any message of the protocol's domain")
	fs.BoolVar(&rf.partial, "partial-sync", false, "partial synchrony: after a stabilisation step, messages arrive before timeouts")
	fs.StringVar(&rf.mutant, "mutant", "", "check this known-buggy variant (see modelcheck list)")
	fs.StringVar(&rf.strategy, "strategy", "bfs", "bfs (shortest counterexamples), dfs, or random (simulation)")
	fs.Uint64Var(&rf.seed, "seed", 0, "seed of -strategy random (0: pick one and print it)")
	fs.Int64Var(&rf.walks, "walks", 0, "random walks to take (-strategy random; 0: until another bound)")
	fs.Int64Var(&rf.maxStates, "max-states", 0, "stop after this many distinct states (0: no bound)")
	fs.IntVar(&rf.maxDepth, "max-depth", 0, "explore at most this many steps from the start (0: no bound)")
	fs.DurationVar(&rf.timeout, "timeout", 0, "stop after this long, e.g. 30s (0: no bound)")
	fs.BoolVar(&rf.symmetry, "symmetry", false, "reduce by symmetry: store one state per orbit of the protocol's interchangeable nodes (see modelcheck list); counterexamples stay real executions")
	for _, p := range e.Params {
		v := NewParamValue(p)
		rf.params[p.Name] = v
		kind := "int"
		if len(p.Choices) > 0 {
			kind = "name"
		}
		// The back-quoted word names the value in -h output.
		fs.Var(v, p.Name, fmt.Sprintf("%s (`%s`, %s)", p.Doc, kind, p.Range()))
	}
	return rf
}

// ApplyTo writes the flags that were set into r, over what r holds, and
// checks the result for consistency: a setting out of its range, a crash
// mode without crashes, a seed without random walks, a system model for a
// protocol written without one, or symmetry for a protocol that declares
// none is an error naming the flag.
func (rf *RunFlags) ApplyTo(r *Run) error {
	e := rf.e
	set := map[string]bool{}
	rf.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !e.UsesModel {
		for _, name := range ModelFlags {
			if set[name] {
				return fmt.Errorf("-%s does not apply: %s is written directly as a transition system, with no network or node faults", name, e.Name)
			}
		}
	}
	if r.Params == nil {
		r.Params = map[string]int{}
	}
	var err error
	m, o := &r.Model, &r.Options
	for name := range set {
		switch name {
		case "network":
			m.Network, err = model.ParseNetwork(rf.network)
		case "crash-mode":
			m.CrashMode, err = model.ParseCrashMode(rf.crashMode)
		case "byzantine":
			m.Byzantine, err = model.ParseNodeSet(rf.byzantine)
		case "drops", "dups", "crashes":
			v := map[string]int{"drops": rf.drops, "dups": rf.dups, "crashes": rf.crashes}[name]
			if v < 0 || v > model.MaxBudget {
				return fmt.Errorf("-%s %d: want 0..%d", name, v, model.MaxBudget)
			}
			*map[string]*int{"drops": &m.Drops, "dups": &m.Dups, "crashes": &m.Crashes}[name] = v
		case "crash-mid-step":
			m.CrashMidStep = rf.midStep
		case "partial-sync":
			m.PartialSync = rf.partial
		case "mutant":
			r.Mutant = rf.mutant
		case "strategy":
			o.Strategy, err = explore.ParseStrategy(rf.strategy)
		case "seed":
			o.Seed = rf.seed
		case "walks":
			o.Walks = rf.walks
		case "max-states":
			o.MaxStates = rf.maxStates
		case "max-depth":
			o.MaxDepth = rf.maxDepth
		case "timeout":
			o.Timeout = rf.timeout
		case "symmetry":
			r.Symmetry = rf.symmetry
		default:
			if v, ok := rf.params[name]; ok {
				r.Params[name] = v.v
			}
		}
		if err != nil {
			return fmt.Errorf("-%s: %v", name, err)
		}
	}
	switch {
	case set["crash-mode"] && m.Crashes == 0:
		return errors.New("-crash-mode needs -crashes > 0")
	case m.CrashMidStep && m.Crashes == 0:
		return errors.New("-crash-mid-step needs -crashes > 0")
	case set["seed"] && o.Strategy != explore.Random:
		return errors.New("-seed applies only to -strategy random")
	case set["walks"] && o.Strategy != explore.Random:
		return errors.New("-walks applies only to -strategy random")
	case o.MaxStates < 0, o.MaxDepth < 0, o.Walks < 0, o.Timeout < 0:
		return errors.New("-max-states, -max-depth, -walks and -timeout must not be negative")
	case r.Symmetry && e.Symmetry == "":
		return fmt.Errorf("-symmetry: %s declares no interchangeable nodes", e.Name)
	}
	m.Symmetry = r.Symmetry && e.UsesModel
	return nil
}

// Apply sets what flags give ("-n 3 -w 1 -mutant read-lowest -crashes 1
// -crash-mode recover -crash-mid-step -strategy random -seed 1") over r,
// read exactly as modelcheck check reads its command line (BindRun).
func (e *Entry) Apply(flags string, r *Run) error {
	return e.applyArgs(strings.Fields(flags), r)
}

// applyArgs sets what the command-line arguments args give over r.
func (e *Entry) applyArgs(args []string, r *Run) error {
	fs := flag.NewFlagSet(e.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rf := e.BindRun(fs)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s %q: %v", e.Name, strings.Join(args, " "), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s %q: unexpected argument %q", e.Name, strings.Join(args, " "), fs.Arg(0))
	}
	return rf.ApplyTo(r)
}

// ParamValue is a protocol parameter as a flag.Value: a number, or one
// of its choices by name; it starts at the parameter's default.
type ParamValue struct {
	p Param
	v int
}

// NewParamValue is parameter p as a flag, at its default.
func NewParamValue(p Param) *ParamValue { return &ParamValue{p: p, v: p.Default} }

// Int is the parameter's value.
func (v *ParamValue) Int() int { return v.v }

// String is the value as a flag takes it (a choice by name).
func (v *ParamValue) String() string {
	if v == nil {
		return ""
	}
	return v.p.Format(v.v)
}

// Set reads a value as the flag takes it.
func (v *ParamValue) Set(s string) error {
	n, err := v.p.Parse(s)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "-"+v.p.Name+" "))
	}
	v.v = n
	return nil
}

// Flags writes run r as the flags that make it over e's default run (what
// modelcheck check takes after the protocol's name): each parameter that
// differs from its default, by choice name where it has choices; the
// mutant; each system-model setting that differs from the protocol's
// default model; the search's strategy and bounds. Apply(Flags(r)) over
// DefaultRun gives r back.
func (e *Entry) Flags(r Run) (string, error) {
	d, err := e.DefaultRun()
	if err != nil {
		return "", err
	}
	params, err := e.Resolve(r.Params, r.Mutant)
	if err != nil {
		return "", err
	}
	var f []string
	add := func(name, value string) { f = append(f, "-"+name, value) }
	for _, p := range e.Params {
		if v := params[p.Name]; v != p.Default {
			add(p.Name, p.Format(v))
		}
	}
	if r.Mutant != "" {
		add("mutant", r.Mutant)
	}
	m, dm := r.Model, d.Model
	if m.Network != dm.Network {
		add("network", m.Network.String())
	}
	for _, b := range []struct {
		name   string
		v, def int
	}{{"drops", m.Drops, dm.Drops}, {"dups", m.Dups, dm.Dups}, {"crashes", m.Crashes, dm.Crashes}} {
		if b.v != b.def {
			add(b.name, fmt.Sprint(b.v))
		}
	}
	if m.CrashMode != dm.CrashMode {
		add("crash-mode", m.CrashMode.String())
	}
	if m.CrashMidStep != dm.CrashMidStep {
		f = append(f, fmt.Sprintf("-crash-mid-step=%v", m.CrashMidStep))
	}
	if m.Byzantine != dm.Byzantine {
		if m.Byzantine == 0 {
			return "", fmt.Errorf("%s: no flag writes an empty -byzantine over a default model that has byzantine nodes", e.Name)
		}
		add("byzantine", model.FormatNodeSet(m.Byzantine))
	}
	if m.PartialSync != dm.PartialSync {
		f = append(f, fmt.Sprintf("-partial-sync=%v", m.PartialSync))
	}
	if r.Symmetry {
		f = append(f, "-symmetry")
	}
	o := r.Options
	if o.Strategy != explore.BFS {
		add("strategy", o.Strategy.String())
	}
	if o.Seed != 0 {
		add("seed", fmt.Sprint(o.Seed))
	}
	if o.Walks != 0 {
		add("walks", fmt.Sprint(o.Walks))
	}
	if o.MaxStates != 0 {
		add("max-states", fmt.Sprint(o.MaxStates))
	}
	if o.MaxDepth != 0 {
		add("max-depth", fmt.Sprint(o.MaxDepth))
	}
	if o.Timeout != 0 {
		add("timeout", o.Timeout.String())
	}
	return strings.Join(f, " "), nil
}
