package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/traces"
)

// An Experiment is a course result written as data: tables whose rows
// and columns name checks (a protocol and its flags) and the property each
// cell reads, with the verdict the course expects of each. One generic
// runner checks them and one command draws them (modelcheck table); a
// verdict that contradicts its expectation is a bug in a protocol or the
// checker, not a lesson, and makes the command fail.
type Experiment struct {
	// Name is the command-line name (modelcheck table NAME).
	Name string
	// Summary is one line for the list of experiments.
	Summary string
	Tables  []Table
}

// A Table is rows of cells under named columns.
type Table struct {
	// Title and Doc introduce the table (Doc is wrapped when drawn).
	Title, Doc string
	// Corner heads the label column; Info heads the rows' extra text
	// columns (Row.Info), drawn between the label and the cells.
	Corner  string
	Info    []string
	Columns []string
	Rows    []Row
	// Conclusion is what the table shows, printed only when every cell
	// met its expectation and no bound cut a check short.
	Conclusion string
	// Example is a command a reader can run to see one counterexample.
	Example string
}

// A Row is one line of a table.
type Row struct {
	Label string
	Info  []string
	Cells []Probe
	// SomeBreaks is a claim on the row as a whole: at least one of its
	// cells finds a counterexample (the course says "under every tie
	// rule a traitor wins", not where).
	SomeBreaks bool
}

// Expect is the verdict the course gives one cell.
type Expect uint8

const (
	// Unjudged cells are drawn, never judged: the course says nothing.
	Unjudged Expect = iota
	// Holds: the property holds in the whole bounded space.
	Holds
	// Breaks: the checker finds a counterexample.
	Breaks
)

// String is the mark of an expectation: ✓, ✗ or ·.
func (x Expect) String() string {
	switch x {
	case Holds:
		return "✓"
	case Breaks:
		return "✗"
	}
	return "·"
}

// A Probe is one cell: the check that decides it and the property it
// reads.
type Probe struct {
	Protocol string
	// Flags are the check's settings, as modelcheck check takes them.
	Flags string
	// Property is the property the cell reads; empty means every
	// property the check evaluates (the cell shows the shortest
	// violation, naming its property).
	Property string
	Expect   Expect
	// Promised marks a verdict the theory promises (drawn with *), such
	// as a property an algorithm's level guarantees under the system
	// model it assumes.
	Promised bool
}

// Command is the modelcheck command line that repeats the probe's check.
func (p Probe) Command() string {
	return strings.TrimSpace("modelcheck check " + p.Protocol + " " + p.Flags)
}

// Finding is what a check says of one cell.
type Finding uint8

const (
	// Held: the bounded space was exhausted and the property held.
	Held Finding = iota + 1
	// Broken: a counterexample was found.
	Broken
	// Undecided: a bound stopped the check first.
	Undecided
	// NotEvaluated: the check left the cell's property out (a table bug).
	NotEvaluated
)

// String names a finding as JSON and text show it.
func (v Finding) String() string {
	switch v {
	case Held:
		return "held"
	case Broken:
		return "violated"
	case Undecided:
		return "undecided"
	case NotEvaluated:
		return "not evaluated"
	}
	return "?"
}

// An Outcome is one cell's verdict.
type Outcome struct {
	Probe
	Finding Finding
	// Broken names the violated property (the cell's, or for a cell of
	// every property the one with the shortest counterexample), Reason
	// says why, Trace is the counterexample.
	Broken string
	Reason string
	Trace  *traces.Trace
	// Met: the verdict is the expected one (true for an unjudged cell
	// the check decided).
	Met bool
	// Check is the report of the cell's check, shared by every cell that
	// reads the same check.
	Check *Report
}

// Steps is the length of the cell's counterexample (0 without one).
func (o Outcome) Steps() int {
	if o.Trace == nil {
		return 0
	}
	return len(o.Trace.Steps())
}

// TableResult is a table with every cell decided.
type TableResult struct {
	Table
	Rows [][]Outcome
	// Checks are the distinct checks behind the table, in the order their
	// cells first appear.
	Checks []CheckedProbe
	// Conclusion is the table's, set only when every expectation was met
	// and nothing was undecided.
	Conclusion string
}

// CheckedProbe is one distinct check behind a table and its report.
type CheckedProbe struct {
	Protocol, Flags string
	Report          *Report
}

// Command is the modelcheck command line that repeats the check.
func (c CheckedProbe) Command() string {
	return Probe{Protocol: c.Protocol, Flags: c.Flags}.Command()
}

// ExperimentResult is an experiment checked.
type ExperimentResult struct {
	Experiment
	Tables []TableResult
	// Bugs are verdicts that contradict the course, and checks that
	// prove a cell while their good paths never happen.
	Bugs []string
	// Undecided names the checks a bound stopped.
	Undecided []string
}

var experiments []Experiment

// Experiments lists the course's experiments, in the order registered.
func Experiments() []Experiment { return slices.Clone(experiments) }

// LookupExperiment finds an experiment by name.
func LookupExperiment(name string) (Experiment, error) {
	var names []string
	for _, x := range experiments {
		if x.Name == name {
			return x, nil
		}
		names = append(names, x.Name)
	}
	return Experiment{}, fmt.Errorf("unknown experiment %q (have %s)", name, strings.Join(names, ", "))
}

// registerExperiment adds x to the list; it is validated when checked (in
// init, the protocols it names may not be registered yet).
func registerExperiment(x Experiment) {
	experiments = append(experiments, x)
}

// Validate checks an experiment before any search: every probe names a
// registered protocol with flags it accepts and a property it declares,
// and every row has a cell per column.
func (x Experiment) Validate() error {
	if x.Name == "" || len(x.Tables) == 0 {
		return errors.New("experiment: a name and at least one table")
	}
	for _, t := range x.Tables {
		for _, r := range t.Rows {
			if len(r.Cells) != len(t.Columns) || len(r.Info) != len(t.Info) {
				return fmt.Errorf("experiment %s, %q row %q: %d cells and %d infos for %d columns and %d infos",
					x.Name, t.Title, r.Label, len(r.Cells), len(r.Info), len(t.Columns), len(t.Info))
			}
			for _, p := range r.Cells {
				e, err := Lookup(p.Protocol)
				if err != nil {
					return fmt.Errorf("experiment %s, row %q: %w", x.Name, r.Label, err)
				}
				run, err := e.DefaultRun()
				if err != nil {
					return err
				}
				if err := e.Apply(p.Flags, &run); err != nil {
					return fmt.Errorf("experiment %s, row %q: %w", x.Name, r.Label, err)
				}
				if p.Property != "" && !slices.ContainsFunc(e.Properties, func(i PropertyInfo) bool { return i.Name == p.Property }) {
					return fmt.Errorf("experiment %s, row %q: %s has no property %q", x.Name, r.Label, p.Protocol, p.Property)
				}
			}
		}
	}
	return nil
}

// Check runs every distinct check of the experiment once with opts
// (keeping going after a violation, so that every property gets its
// verdict and its shortest counterexample), and decides every cell.
// progress, if not nil, hears of each check before it starts.
func (x Experiment) Check(opts explore.Options, progress func(command string)) (*ExperimentResult, error) {
	if err := x.Validate(); err != nil {
		return nil, err
	}
	opts.KeepGoing = true
	res := &ExperimentResult{Experiment: x}
	done := map[string]*Report{}
	for _, t := range x.Tables {
		tr := TableResult{Table: t}
		seen := map[string]bool{}
		for _, r := range t.Rows {
			var outs []Outcome
			for _, p := range r.Cells {
				key := p.Command()
				rep, ok := done[key]
				if !ok {
					if progress != nil {
						progress(key)
					}
					var err error
					if rep, err = check(p, opts); err != nil {
						return nil, err
					}
					done[key] = rep
					if rep.Stopped != "" {
						res.Undecided = append(res.Undecided, fmt.Sprintf("%s: stopped by %s", key, rep.Stopped))
					}
				}
				if !seen[key] {
					seen[key] = true
					tr.Checks = append(tr.Checks, CheckedProbe{Protocol: p.Protocol, Flags: p.Flags, Report: rep})
				}
				o, bugs := judge(p, rep)
				res.Bugs = append(res.Bugs, bugs...)
				outs = append(outs, o)
			}
			if r.SomeBreaks && !slices.ContainsFunc(outs, func(o Outcome) bool { return o.Finding != Held }) {
				res.Bugs = append(res.Bugs, fmt.Sprintf("%s %q: every cell holds, but the course expects a counterexample in this row", t.Title, r.Label))
			}
			tr.Rows = append(tr.Rows, outs)
		}
		res.Tables = append(res.Tables, tr)
	}
	for i := range res.Tables {
		if len(res.Bugs) == 0 && len(res.Undecided) == 0 {
			res.Tables[i].Conclusion = res.Tables[i].Table.Conclusion
		}
	}
	return res, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// check runs one probe's check.
func check(p Probe, opts explore.Options) (*Report, error) {
	e, err := Lookup(p.Protocol)
	if err != nil {
		return nil, err
	}
	r, err := e.DefaultRun()
	if err != nil {
		return nil, err
	}
	if err := e.Apply(p.Flags, &r); err != nil {
		return nil, err
	}
	r.Options = opts
	rep, err := e.Check(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Command(), err)
	}
	return rep, nil
}

// judge decides a cell from its check's report, and says what in it
// contradicts the course: a verdict other than the expected one, or a ✓
// whose check never took its good paths (the proof would be vacuous).
func judge(p Probe, rep *Report) (Outcome, []string) {
	key := p.Command()
	o := decide(p, rep)
	var bugs []string
	if !o.Met {
		bugs = append(bugs, fmt.Sprintf("%s: %s, but the course expects %s", key, outcomeText(o), expectText(p)))
	}
	if o.Finding == Held {
		if un := unreached(rep); len(un) > 0 {
			o.Met = false
			bugs = append(bugs, fmt.Sprintf("%s: %s holds, but its good paths never happen (%s not reached): the proof is vacuous",
				key, cmpOr(p.Property, "every property"), strings.Join(un, ", ")))
		}
	}
	return o, bugs
}

// decide reads a cell's verdict from its check's report.
func decide(p Probe, rep *Report) Outcome {
	o := Outcome{Probe: p, Check: rep}
	for _, v := range rep.Verdicts {
		if !v.Violated || (p.Property != "" && v.Property != p.Property) {
			continue
		}
		steps := 0
		if v.Trace != nil {
			steps = len(v.Trace.Steps())
		}
		if o.Finding == Broken && steps >= o.Steps() {
			continue
		}
		o.Finding, o.Broken, o.Reason, o.Trace = Broken, v.Property, v.Reason, v.Trace
	}
	if o.Finding == 0 {
		o.Finding = Held
		if rep.Stopped != "" {
			o.Finding = Undecided
		}
		if p.Property != "" && !slices.Contains(rep.Evaluated, p.Property) {
			// A ✓ for a property the check never evaluated would be a lie.
			o.Finding = NotEvaluated
		}
	}
	switch p.Expect {
	case Holds:
		o.Met = o.Finding == Held
	case Breaks:
		o.Met = o.Finding == Broken
	default:
		o.Met = o.Finding != Undecided
	}
	switch o.Finding {
	case Undecided:
		o.Met = true // not a contradiction: listed as undecided instead
	case NotEvaluated:
		o.Met = false
	}
	return o
}

// unreached names the check's sometimes properties never reached.
func unreached(rep *Report) []string {
	var out []string
	for _, s := range rep.Sometimes {
		if !s.Reached {
			out = append(out, s.Property)
		}
	}
	return out
}

func outcomeText(o Outcome) string {
	switch o.Finding {
	case Broken:
		return fmt.Sprintf("%s violated in %d steps (%s)", o.Broken, o.Steps(), o.Reason)
	case Held:
		return cmpOr(o.Property, "every property") + " holds"
	case NotEvaluated:
		return o.Property + " is not evaluated by this check"
	}
	return "undecided"
}

func expectText(p Probe) string {
	what := cmpOr(p.Property, "some property")
	if p.Expect == Holds {
		what = cmpOr(p.Property, "every property")
		return what + " to hold"
	}
	return "a counterexample to " + what
}
