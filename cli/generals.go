package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/byzantine"
	"github.com/distsys/distsys/spec/twogenerals"
)

const generalsSynopsis = "modelcheck generals [-json] [-workers N] [-timeout D] [-max-states N]"

func init() {
	commands["generals"] = command{
		Usage: "modelcheck generals [-json]             the generals (course 2.1, 2.2): k messengers, n ≥ 3f+1",
		Run:   cmdGenerals,
	}
}

// cmdGenerals checks the two generals for every number of messengers, on a
// reliable link and on one that may lose a messenger, and the Byzantine
// generals with one traitor in every position, n = 4 and n = 3 under every
// tie rule, and prints both tables with what they show. It exits 1 if a
// result contradicts the course (a bug, not a lesson), 3 if a bound left a
// check undecided.
func cmdGenerals(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("generals", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	workers := fs.Int("workers", 0, "BFS worker goroutines (0: one per core)")
	timeout := fs.Duration("timeout", 0, "bound each check's search (0: no bound)")
	maxStates := fs.Int64("max-states", 0, "bound each check's distinct states (0: no bound)")
	if err := parseFlags(fs, args, generalsSynopsis, stdout); err != nil {
		return exitUsage, err
	}
	if fs.NArg() > 0 {
		return exitUsage, usageError{fmt.Errorf("generals: unexpected argument %q", fs.Arg(0))}
	}
	if *workers < 0 || *timeout < 0 || *maxStates < 0 {
		return exitUsage, usageError{fmt.Errorf("generals: -workers, -timeout and -max-states must not be negative")}
	}
	opts := explore.Options{Workers: *workers, Timeout: *timeout, MaxStates: *maxStates}
	if !*asJSON {
		fmt.Fprintln(stderr, "checking the two generals and the Byzantine generals…")
	}
	two, err := checkTwoGenerals(opts)
	if err != nil {
		return exitUsage, err
	}
	byz, err := checkByzantine(opts)
	if err != nil {
		return exitUsage, err
	}
	f := judgeGenerals(two, byz)
	if *asJSON {
		err = writeJSON(stdout, generalsJSON(two, byz, f))
	} else {
		err = writeGenerals(stdout, two, byz, f)
	}
	if err != nil {
		return exitUsage, err
	}
	switch {
	case len(f.Bugs) > 0:
		return exitViolated, nil
	case len(f.Undecided) > 0:
		return exitIncomplete, nil
	}
	return exitOK, nil
}

// generalsCheck is one check behind the tables: the flags that repeat it
// (modelcheck check PROTOCOL FLAGS) and what it found.
type generalsCheck struct {
	Protocol, Flags string
	Report          *catalog.Report
}

// steps is the counterexample's length (0 without one).
func (c generalsCheck) steps() int {
	if c.Report.Trace == nil {
		return 0
	}
	return len(c.Report.Trace.Steps())
}

// lastStep is the checker's label of the counterexample's last step.
func (c generalsCheck) lastStep() string {
	if s := c.Report.Trace; s != nil && len(s.Steps()) > 0 {
		return s.Steps()[len(s.Steps())-1].Action
	}
	return ""
}

// command is the modelcheck command line that repeats the check.
func (c generalsCheck) command() string {
	return "modelcheck check " + c.Protocol + " " + c.Flags
}

func runGeneralsCheck(protocol, flags string, opts explore.Options) (generalsCheck, error) {
	e, err := catalog.Lookup(protocol)
	if err != nil {
		return generalsCheck{}, err
	}
	r, err := e.DefaultRun()
	if err != nil {
		return generalsCheck{}, err
	}
	if err := e.Apply(flags, &r); err != nil {
		return generalsCheck{}, err
	}
	r.Options = opts
	rep, err := e.Check(r)
	if err != nil {
		return generalsCheck{}, fmt.Errorf("%s %s: %w", protocol, flags, err)
	}
	return generalsCheck{Protocol: protocol, Flags: flags, Report: rep}, nil
}

// twoGeneralsRow is one k: the check on a reliable link and on a link
// that may lose one messenger.
type twoGeneralsRow struct {
	K               int
	Reliable, Lossy generalsCheck
}

func checkTwoGenerals(opts explore.Options) ([]twoGeneralsRow, error) {
	var rows []twoGeneralsRow
	for k := 1; k <= twogenerals.MaxMessages; k++ {
		rel, err := runGeneralsCheck("twogenerals", fmt.Sprintf("-k %d", k), opts)
		if err != nil {
			return nil, err
		}
		lossy, err := runGeneralsCheck("twogenerals", fmt.Sprintf("-k %d -drops 1", k), opts)
		if err != nil {
			return nil, err
		}
		rows = append(rows, twoGeneralsRow{K: k, Reliable: rel, Lossy: lossy})
	}
	return rows, nil
}

// byzantineRow is one check of OM(1): n generals, general Traitor the
// traitor, lieutenants breaking a tie by rule Tie.
type byzantineRow struct {
	N, Traitor int
	Tie        byzantine.Tie
	Check      generalsCheck
}

// checkByzantine checks n = 4 with the traitor in every position (no tie
// can arise with three values, so one rule stands for all) and n = 3 with
// the traitor in every position under every tie rule.
func checkByzantine(opts explore.Options) ([]byzantineRow, error) {
	var rows []byzantineRow
	add := func(n, traitor int, tie byzantine.Tie) error {
		flags := fmt.Sprintf("-n %d -byzantine %d", n, traitor)
		if tie != byzantine.TieRetreat {
			flags = fmt.Sprintf("-n %d -tie %s -byzantine %d", n, tie, traitor)
		}
		c, err := runGeneralsCheck("byzantine", flags, opts)
		if err != nil {
			return err
		}
		rows = append(rows, byzantineRow{N: n, Traitor: traitor, Tie: tie, Check: c})
		return nil
	}
	for tr := range 4 {
		if err := add(4, tr, byzantine.TieRetreat); err != nil {
			return nil, err
		}
	}
	for tie := range byzantine.Tie(len(byzantine.TieNames)) {
		for tr := range 3 {
			if err := add(3, tr, tie); err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}

// generalsFindings are what the two tables show: each conclusion is set
// only when every check behind it agrees with the course and none was
// stopped by a bound.
type generalsFindings struct {
	// Bugs are results that contradict the course.
	Bugs []string
	// Undecided are checks a bound stopped.
	Undecided []string
	// TwoGenerals and Byzantine are the conclusions.
	TwoGenerals, Byzantine string
}

// judgeGenerals compares every result with the course: the two generals
// agree on a reliable link and fail on a lossy one for every k; four
// generals outvote a traitor wherever it sits; three lose to one under
// every tie rule.
func judgeGenerals(two []twoGeneralsRow, byz []byzantineRow) generalsFindings {
	var f generalsFindings
	undecided := func(c generalsCheck) bool {
		if c.Report.Status != explore.Incomplete {
			return false
		}
		f.Undecided = append(f.Undecided, fmt.Sprintf("%s: stopped by %s", c.command(), c.Report.Stopped))
		return true
	}
	twoOK := len(two) > 0
	for _, r := range two {
		if !undecided(r.Reliable) && r.Reliable.Report.Status != explore.OK {
			f.Bugs = append(f.Bugs, fmt.Sprintf("%s: %v %s (%s), but a reliable link lets the generals agree", r.Reliable.command(), r.Reliable.Report.Status, r.Reliable.Report.Property, r.Reliable.Report.Reason))
		}
		if !undecided(r.Lossy) && (r.Lossy.Report.Status != explore.Violated || r.Lossy.Report.Property != twogenerals.PropAgreement) {
			f.Bugs = append(f.Bugs, fmt.Sprintf("%s: %v %s, but no k-messenger protocol can agree over a lossy link", r.Lossy.command(), r.Lossy.Report.Status, r.Lossy.Report.Property))
		}
		twoOK = twoOK && r.Reliable.Report.Status == explore.OK && r.Lossy.Report.Status == explore.Violated && r.Lossy.Report.Property == twogenerals.PropAgreement
	}
	if twoOK {
		f.TwoGenerals = fmt.Sprintf("for every k = 1..%d the checker found a run in which one general attacks alone: "+
			"the last messenger may be lost, and its sender cannot wait to hear that it arrived (that would take one more); "+
			"on a reliable link every k agrees. No number of acknowledgements gives common knowledge.", len(two))
	}
	proved4, decided := true, true
	lost3 := map[byzantine.Tie]bool{}
	for _, r := range byz {
		rep := r.Check.Report
		if undecided(r.Check) {
			decided = false
			continue
		}
		switch {
		case r.N >= 4 && rep.Status != explore.OK:
			proved4 = false
			f.Bugs = append(f.Bugs, fmt.Sprintf("%s: %v %s (%s), but n = %d ≥ 3f+1 must outvote one traitor", r.Check.command(), rep.Status, rep.Property, rep.Reason, r.N))
		case r.N < 4 && rep.Status == explore.Violated:
			lost3[r.Tie] = true
		}
	}
	for tie := range byzantine.Tie(len(byzantine.TieNames)) {
		if decided && !lost3[tie] {
			f.Bugs = append(f.Bugs, fmt.Sprintf("byzantine -n 3 -tie %s: no traitor wins, but n = 3 < 3f+1 must lose to one", tie))
		}
	}
	if proved4 && decided && len(lost3) == len(byzantine.TieNames) && len(byz) > 0 {
		f.Byzantine = "n ≥ 3f+1 made the difference: with one traitor, 4 generals (4 ≥ 3f+1 = 4) agree and obey a loyal commander " +
			"wherever the traitor sits, and 3 generals (3 < 3f+1) lose to it under every tie rule."
	}
	return f
}

// generalName names general i of the Byzantine table.
func generalName(i int) string {
	if i == int(byzantine.Commander) {
		return fmt.Sprintf("n%d (commander)", i)
	}
	return fmt.Sprintf("n%d", i)
}

func writeGenerals(w io.Writer, two []twoGeneralsRow, byz []byzantineRow, f generalsFindings) error {
	var b strings.Builder
	b.WriteString("two generals (course 2.1): A is told to attack or retreat; to attack it sends messenger 1 to B, and each\n")
	b.WriteString("messenger that arrives is answered by the next, k in all, none resent; a general attacks once every messenger\n")
	b.WriteString("meant for it has arrived. agreement: when nothing more can happen, A attacks iff B attacks.\n\n")
	fmt.Fprintf(&b, "%-3s %-19s%s\n", "", "reliable link", "a link that may lose one messenger")
	fmt.Fprintf(&b, "%-3s %-8s %8s  %-9s %5s  %-38s %6s  %s\n", "k", "result", "states", "result", "steps", "how it ends", "states", "time")
	for _, r := range two {
		rel, lo := r.Reliable.Report, r.Lossy.Report
		end := ""
		if lo.Trace != nil {
			who, _, _ := strings.Cut(lo.Reason, ":")
			end = r.Lossy.lastStep() + " → " + who
		}
		fmt.Fprintf(&b, "%-3d %-8s %8s  %-9s %5s  %-38s %6s  %s\n", r.K, rel.Status, count(rel.Stats.States),
			lo.Status, stepsText(r.Lossy.steps()), end, count(lo.Stats.States), duration(lo.Stats.Elapsed))
	}
	var twoChecks []generalsCheck
	for _, r := range two {
		twoChecks = append(twoChecks, r.Reliable, r.Lossy)
	}
	b.WriteString(coverageText(twoChecks))
	if f.TwoGenerals != "" {
		b.WriteString("\n" + wrap(f.TwoGenerals, 100) + "\n")
	}
	if len(two) > 1 {
		fmt.Fprintf(&b, "  see one: %s\n", two[1].Lossy.command())
	}

	b.WriteString("\nByzantine generals (course 2.2): OM(1), one traitor, the model's byzantine node: it may send any order\n")
	b.WriteString("(as commander) or relay (as lieutenant) of the message domain to anyone, at any time, or nothing.\n")
	b.WriteString("agreement: loyal lieutenants decide alike; validity: they obey a loyal commander.\n\n")
	b.WriteString("n = 4 ≥ 3f+1 = 4: a lieutenant holds three values, there is always a majority\n")
	fmt.Fprintf(&b, "%-16s %-34s %7s  %s\n", "traitor", "result", "states", "time")
	for _, r := range byz {
		if r.N != 4 {
			continue
		}
		rep := r.Check.Report
		fmt.Fprintf(&b, "%-16s %-34s %7s  %s\n", generalName(r.Traitor), strings.TrimSpace(rep.Status.String()+" "+violationText(r.Check)), count(rep.Stats.States), duration(rep.Stats.Elapsed))
	}
	b.WriteString("\nn = 3 < 3f+1 = 4: a lieutenant holds two values and cannot tell a lying commander from a lying lieutenant;\n")
	b.WriteString("every way to break their tie, against each traitor (✓ proved, ✗ the property broken in n steps)\n")
	line := fmt.Sprintf("%-10s", "tie rule")
	for tr := range 3 {
		line += fmt.Sprintf(" %-22s", "traitor "+generalName(tr))
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
	for tie := range byzantine.Tie(len(byzantine.TieNames)) {
		line := fmt.Sprintf("%-10s", tie)
		for _, r := range byz {
			if r.N == 3 && r.Tie == tie {
				line += fmt.Sprintf(" %-22s", cellMark(r.Check))
			}
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	var byzChecks []generalsCheck
	for _, r := range byz {
		byzChecks = append(byzChecks, r.Check)
	}
	b.WriteString(coverageText(byzChecks))
	if f.Byzantine != "" {
		b.WriteString("\n" + wrap(f.Byzantine, 100) + "\n")
	}
	b.WriteString("  see one: modelcheck check byzantine -n 3\n")
	for _, u := range f.Undecided {
		b.WriteString("\nnot decided: " + u)
	}
	for _, bug := range f.Bugs {
		b.WriteString("\nBUG: " + bug)
	}
	if len(f.Undecided)+len(f.Bugs) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// coverageText says what the checks behind a table evaluated: the
// properties an "ok" covers, its good paths, and any property a check
// left out, with the reason.
func coverageText(checks []generalsCheck) string {
	if len(checks) == 0 {
		return ""
	}
	var safety, sometimes []string
	for _, c := range checks {
		reached := map[string]bool{}
		for _, s := range c.Report.Sometimes {
			reached[s.Property] = true
			if !slices.Contains(sometimes, s.Property) {
				sometimes = append(sometimes, s.Property)
			}
		}
		for _, name := range c.Report.Evaluated {
			if !reached[name] && !slices.Contains(safety, name) {
				safety = append(safety, name)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "each check evaluates %s", orList(safety, "and"))
	if len(sometimes) > 0 {
		fmt.Fprintf(&b, "; an ok also means its good paths happen (%s reached)", orList(sometimes, "and"))
	}
	b.WriteString("\n")
	for _, c := range checks {
		for _, g := range omittedGroups(c.Report.Omitted) {
			fmt.Fprintf(&b, "  %s: %s not checked — %s\n", c.command(), strings.Join(g.names, ", "), g.reason)
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

// stepsText is a counterexample's length, or "-" without one.
func stepsText(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

// violationText is "validity in 4 steps", or "" when nothing is violated.
func violationText(c generalsCheck) string {
	if c.Report.Status != explore.Violated {
		return ""
	}
	return fmt.Sprintf("%s in %d %s", c.Report.Property, c.steps(), plural(c.steps(), "step", "steps"))
}

// cellMark is ✓ for a proof, "✗ validity 4" for a counterexample, "?"
// for a check a bound stopped.
func cellMark(c generalsCheck) string {
	switch c.Report.Status {
	case explore.OK:
		return "✓"
	case explore.Violated:
		return fmt.Sprintf("✗ %s %d", c.Report.Property, c.steps())
	}
	return "?"
}

// wrap breaks s into lines of at most width bytes at spaces.
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
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

type generalsCheckOut struct {
	Command   string  `json:"command"`
	Status    string  `json:"status"`
	Property  string  `json:"property,omitempty"`
	Reason    string  `json:"reason,omitempty"`
	Stopped   string  `json:"stopped,omitempty"`
	Steps     int     `json:"steps,omitempty"`
	LastStep  string  `json:"last_step,omitempty"`
	States    int64   `json:"distinct_states"`
	Trans     int64   `json:"transitions"`
	ElapsedMS float64 `json:"elapsed_ms"`
	// Evaluated are the properties the check evaluated, Omitted those it
	// left out and why: an "ok" covers the first only.
	Evaluated []string      `json:"evaluated"`
	Omitted   []omissionOut `json:"omitted"`
}

type twoGeneralsOut struct {
	K        int              `json:"k"`
	Reliable generalsCheckOut `json:"reliable"`
	Lossy    generalsCheckOut `json:"lossy"`
}

type byzantineOut struct {
	N       int              `json:"n"`
	Traitor int              `json:"traitor"`
	Tie     string           `json:"tie"`
	Check   generalsCheckOut `json:"check"`
}

type generalsOut struct {
	TwoGenerals           []twoGeneralsOut `json:"two_generals"`
	TwoGeneralsConclusion string           `json:"two_generals_conclusion"`
	Byzantine             []byzantineOut   `json:"byzantine"`
	ByzantineConclusion   string           `json:"byzantine_conclusion"`
	Undecided             []string         `json:"undecided"`
	Bugs                  []string         `json:"bugs"`
}

func checkOut(c generalsCheck) generalsCheckOut {
	rep := c.Report
	return generalsCheckOut{
		Command: c.command(), Status: rep.Status.String(), Property: rep.Property, Reason: rep.Reason, Stopped: rep.Stopped,
		Steps: c.steps(), LastStep: c.lastStep(), States: rep.Stats.States, Trans: rep.Stats.Transitions,
		ElapsedMS: float64(rep.Stats.Elapsed.Microseconds()) / 1000,
		Evaluated: append([]string{}, rep.Evaluated...), Omitted: omissionsOut(rep.Omitted),
	}
}

func generalsJSON(two []twoGeneralsRow, byz []byzantineRow, f generalsFindings) generalsOut {
	out := generalsOut{TwoGeneralsConclusion: f.TwoGenerals, ByzantineConclusion: f.Byzantine,
		Undecided: append([]string{}, f.Undecided...), Bugs: append([]string{}, f.Bugs...)}
	for _, r := range two {
		out.TwoGenerals = append(out.TwoGenerals, twoGeneralsOut{K: r.K, Reliable: checkOut(r.Reliable), Lossy: checkOut(r.Lossy)})
	}
	for _, r := range byz {
		out.Byzantine = append(out.Byzantine, byzantineOut{N: r.N, Traitor: r.Traitor, Tie: r.Tie.String(), Check: checkOut(r.Check)})
	}
	return out
}
