package cli

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/traces"
)

const tableSynopsis = "modelcheck table [NAME] [-json] [-trace-dir DIR] [-workers N] [-timeout D] [-max-states N]"

func init() {
	commands["table"] = command{
		Usage: "modelcheck table [NAME] [-json]         a course result as a table of checks with expected verdicts (no NAME: the list)",
		Run:   cmdTable,
	}
	commands["hierarchy"] = command{
		Usage: "modelcheck hierarchy [-json]            the broadcast hierarchy: every algorithm × every property (= table hierarchy)",
		Run: func(args []string, stdout, stderr io.Writer) (int, error) {
			return runTable("hierarchy", args, stdout, stderr)
		},
	}
	commands["generals"] = command{
		Usage: "modelcheck generals [-json]             the generals (course 2.1, 2.2): k messengers, n ≥ 3f+1 (= table generals)",
		Run: func(args []string, stdout, stderr io.Writer) (int, error) {
			return runTable("generals", args, stdout, stderr)
		},
	}
}

// cmdTable lists the experiments, or checks and draws one.
func cmdTable(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := flag.NewFlagSet("table", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		asJSON := fs.Bool("json", false, "print JSON")
		if err := parseFlags(fs, args, tableSynopsis, stdout); err != nil {
			return exitUsage, err
		}
		if fs.NArg() > 0 {
			return exitUsage, usageError{fmt.Errorf("table: the name comes first: modelcheck table NAME [flags]")}
		}
		return exitOK, listExperiments(stdout, *asJSON)
	}
	return runTable(args[0], args[1:], stdout, stderr)
}

func listExperiments(w io.Writer, asJSON bool) error {
	xs := catalog.Experiments()
	if asJSON {
		type out struct {
			Name    string `json:"name"`
			Summary string `json:"summary"`
		}
		var o []out
		for _, x := range xs {
			o = append(o, out{x.Name, x.Summary})
		}
		return writeJSON(w, o)
	}
	var b strings.Builder
	b.WriteString("experiments: course results as tables of checks, each cell with the verdict the course expects\n")
	for _, x := range xs {
		fmt.Fprintf(&b, "  %-10s %s\n", x.Name, x.Summary)
	}
	b.WriteString("run one: modelcheck table NAME (exit 1 if a verdict contradicts the course, 3 if a bound left one undecided)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// runTable checks experiment name and draws its tables. It exits 1 if a
// verdict contradicts the course (a bug, not a lesson) or a proof's good
// paths never happen, 3 if a bound left a check undecided.
func runTable(name string, args []string, stdout, stderr io.Writer) (int, error) {
	x, err := catalog.LookupExperiment(name)
	if err != nil {
		return exitUsage, usageError{fmt.Errorf("table: %v", err)}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	traceDir := fs.String("trace-dir", "", "write every counterexample to DIR/PROTOCOL-FLAGS-PROPERTY.json")
	workers := fs.Int("workers", 0, "BFS worker goroutines (0: one per core)")
	timeout := fs.Duration("timeout", 0, "bound each check's search (0: no bound)")
	maxStates := fs.Int64("max-states", 0, "bound each check's distinct states (0: no bound)")
	if err := parseFlags(fs, args, strings.Replace(tableSynopsis, "[NAME]", name, 1), stdout); err != nil {
		return exitUsage, err
	}
	if fs.NArg() > 0 {
		return exitUsage, usageError{fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(0))}
	}
	if *workers < 0 || *timeout < 0 || *maxStates < 0 {
		return exitUsage, usageError{fmt.Errorf("%s: -workers, -timeout and -max-states must not be negative", name)}
	}
	if err := prepareOutputDir("trace-dir", *traceDir); err != nil {
		return exitUsage, usageError{fmt.Errorf("%s: %v", name, err)}
	}
	var progress func(string)
	if !*asJSON {
		fmt.Fprintf(stderr, "checking %s…\n", x.Summary)
	}
	res, err := x.Check(explore.Options{Workers: *workers, Timeout: *timeout, MaxStates: *maxStates}, progress)
	if err != nil {
		return exitUsage, err
	}
	// Write the counterexamples, print the tables, then say what could
	// not be written: an I/O error never discards the tables.
	files, ioErr := writeTableTraces(*traceDir, res)
	if *asJSON {
		err = writeJSON(stdout, experimentJSON(res, files))
	} else {
		err = writeExperiment(stdout, res, *traceDir)
	}
	if err != nil {
		return exitUsage, err
	}
	if ioErr != nil {
		return exitUsage, fmt.Errorf("-trace-dir: %v (the tables above are complete)", ioErr)
	}
	switch {
	case len(res.Bugs) > 0:
		return exitViolated, nil
	case len(res.Undecided) > 0:
		return exitIncomplete, nil
	}
	return exitOK, nil
}

// traceName names a counterexample's file by its check and property.
func traceName(o catalog.Outcome) string {
	f := strings.NewReplacer(" -", "-", "-", "", " ", "").Replace(strings.TrimSpace(o.Flags))
	return strings.Join([]string{o.Protocol, f, o.Broken}, "-") + ".json"
}

// writeTableTraces writes every cell's counterexample once into dir; the
// map gives each file by its name.
func writeTableTraces(dir string, res *catalog.ExperimentResult) (map[string]string, error) {
	files := map[string]string{}
	if dir == "" {
		return files, nil
	}
	var first error
	for _, t := range res.Tables {
		for _, row := range t.Rows {
			for _, o := range row {
				name := traceName(o)
				if o.Trace == nil || files[name] != "" {
					continue
				}
				path := filepath.Join(dir, name)
				if err := traces.WriteFile(path, o.Trace); err != nil {
					first = cmp.Or(first, err)
					continue
				}
				files[name] = path
			}
		}
	}
	return files, first
}

// cellMark is a cell as drawn: ✓ proved, ✗n a counterexample of n steps
// (✗ PROPERTY n for a cell of every property), ? undecided; * a promise;
// ! before a verdict that contradicts the course.
func cellMark(o catalog.Outcome) string {
	var s string
	switch o.Finding {
	case catalog.Held:
		s = "✓"
	case catalog.Broken:
		if o.Property == "" {
			s = fmt.Sprintf("✗ %s %d", o.Broken, o.Steps())
		} else {
			s = fmt.Sprintf("✗%d", o.Steps())
		}
	default:
		s = "?"
	}
	if o.Promised {
		s += "*"
	}
	if !o.Met {
		s = "!" + s
	}
	return s
}

// rowStates is the distinct states of a row's checks, each counted once.
func rowStates(row []catalog.Outcome) int64 {
	var n int64
	seen := map[string]bool{}
	for _, o := range row {
		if k := o.Command(); !seen[k] {
			seen[k] = true
			n += o.Check.Stats.States
		}
	}
	return n
}

func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-utf8.RuneCountInString(s)))
}

func writeExperiment(w io.Writer, res *catalog.ExperimentResult, traceDir string) error {
	var b strings.Builder
	for i, t := range res.Tables {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(t.Title + "\n")
		if t.Doc != "" {
			b.WriteString(wrap(t.Doc, 100) + "\n")
		}
		b.WriteString("\n")
		header := append(append([]string{t.Corner}, t.Info...), t.Columns...)
		header = append(header, "states")
		lines := [][]string{header}
		for k, row := range t.Rows {
			line := append([]string{t.Table.Rows[k].Label}, t.Table.Rows[k].Info...)
			for _, o := range row {
				line = append(line, cellMark(o))
			}
			lines = append(lines, append(line, count(rowStates(row))))
		}
		widths := make([]int, len(header))
		for _, l := range lines {
			for j, c := range l {
				widths[j] = max(widths[j], utf8.RuneCountInString(c))
			}
		}
		for _, l := range lines {
			var cells []string
			for j, c := range l {
				if j == len(l)-1 {
					cells = append(cells, strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c))+c)
				} else {
					cells = append(cells, pad(c, widths[j]))
				}
			}
			b.WriteString(strings.TrimRight(strings.Join(cells, "  "), " ") + "\n")
		}
		b.WriteString(legend(t))
		b.WriteString(tableCoverage(t))
		if t.Conclusion != "" {
			b.WriteString("\n" + wrap(t.Conclusion, 100) + "\n")
		}
		if t.Example != "" {
			fmt.Fprintf(&b, "  see one: %s\n", t.Example)
		}
	}
	if traceDir != "" {
		fmt.Fprintf(&b, "\ncounterexamples written to %s/ (PROTOCOL-FLAGS-PROPERTY.json)\n", traceDir)
	}
	for _, u := range res.Undecided {
		b.WriteString("\nnot decided: " + u)
	}
	for _, bug := range res.Bugs {
		b.WriteString("\nBUG: " + bug)
	}
	if len(res.Undecided)+len(res.Bugs) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// legend explains the marks a table uses.
func legend(t catalog.TableResult) string {
	var parts []string
	has := func(f func(o catalog.Outcome) bool) bool {
		for _, row := range t.Rows {
			if slices.ContainsFunc(row, f) {
				return true
			}
		}
		return false
	}
	parts = append(parts, "✓ proved (space exhausted)", "✗n counterexample of n steps")
	if has(func(o catalog.Outcome) bool { return o.Finding == catalog.Undecided }) {
		parts = append(parts, "? not decided (bound hit)")
	}
	if has(func(o catalog.Outcome) bool { return o.Promised }) {
		parts = append(parts, "* promised")
	}
	if has(func(o catalog.Outcome) bool { return !o.Met }) {
		parts = append(parts, "! contradicts the course")
	}
	return strings.Join(parts, "   ") + "\n"
}

// tableCoverage says what the checks behind a table evaluated beyond its
// cells, their good paths, and what any check left out and why.
func tableCoverage(t catalog.TableResult) string {
	var evaluated, sometimes []string
	for _, c := range t.Checks {
		reached := map[string]bool{}
		for _, s := range c.Report.Sometimes {
			reached[s.Property] = true
			if !slices.Contains(sometimes, s.Property) {
				sometimes = append(sometimes, s.Property)
			}
		}
		for _, name := range c.Report.Evaluated {
			if !reached[name] && !slices.Contains(evaluated, name) {
				evaluated = append(evaluated, name)
			}
		}
	}
	var b strings.Builder
	line := fmt.Sprintf("the checks evaluate %s", orList(evaluated, "and"))
	if len(sometimes) > 0 {
		line += fmt.Sprintf("; a ✓ also means its check's good paths happen (%s reached)", orList(sometimes, "and"))
	}
	b.WriteString(wrap(line, 100) + "\n")
	// An omission repeated across checks is said once, with how many.
	type omitted struct{ names, reason string }
	var order []omitted
	by := map[omitted][]string{}
	for _, c := range t.Checks {
		for _, g := range omittedGroups(c.Report.Omitted) {
			k := omitted{strings.Join(g.names, ", "), g.reason}
			if by[k] == nil {
				order = append(order, k)
			}
			by[k] = append(by[k], strings.TrimPrefix(c.Command(), "modelcheck check "))
		}
	}
	for _, k := range order {
		where := by[k][0]
		if n := len(by[k]); n > 1 {
			where = fmt.Sprintf("%d of the %d checks", n, len(t.Checks))
		}
		fmt.Fprintf(&b, "  %s not checked (%s) — %s\n", k.names, where, k.reason)
	}
	for _, c := range t.Checks {
		if c.Report.Stopped != "" {
			fmt.Fprintf(&b, "  %s: stopped by %s; its ✓ cells hold only up to that bound\n", strings.TrimPrefix(c.Command(), "modelcheck check "), c.Report.Stopped)
		}
	}
	return b.String()
}

// orList writes "a", "a and b", "a, b and c" (or with "or").
func orList(s []string, conj string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " " + conj + " " + s[len(s)-1]
}

// wrap breaks s into lines of at most width runes at spaces.
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

type experimentOut struct {
	Experiment string     `json:"experiment"`
	Summary    string     `json:"summary"`
	Tables     []tableOut `json:"tables"`
	// Bugs are verdicts that contradict the course; Undecided the checks
	// a bound stopped.
	Bugs      []string `json:"bugs"`
	Undecided []string `json:"undecided"`
}

type tableOut struct {
	Title      string       `json:"title"`
	Corner     string       `json:"corner"`
	Info       []string     `json:"info"`
	Columns    []string     `json:"columns"`
	Rows       []tableRow   `json:"rows"`
	Checks     []tableCheck `json:"checks"`
	Conclusion string       `json:"conclusion"`
}

type tableRow struct {
	Label      string      `json:"label"`
	Info       []string    `json:"info"`
	SomeBreaks bool        `json:"expect_some_counterexample,omitempty"`
	Cells      []tableCell `json:"cells"`
}

type tableCell struct {
	Command  string `json:"command"`
	Property string `json:"property"`
	// Expect is the course's verdict: holds, violated, or "" for none.
	Expect   string `json:"expect"`
	Promised bool   `json:"promised"`
	// Finding is the checker's: held, violated or undecided; Met says
	// whether it is the expected one.
	Finding   string `json:"finding"`
	Met       bool   `json:"met"`
	Violated  string `json:"violated_property,omitempty"`
	Steps     int    `json:"steps,omitempty"`
	Reason    string `json:"reason,omitempty"`
	TraceFile string `json:"trace_file,omitempty"`
}

type tableCheck struct {
	Command   string         `json:"command"`
	Status    string         `json:"status"`
	Stopped   string         `json:"stopped,omitempty"`
	States    int64          `json:"distinct_states"`
	Trans     int64          `json:"transitions"`
	ElapsedMS float64        `json:"elapsed_ms"`
	Evaluated []string       `json:"evaluated"`
	Omitted   []omissionOut  `json:"omitted"`
	Sometimes []sometimesOut `json:"sometimes"`
}

func experimentJSON(res *catalog.ExperimentResult, files map[string]string) experimentOut {
	out := experimentOut{Experiment: res.Name, Summary: res.Summary,
		Bugs: append([]string{}, res.Bugs...), Undecided: append([]string{}, res.Undecided...)}
	for _, t := range res.Tables {
		to := tableOut{Title: t.Title, Corner: t.Corner, Info: append([]string{}, t.Info...), Columns: append([]string{}, t.Columns...), Conclusion: t.Conclusion}
		for k, row := range t.Rows {
			r := t.Table.Rows[k]
			ro := tableRow{Label: r.Label, Info: append([]string{}, r.Info...), SomeBreaks: r.SomeBreaks}
			for _, o := range row {
				expect := map[catalog.Expect]string{catalog.Holds: "holds", catalog.Breaks: "violated"}[o.Expect]
				c := tableCell{Command: o.Command(), Property: o.Property, Expect: expect, Promised: o.Promised,
					Finding: o.Finding.String(), Met: o.Met, Violated: o.Broken, Steps: o.Steps(), Reason: o.Reason}
				if o.Trace != nil {
					c.TraceFile = files[traceName(o)]
				}
				ro.Cells = append(ro.Cells, c)
			}
			to.Rows = append(to.Rows, ro)
		}
		for _, c := range t.Checks {
			rep := c.Report
			to.Checks = append(to.Checks, tableCheck{Command: c.Command(), Status: rep.Status.String(), Stopped: rep.Stopped,
				States: rep.Stats.States, Trans: rep.Stats.Transitions, ElapsedMS: float64(rep.Stats.Elapsed.Microseconds()) / 1000,
				Evaluated: append([]string{}, rep.Evaluated...), Omitted: omissionsOut(rep.Omitted), Sometimes: sometimesJSON(rep.Sometimes)})
		}
		out.Tables = append(out.Tables, to)
	}
	return out
}

func sometimesJSON(ss []catalog.Reach) []sometimesOut {
	out := []sometimesOut{}
	for _, s := range ss {
		out = append(out, sometimesOut{s.Property, s.Reached, s.Steps})
	}
	return out
}
