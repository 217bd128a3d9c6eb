package catalog

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// Param is one parameter of a protocol, set on the command line by its
// name ("-n 5", "-algo causal"). Its value is an integer; with Choices it
// is the index of one of them, written by its name.
type Param struct {
	Name     string
	Doc      string
	Default  int
	Min, Max int
	Choices  []string
	// Fits, if set, checks the value against the other parameters (all
	// of them resolved) and says, in the command line's words, why it
	// does not fit: "-candidates 5 exceeds -n 3". Resolve calls it, so
	// check, run and replay reject a contradiction before any work.
	// Build it with atMost or onlyWith (fits.go).
	Fits func(v int, params map[string]int, mutant string) error
	// Why, if set, is appended to a range error: why the range stops
	// where it does.
	Why string
}

// Format writes a value of p: its name for a choice, else the number.
func (p Param) Format(v int) string {
	if len(p.Choices) > 0 && v >= 0 && v < len(p.Choices) {
		return p.Choices[v]
	}
	return strconv.Itoa(v)
}

// Parse reads a value of p: one of its choices by name, else a number.
func (p Param) Parse(s string) (int, error) {
	if len(p.Choices) > 0 {
		for i, c := range p.Choices {
			if c == s {
				return i, nil
			}
		}
		return 0, fmt.Errorf("-%s %q is not one of %s", p.Name, s, strings.Join(p.Choices, ", "))
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("-%s %q is not a number", p.Name, s)
	}
	return v, nil
}

// Range describes the values p takes: "1..7" or "one of a, b, c".
func (p Param) Range() string {
	if len(p.Choices) > 0 {
		return "one of " + strings.Join(p.Choices, ", ")
	}
	return fmt.Sprintf("%d..%d", p.Min, p.Max)
}

// PropertyInfo describes one property for listings.
type PropertyInfo struct {
	Name string
	Kind string
	Doc  string
}

// Entry is one checkable protocol.
type Entry struct {
	Name    string
	Summary string
	// Section is the course section it comes from.
	Section    string
	Params     []Param
	Mutants    []spec.Mutant
	Properties []PropertyInfo
	// UsesModel is false for a protocol written directly as a transition
	// system (twophase): network and fault options do not apply to it.
	UsesModel bool
	// DefaultModel are the system-model flags a check uses unless the user
	// sets them ("-network fifo -crashes 1 -crash-mode recover").
	DefaultModel string
	// Symmetry says which nodes are interchangeable, for -symmetry ("": the
	// protocol declares none).
	Symmetry string

	// check runs the checker and fills rep, whose header (protocol,
	// parameters, mutant) is already set.
	check func(r Run, rep *Report) error
	// replay re-executes t; rep is the header of the spec's execution.
	replay func(t *traces.Trace, rep *Report) (*Replayed, error)
}

// Run is one check request.
type Run struct {
	// Params by name; a missing one takes its default.
	Params  map[string]int
	Mutant  string
	Model   model.Config
	Options explore.Options
	// Symmetry: store one state per orbit of the entry's interchangeable
	// nodes (Entry.Symmetry must be set).
	Symmetry bool

	_ struct{}
}

// Report is what a check found, with everything needed to print it.
type Report struct {
	Protocol string
	Params   map[string]int
	// Settings are the parameters as written on the command line, in the
	// order the protocol declares them.
	Settings []Setting
	Mutant   string
	// numbers and choices are Params as a trace's header writes them.
	numbers map[string]int
	choices map[string]string
	// Run is the run checked, in its JSON form (nil for a replay).
	Run *RunJSON
	// MutantShows is the mutant's Shows: the settings that expose it when
	// the defaults do not.
	MutantShows string
	// MutantBeyond is the mutant's Beyond: why no bounded check reaches
	// it, and what shows it instead.
	MutantBeyond string
	// MutantBreaks is the property the mutant breaks.
	MutantBreaks string
	// ShowsHere: the run has every setting of MutantShows already.
	ShowsHere bool
	// Model describes the system model ("closed transition system" when the
	// protocol has none).
	Model string
	// Ghost is the ghost state the model kept.
	Ghost  string
	Bounds string

	Status   explore.Status
	Property string // the violated property
	Kind     string
	Reason   string
	Stopped  string // the bound that made the result incomplete
	Seed     uint64
	Stats    explore.Stats

	Sometimes []Reach
	// Trace is the counterexample (nil unless a property was violated on a
	// path).
	Trace *traces.Trace
	// Verdicts, when the run kept going after violations, gives every
	// safety property's outcome, in the protocol's order.
	Verdicts []Verdict
	// Checked names the properties the run evaluated, when a protocol
	// checks a selection of them (nil: all).
	Checked []string
	// Evaluated names every property the run evaluated, in the
	// protocol's order; Omitted every one it left out, with the reason
	// (not promised by these parameters, or unreachable by construction:
	// no crash allowed, no request). Together they are all the
	// protocol's properties, so a verdict says exactly what it covers.
	Evaluated []string
	Omitted   []Omission
}

// Omission is a property a run left out, and why.
type Omission struct {
	Property string
	Kind     string
	// Reason says why, and how to include it if a flag does: "not
	// promised by eager (reliable broadcast); -all to include".
	Reason string
}

// Omits reports whether the run left out the named property.
func (r *Report) Omits(property string) bool {
	return slices.ContainsFunc(r.Omitted, func(o Omission) bool { return o.Property == property })
}

// AllEvaluated reports whether the run evaluated every property of its
// protocol: only then does an OK mean that every property holds.
func (r *Report) AllEvaluated() bool { return len(r.Omitted) == 0 }

// MutantCaught says whether a check of a mutant caught it: true when a
// property is violated, false when the bounded space was exhausted with
// none violated (the mutant is NOT caught under these settings), and
// false for a run without a mutant or one a bound cut short (nothing is
// known).
func (r *Report) MutantCaught() bool { return r.Mutant != "" && r.Status == explore.Violated }

// Setting is one parameter's value, as the command line writes it.
type Setting struct {
	Name, Value string
}

// SplitChoices separates resolved parameters into the numeric ones and
// those with named choices, by the choice's name: how a trace's header
// writes them.
func (e *Entry) SplitChoices(params map[string]int) (map[string]int, map[string]string) {
	numbers, choices := map[string]int{}, map[string]string{}
	for name, v := range params {
		if p, ok := e.Param(name); ok && len(p.Choices) > 0 {
			choices[name] = p.Format(v)
		} else {
			numbers[name] = v
		}
	}
	if len(choices) == 0 {
		choices = nil
	}
	return numbers, choices
}

// traceParams reads a trace's parameters back: the numeric ones, and each
// named choice as its index (a trace from before Choices holds the index
// among Params).
func (e *Entry) traceParams(t *traces.Trace) (map[string]int, error) {
	params := maps.Clone(t.Params)
	if params == nil {
		params = map[string]int{}
	}
	for name, choice := range t.Choices {
		p, ok := e.Param(name)
		if !ok || len(p.Choices) == 0 {
			return nil, fmt.Errorf("field \"choices\": %s has no parameter -%s with named choices", e.Name, name)
		}
		v, err := p.Parse(choice)
		if err != nil {
			return nil, fmt.Errorf("field \"choices\": %v", err)
		}
		params[name] = v
	}
	return params, nil
}

// Text writes settings as "n=3 algo=causal".
func SettingsText(s []Setting) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = x.Name + "=" + x.Value
	}
	return strings.Join(parts, " ")
}

// Verdict is one property's outcome in a run that kept going.
type Verdict struct {
	Property string
	Kind     string
	// Violated: Trace is the shortest counterexample (under BFS).
	Violated bool
	Reason   string
	Trace    *traces.Trace
}

// Reach says whether a sometimes property was reached, and in how many steps.
type Reach struct {
	Property string
	Reached  bool
	Steps    int
}

// entries holds every protocol; each protocol's file registers its entry
// in an init function (register.go).
var entries []*Entry

// All returns every protocol, by name.
func All() []*Entry {
	out := slices.Clone(entries)
	slices.SortFunc(out, func(a, b *Entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Lookup finds a protocol by name.
func Lookup(name string) (*Entry, error) {
	for _, e := range entries {
		if e.Name == name {
			return e, nil
		}
	}
	var names []string
	for _, e := range All() {
		names = append(names, e.Name)
	}
	return nil, fmt.Errorf("unknown protocol %q (known: %s)", name, strings.Join(names, ", "))
}

// Param returns the named parameter.
func (e *Entry) Param(name string) (Param, bool) {
	for _, p := range e.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Resolve fills in defaults and checks every parameter's range and name,
// and the mutant's name.
func (e *Entry) Resolve(params map[string]int, mutant string) (map[string]int, error) {
	out := make(map[string]int, len(e.Params))
	for name := range params {
		if _, ok := e.Param(name); !ok {
			return nil, fmt.Errorf("%s has no parameter %q", e.Name, name)
		}
	}
	for _, p := range e.Params {
		v, ok := params[p.Name]
		if !ok {
			v = p.Default
		}
		if len(p.Choices) > 0 && (v < 0 || v >= len(p.Choices)) {
			return nil, fmt.Errorf("%s: -%s %d is not a choice (%s)", e.Name, p.Name, v, p.Range())
		}
		if len(p.Choices) == 0 && (v < p.Min || v > p.Max) {
			why := ""
			if p.Why != "" {
				why = " (" + p.Why + ")"
			}
			return nil, fmt.Errorf("%s: -%s %d is out of range %s%s", e.Name, p.Name, v, p.Range(), why)
		}
		out[p.Name] = v
	}
	if mutant != "" && !slices.ContainsFunc(e.Mutants, func(m spec.Mutant) bool { return m.Name == mutant }) {
		var names []string
		for _, m := range e.Mutants {
			names = append(names, m.Name)
		}
		return nil, fmt.Errorf("%s has no mutant %q (known: %s)", e.Name, mutant, strings.Join(names, ", "))
	}
	for _, p := range e.Params {
		if p.Fits == nil {
			continue
		}
		if err := p.Fits(out[p.Name], out, mutant); err != nil {
			return nil, fmt.Errorf("%s: %v", e.Name, err)
		}
	}
	return out, nil
}

// Check runs the checker on the protocol.
func (e *Entry) Check(r Run) (*Report, error) {
	params, err := e.Resolve(r.Params, r.Mutant)
	if err != nil {
		return nil, err
	}
	r.Params = params
	if !e.UsesModel && r.Model != (model.Config{}) {
		return nil, fmt.Errorf("%s is written directly as a transition system: network and fault options do not apply", e.Name)
	}
	rep := &Report{Protocol: e.Name, Params: params, Mutant: r.Mutant}
	run, err := e.RunJSON(r)
	if err != nil {
		return nil, err
	}
	rep.Run = &run
	for _, p := range e.Params {
		rep.Settings = append(rep.Settings, Setting{p.Name, p.Format(params[p.Name])})
	}
	rep.numbers, rep.choices = e.SplitChoices(params)
	for _, m := range e.Mutants {
		if m.Name == r.Mutant {
			rep.MutantShows, rep.MutantBeyond, rep.MutantBreaks = m.Shows, m.Beyond, m.Breaks
			rep.ShowsHere = m.Shows != "" && e.hasSettings(m.Shows, r)
		}
	}
	if err := e.check(r, rep); err != nil {
		return nil, err
	}
	for _, p := range e.Properties {
		if !rep.Omits(p.Name) {
			rep.Evaluated = append(rep.Evaluated, p.Name)
		}
	}
	if r.Options.KeepGoing {
		// A property with no counterexample holds (up to any bound).
		violated := map[string]Verdict{}
		for _, v := range rep.Verdicts {
			violated[v.Property] = v
		}
		rep.Verdicts = rep.Verdicts[:0]
		for _, p := range e.Properties {
			if p.Kind == "sometimes" || (rep.Checked != nil && !slices.Contains(rep.Checked, p.Name)) {
				continue
			}
			v, ok := violated[p.Name]
			if !ok {
				v = Verdict{Property: p.Name, Kind: p.Kind}
			}
			rep.Verdicts = append(rep.Verdicts, v)
		}
	}
	return rep, nil
}

// fill copies an explorer result into the report.
func fill[S, A any](rep *Report, res explore.Result[S, A], opts explore.Options) {
	rep.Status, rep.Stopped, rep.Seed, rep.Stats = res.Status, res.Stopped, res.Seed, res.Stats
	if v := res.Violation; v != nil {
		rep.Property, rep.Kind, rep.Reason = v.Property, v.Kind.String(), v.Reason
	}
	for _, w := range res.Sometimes {
		rep.Sometimes = append(rep.Sometimes, Reach{Property: w.Property, Reached: w.Reached, Steps: w.Path.Len()})
	}
	rep.Bounds = fmt.Sprintf("%s, workers %d", opts.Bounds(), res.Stats.Workers)
}

// header starts a trace for a report, for the violation v (nil: the
// report's own).
func header(rep *Report, nodes []string, m *model.Config, v *Verdict) *traces.Trace {
	t := &traces.Trace{
		Format:   traces.FormatName,
		Version:  traces.Version,
		Protocol: rep.Protocol,
		Params:   rep.numbers,
		Choices:  rep.choices,
		Settings: SettingsText(rep.Settings),
		Checked:  rep.Checked,
		Mutant:   rep.Mutant,
		Bounds:   rep.Bounds,
		Seed:     rep.Seed,
		Nodes:    nodes,
	}
	if rep.Run != nil {
		t.Search = rep.Run.Search
	}
	if m != nil {
		t.Model = traceModel(*m)
	}
	switch {
	case v != nil:
		t.Violation = &traces.Violation{Property: v.Property, Kind: v.Kind, Reason: v.Reason}
	case rep.Property != "":
		t.Violation = &traces.Violation{Property: rep.Property, Kind: rep.Kind, Reason: rep.Reason}
	}
	return t
}

// traceModel is a system model as a trace's header writes it.
func traceModel(m model.Config) *traces.Model {
	return &traces.Model{
		Network: m.Network.String(), Drops: m.Drops, Dups: m.Dups,
		Crashes: m.Crashes, CrashMode: m.CrashMode.String(), CrashMidStep: m.CrashMidStep,
		Byzantine: m.Byzantine, PartialSync: m.PartialSync, Symmetry: m.Symmetry, Text: m.String(),
	}
}
