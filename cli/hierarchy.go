package cli

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/traces"
)

const hierarchySynopsis = "modelcheck hierarchy [-json] [-trace-dir DIR] [-workers N] [-timeout D]"

// cmdHierarchy checks every algorithm of the broadcast hierarchy against
// every delivery property and prints the table, with what each row
// checked beyond the columns and left out. It exits 1 if a property an
// algorithm's level promises fails under the model it assumes (a bug, not
// a lesson) or a row's good paths never happen (its ✓ cells would be
// vacuous), 3 if a bound cut a row short.
func cmdHierarchy(args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("hierarchy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	traceDir := fs.String("trace-dir", "", "write every counterexample to DIR/ALGORITHM[-variant]-PROPERTY.json")
	workers := fs.Int("workers", 0, "BFS worker goroutines (0: one per core)")
	timeout := fs.Duration("timeout", 0, "bound each row's search (0: no bound)")
	if err := parseFlags(fs, args, hierarchySynopsis, stdout); err != nil {
		return exitUsage, err
	}
	if fs.NArg() > 0 {
		return exitUsage, usageError{fmt.Errorf("hierarchy: unexpected argument %q", fs.Arg(0))}
	}
	if *workers < 0 || *timeout < 0 {
		return exitUsage, usageError{fmt.Errorf("hierarchy: -workers and -timeout must not be negative")}
	}
	if err := prepareOutputDir("trace-dir", *traceDir); err != nil {
		return exitUsage, usageError{fmt.Errorf("hierarchy: %v", err)}
	}
	opts := explore.Options{Workers: *workers, Timeout: *timeout}
	if !*asJSON {
		fmt.Fprintln(stderr, "checking every row of the broadcast hierarchy…")
	}
	rows, err := catalog.Hierarchy(opts)
	if err != nil {
		return exitUsage, err
	}
	repl, err := catalog.Replication(opts)
	if err != nil {
		return exitUsage, err
	}
	// Write the counterexamples, print the tables, then say what could
	// not be written: an I/O error never discards the tables.
	files := map[string]string{}
	var ioErr error
	if *traceDir != "" {
		write := func(path string, t *traces.Trace) bool {
			if err := traces.WriteFile(path, t); err != nil {
				ioErr = cmp.Or(ioErr, err)
				return false
			}
			return true
		}
		for i, r := range rows {
			for _, c := range r.Cells {
				if c.Trace == nil {
					continue
				}
				path := filepath.Join(*traceDir, rowName(rows, i)+"-"+c.Property+".json")
				if write(path, c.Trace) {
					files[fmt.Sprint(i, c.Property)] = path
				}
			}
		}
		for _, r := range repl {
			for k, c := range r.Cells {
				if c.Trace != nil {
					write(filepath.Join(*traceDir, "replication-"+r.Machine+"-"+catalog.ReplicationAlgorithms[k].String()+".json"), c.Trace)
				}
			}
		}
	}
	if *asJSON {
		err = writeJSON(stdout, map[string]any{"hierarchy": hierarchyJSON(rows, files), "replication": replicationJSON(repl)})
	} else {
		err = writeHierarchy(stdout, rows, repl, *traceDir)
	}
	if err != nil {
		return exitUsage, err
	}
	if ioErr != nil {
		return exitUsage, fmt.Errorf("-trace-dir: %v (the tables above are complete)", ioErr)
	}
	code := exitOK
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Guaranteed && c.Violated {
				code = exitViolated
			}
		}
		if r.Stopped == "" && len(r.Unreached()) > 0 {
			code = exitViolated // its ✓ cells are vacuous
		}
	}
	for _, r := range repl {
		for _, c := range r.Cells {
			if len(c.Unreached) > 0 {
				code = exitViolated
			}
		}
	}
	for _, r := range rows {
		if r.Stopped != "" && code == exitOK {
			code = exitIncomplete
		}
	}
	return code, nil
}

// rowName names a row for files: its algorithm, and for a variant the
// model flags that make it one.
func rowName(rows []catalog.HierarchyRow, i int) string {
	r := rows[i]
	if r.Assumed {
		return r.Algorithm
	}
	f := strings.TrimPrefix(r.Flags, "-algo "+r.Algorithm)
	f = strings.NewReplacer(" -", "-", "-", "", " ", "").Replace(strings.TrimSpace(f))
	return r.Algorithm + "-" + f
}

// shortNames are the table's column headings.
var shortNames = map[string]string{
	"no-duplication": "no-dup", "no-creation": "no-create", "validity": "validity", "agreement": "agreement",
	"fifo-order": "fifo", "causal-order": "causal", "total-order": "total",
}

func writeHierarchy(w io.Writer, rows []catalog.HierarchyRow, repl []catalog.ReplicationRow, traceDir string) error {
	var b strings.Builder
	b.WriteString("broadcast hierarchy: 3 nodes; -bI is how many messages node I broadcasts; each row one exhaustive BFS\n")
	b.WriteString("✓ proved (space exhausted)   ✗n counterexample of n steps   ? not decided (bound hit)   * promised by the level\n\n")
	modelW, algoW := len("model"), len("algorithm")
	for _, r := range rows {
		modelW = max(modelW, len(modelText(r)))
		algoW = max(algoW, len(r.Algorithm))
	}
	fmt.Fprintf(&b, "%-*s  %-16s  %-*s", algoW, "algorithm", "level", modelW, "model")
	for _, p := range catalog.HierarchyProperties {
		fmt.Fprintf(&b, "  %-9s", shortNames[p])
	}
	b.WriteString("     states  time\n")
	for _, r := range rows {
		level := r.Level
		if !r.Assumed {
			level = "(outside)"
		}
		fmt.Fprintf(&b, "%-*s  %-16s  %-*s", algoW, r.Algorithm, level, modelW, modelText(r))
		for _, c := range r.Cells {
			fmt.Fprintf(&b, "  %-9s", cellText(r, c))
		}
		fmt.Fprintf(&b, "  %9s  %s\n", count(r.Stats.States), duration(r.Stats.Elapsed.Round(time.Millisecond)))
	}
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Guaranteed && c.Violated {
				fmt.Fprintf(&b, "\nBUG: %s promises %s under %s, but: %s\n", r.Algorithm, c.Property, modelText(r), c.Reason)
			}
		}
		if r.Stopped != "" {
			fmt.Fprintf(&b, "\n%s (%s): stopped by %s; its ✓ cells hold only up to that bound\n", r.Algorithm, modelText(r), r.Stopped)
		}
	}
	writeCoverage(&b, rows)
	b.WriteString("\nstate machine replication: nodes 0 and 1 each broadcast one update, concurrently (-b0 1 -b1 1);\n")
	b.WriteString("does every pair of replicas that delivered the same updates agree? ✓ converges, ✗n diverges in n steps\n\n")
	line := fmt.Sprintf("%-10s", "machine")
	for _, a := range catalog.ReplicationAlgorithms {
		level, _ := broadcast.LevelOf(a)
		line += fmt.Sprintf("  %-24s", fmt.Sprintf("%s (%s)", a, level))
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
	for _, r := range repl {
		line := fmt.Sprintf("%-10s", r.Machine)
		for _, c := range r.Cells {
			line += fmt.Sprintf("  %-24s", cellText(catalog.HierarchyRow{}, c))
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	for _, r := range repl {
		for k, c := range r.Cells {
			if len(c.Unreached) > 0 {
				fmt.Fprintf(&b, "VACUOUS: %s over %s: %s never reached, so its ✓ proves nothing\n", r.Machine, catalog.ReplicationAlgorithms[k], strings.Join(c.Unreached, ", "))
			}
		}
	}
	if traceDir != "" {
		fmt.Fprintf(&b, "\ncounterexamples written to %s/ (modelcheck replay FILE)\n", traceDir)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCoverage says what every row checked beyond the columns, what a
// row left out and why, and which row never reached a sometimes property
// (its ✓ cells prove nothing).
func writeCoverage(b *strings.Builder, rows []catalog.HierarchyRow) {
	if len(rows) == 0 {
		return
	}
	column := map[string]bool{}
	for _, p := range catalog.HierarchyProperties {
		column[p] = true
	}
	var beyond, sometimes []string
	for _, r := range rows {
		for _, s := range r.Sometimes {
			column[s.Property] = true
			if !slices.Contains(sometimes, s.Property) {
				sometimes = append(sometimes, s.Property)
			}
		}
		for _, o := range r.Omitted {
			if o.Kind == "sometimes" && !slices.Contains(sometimes, o.Property) {
				sometimes = append(sometimes, o.Property)
			}
		}
	}
	for _, name := range rows[0].Evaluated {
		if !column[name] {
			beyond = append(beyond, name)
		}
	}
	b.WriteString("\n")
	if len(beyond) > 0 {
		fmt.Fprintf(b, "every row also checks %s; ", strings.Join(beyond, ", "))
	}
	fmt.Fprintf(b, "each row's good paths (sometimes: %s) are reached, except as said here:\n", strings.Join(sometimes, ", "))
	for _, r := range rows {
		for _, g := range omittedGroups(r.Omitted) {
			fmt.Fprintf(b, "  %s (%s): %s not checked — %s\n", r.Algorithm, modelText(r), strings.Join(g.names, ", "), g.reason)
		}
		if r.Stopped != "" {
			continue
		}
		if u := r.Unreached(); len(u) > 0 {
			fmt.Fprintf(b, "  VACUOUS: %s (%s): %s never reached, so its ✓ cells prove nothing\n", r.Algorithm, modelText(r), strings.Join(u, ", "))
		}
	}
}

// modelText is a row's system model in the table's words.
func modelText(r catalog.HierarchyRow) string {
	f := strings.TrimSpace(strings.TrimPrefix(r.Flags, "-algo "+r.Algorithm))
	if !strings.Contains(f, "-drops") && !strings.Contains(f, "-crashes") {
		f += " (reliable, no crash)"
	}
	return f
}

func cellText(r catalog.HierarchyRow, c catalog.Cell) string {
	var s string
	switch {
	case c.Violated:
		s = fmt.Sprintf("✗%d", c.Steps())
	case r.Stopped != "":
		s = "?"
	default:
		s = "✓"
	}
	if c.Guaranteed {
		s += "*"
	}
	return s
}

type hierarchyRowOut struct {
	Algorithm string             `json:"algorithm"`
	Level     string             `json:"level"`
	Assumed   bool               `json:"assumed_model"`
	Flags     string             `json:"flags"`
	Model     string             `json:"model"`
	States    int64              `json:"distinct_states"`
	ElapsedMS float64            `json:"elapsed_ms"`
	Stopped   *string            `json:"stopped"`
	Cells     []hierarchyCellOut `json:"cells"`
	// Evaluated are every property the row's check evaluated (the cells
	// and more), Omitted those it left out and why, Sometimes whether
	// each good path was reached.
	Evaluated []string       `json:"evaluated"`
	Omitted   []omissionOut  `json:"omitted"`
	Sometimes []sometimesOut `json:"sometimes"`
}

type hierarchyCellOut struct {
	Property   string  `json:"property"`
	Verdict    string  `json:"verdict"` // proved, violated, incomplete
	Guaranteed bool    `json:"guaranteed"`
	Steps      int     `json:"steps,omitempty"`
	Reason     string  `json:"reason,omitempty"`
	Trace      *string `json:"trace,omitempty"`
}

func hierarchyJSON(rows []catalog.HierarchyRow, files map[string]string) []hierarchyRowOut {
	var out []hierarchyRowOut
	for i, r := range rows {
		ro := hierarchyRowOut{Algorithm: r.Algorithm, Level: r.Level, Assumed: r.Assumed, Flags: r.Flags, Model: r.Model,
			States: r.Stats.States, ElapsedMS: float64(r.Stats.Elapsed.Microseconds()) / 1000}
		if r.Stopped != "" {
			ro.Stopped = &r.Stopped
		}
		ro.Evaluated, ro.Omitted, ro.Sometimes = append([]string{}, r.Evaluated...), []omissionOut{}, []sometimesOut{}
		for _, o := range r.Omitted {
			ro.Omitted = append(ro.Omitted, omissionOut{o.Property, o.Kind, o.Reason})
		}
		for _, s := range r.Sometimes {
			ro.Sometimes = append(ro.Sometimes, sometimesOut{s.Property, s.Reached, s.Steps})
		}
		for _, c := range r.Cells {
			co := hierarchyCellOut{Property: c.Property, Guaranteed: c.Guaranteed, Verdict: "proved"}
			switch {
			case c.Violated:
				co.Verdict, co.Steps, co.Reason = "violated", c.Steps(), c.Reason
				if f, ok := files[fmt.Sprint(i, c.Property)]; ok {
					co.Trace = &f
				}
			case r.Stopped != "":
				co.Verdict = "incomplete"
			}
			ro.Cells = append(ro.Cells, co)
		}
		out = append(out, ro)
	}
	return out
}

type replicationOut struct {
	Machine string               `json:"machine"`
	Cells   []replicationCellOut `json:"cells"`
}

type replicationCellOut struct {
	Algorithm string `json:"algorithm"`
	Converges bool   `json:"converges"`
	// Unreached are sometimes properties the check never reached: a
	// "converges" beside them proves nothing.
	Unreached []string `json:"unreached,omitempty"`
	Steps     int      `json:"steps,omitempty"`
	States    int64    `json:"distinct_states"`
}

func replicationJSON(rows []catalog.ReplicationRow) []replicationOut {
	var out []replicationOut
	for _, r := range rows {
		ro := replicationOut{Machine: r.Machine}
		for k, c := range r.Cells {
			ro.Cells = append(ro.Cells, replicationCellOut{Algorithm: catalog.ReplicationAlgorithms[k].String(), Converges: !c.Violated, Steps: c.Steps(), States: r.States[k], Unreached: c.Unreached})
		}
		out = append(out, ro)
	}
	return out
}
