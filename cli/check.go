package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/traces"
)

// checkFlags are the flags every protocol takes.
type checkFlags struct {
	network   string
	drops     int
	dups      int
	crashes   int
	crashMode string
	midStep   bool
	byzantine string
	partial   bool
	mutant    string
	strategy  string
	seed      uint64
	walks     int64
	maxStates int64
	maxDepth  int
	timeout   time.Duration
	workers   int
	maxMemory string
	workDir   string
	symmetry  bool
	json      bool
	progress  bool
	traceOut  string
	traceDir  string
	all       bool
	html      string
}

func (c *checkFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.network, "network", "unordered", "network: unordered or fifo (per-link order)")
	fs.IntVar(&c.drops, "drops", 0, "messages the network may lose")
	fs.IntVar(&c.dups, "dups", 0, "messages the network may duplicate")
	fs.IntVar(&c.crashes, "crashes", 0, "node crashes that may happen")
	fs.StringVar(&c.crashMode, "crash-mode", "stop", "what a crash does: stop (crash-stop) or recover (crash-recovery)")
	fs.BoolVar(&c.midStep, "crash-mid-step", false, "a crash may also strike in the middle of a step, between two of its sends")
	fs.StringVar(&c.byzantine, "byzantine", "", "byzantine nodes, e.g. 0 or 1,3: each sends any message of the protocol's domain")
	fs.BoolVar(&c.partial, "partial-sync", false, "partial synchrony: after a stabilisation step, messages arrive before timeouts")
	fs.StringVar(&c.mutant, "mutant", "", "check this known-buggy variant (see modelcheck list)")
	fs.StringVar(&c.strategy, "strategy", "bfs", "bfs (shortest counterexamples), dfs, or random (simulation)")
	fs.Uint64Var(&c.seed, "seed", 0, "seed of -strategy random (0: pick one and print it)")
	fs.Int64Var(&c.walks, "walks", 0, "random walks to take (-strategy random; 0: until another bound)")
	fs.Int64Var(&c.maxStates, "max-states", 0, "stop after this many distinct states (0: no bound)")
	fs.IntVar(&c.maxDepth, "max-depth", 0, "explore at most this many steps from the start (0: no bound)")
	fs.DurationVar(&c.timeout, "timeout", 0, "stop after this long, e.g. 30s (0: no bound)")
	fs.IntVar(&c.workers, "workers", 0, "BFS worker goroutines (0: one per core)")
	fs.StringVar(&c.maxMemory, "max-memory", "", "memory budget of a BFS, e.g. 2GiB: past half of it the frontier and parent links spill to -workdir; near it the search stops INCOMPLETE (default: 3/5 of this machine's memory; 0: no budget)")
	fs.BoolVar(&c.symmetry, "symmetry", false, "reduce by symmetry: store one state per orbit of the protocol's interchangeable nodes (see modelcheck list); counterexamples stay real executions")
	fs.StringVar(&c.workDir, "workdir", "", "directory for what a BFS spills to disk (a fresh subdirectory, removed at the end; default: the system's temporary directory)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&c.progress, "progress", false, "report progress on stderr even with -json")
	fs.StringVar(&c.traceOut, "trace-out", "", "write the counterexample trace to this file")
	fs.BoolVar(&c.all, "all", false, "keep going after a violation: the shortest counterexample of every property")
	fs.StringVar(&c.traceDir, "trace-dir", "", "with -all, write each counterexample to DIR/PROTOCOL-PROPERTY.json")
	fs.StringVar(&c.html, "html", "", "draw the counterexample in this file: one self-contained HTML page (with -all, one page per violated property: FILE with -PROPERTY before its extension)")
}

var modelFlags = []string{"network", "drops", "dups", "crashes", "crash-mode", "crash-mid-step", "byzantine", "partial-sync"}

const checkSynopsis = "modelcheck check PROTOCOL [flags]"

func cmdCheck(reg *registry, args []string, stdout, stderr io.Writer) (int, error) {
	var cf checkFlags
	// Flags before the protocol's name may only be common ones.
	pre := flag.NewFlagSet("check", flag.ContinueOnError)
	pre.SetOutput(io.Discard)
	cf.register(pre)
	if err := parseFlags(pre, args, checkSynopsis+"\n\nprotocols: "+reg.names(), stdout); err != nil {
		if errors.As(err, new(usageError)) && strings.Contains(err.Error(), "flag provided but not defined") {
			err = usageError{fmt.Errorf("%v (protocol flags go after the protocol's name)", err)}
		}
		return exitUsage, err
	}
	if pre.NArg() == 0 {
		return exitUsage, usageError{fmt.Errorf("check: missing protocol name (one of %s)", reg.names())}
	}
	entry, err := reg.lookup(pre.Arg(0))
	if err != nil {
		return exitUsage, usageError{err}
	}
	fs := flag.NewFlagSet("check "+entry.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cf.register(fs)
	params := map[string]*paramValue{}
	for _, p := range entry.Params {
		v := &paramValue{p: p, v: p.Default}
		params[p.Name] = v
		kind := "int"
		if len(p.Choices) > 0 {
			kind = "name"
		}
		// The back-quoted word names the value in -h output.
		fs.Var(v, p.Name, fmt.Sprintf("%s (`%s`, %s)", p.Doc, kind, p.Range()))
	}
	pre.Visit(func(f *flag.Flag) { fs.Set(f.Name, f.Value.String()) })
	synopsis := fmt.Sprintf("modelcheck check %s [flags]\n\n%s — %s%s", entry.Name, entry.Name, entry.Summary, courseSection(entry))
	if err := parseFlags(fs, pre.Args()[1:], synopsis, stdout); err != nil {
		if errors.As(err, new(usageError)) {
			err = usageError{fmt.Errorf("%v (see modelcheck check %s -h)", err, entry.Name)}
		}
		return exitUsage, err
	}
	if fs.NArg() > 0 {
		return exitUsage, usageError{fmt.Errorf("check %s: unexpected argument %q", entry.Name, fs.Arg(0))}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	run, err := cf.toRun(entry, set)
	if err != nil {
		return exitUsage, usageError{err}
	}
	if err := applyDefaultModel(entry, set, &run); err != nil {
		return exitUsage, err
	}
	run.Params = map[string]int{}
	for name, v := range params {
		run.Params[name] = v.v
	}
	if _, err := entry.Resolve(run.Params, run.Mutant); err != nil {
		return exitUsage, usageError{err}
	}
	// The files the report goes to are checked before the search.
	for _, f := range []struct{ flag, path string }{{"trace-out", cf.traceOut}, {"html", cf.html}} {
		if err := checkOutputFile(f.flag, f.path); err != nil {
			return exitUsage, usageError{err}
		}
	}
	if err := prepareOutputDir("trace-dir", cf.traceDir); err != nil {
		return exitUsage, usageError{err}
	}
	for _, m := range entry.Mutants {
		if m.Name == run.Mutant && m.Beyond != "" {
			fmt.Fprintf(stderr, "modelcheck: note: mutant %s is beyond any bounded check (%s); this search is not expected to catch it\n", m.Name, m.Beyond)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	run.Options.Context = ctx
	if !cf.json || cf.progress {
		run.Options.Progress = progressPrinter(stderr)
	}
	rep, err := entry.Check(run)
	if err != nil {
		return exitUsage, err
	}
	// Write the files, then print the report, then say what could not be
	// written: an I/O error never discards a report.
	var ioErrs []error
	tracePath := ""
	if rep.Trace != nil && cf.traceOut != "" {
		if err := traces.WriteFile(cf.traceOut, rep.Trace); err != nil {
			ioErrs = append(ioErrs, fmt.Errorf("-trace-out: %v", err))
		} else {
			tracePath = cf.traceOut
		}
	}
	traceFiles, err := writeVerdictTraces(cf.traceDir, entry.Name, rep.Verdicts)
	if err != nil {
		ioErrs = append(ioErrs, fmt.Errorf("-trace-dir: %v", err))
	}
	htmlNote := ""
	if cf.html != "" {
		if htmlNote, err = writeCheckHTML(cf.html, rep, cf.all); err != nil {
			ioErrs = append(ioErrs, fmt.Errorf("-html: %v", err))
		}
	}
	if cf.json {
		err = writeJSON(stdout, reportJSON(rep, tracePath, traceFiles))
	} else if err = writeReport(stdout, rep, tracePath, traceFiles); err == nil {
		_, err = io.WriteString(stdout, htmlNote)
	}
	if err != nil {
		return exitUsage, err
	}
	if len(ioErrs) > 0 {
		for _, e := range ioErrs[:len(ioErrs)-1] {
			fmt.Fprintf(stderr, "modelcheck: %v\n", e)
		}
		return exitUsage, fmt.Errorf("%v (the report above is complete)", ioErrs[len(ioErrs)-1])
	}
	switch rep.Status {
	case explore.Violated:
		return exitViolated, nil
	case explore.Incomplete:
		return exitIncomplete, nil
	}
	return exitOK, nil
}

// toRun checks the flags for consistency and builds the run.
func (cf *checkFlags) toRun(e *catalog.Entry, set map[string]bool) (catalog.Run, error) {
	var r catalog.Run
	if !e.UsesModel {
		for _, name := range modelFlags {
			if set[name] {
				return r, fmt.Errorf("-%s does not apply: %s is written directly as a transition system, with no network or node faults", name, e.Name)
			}
		}
	}
	var err error
	if r.Model.Network, err = model.ParseNetwork(cf.network); err != nil {
		return r, fmt.Errorf("-network: %v", err)
	}
	if r.Model.CrashMode, err = model.ParseCrashMode(cf.crashMode); err != nil {
		return r, fmt.Errorf("-crash-mode: %v", err)
	}
	for _, b := range []struct {
		name string
		v    int
	}{{"drops", cf.drops}, {"dups", cf.dups}, {"crashes", cf.crashes}} {
		if b.v < 0 || b.v > model.MaxBudget {
			return r, fmt.Errorf("-%s %d: want 0..%d", b.name, b.v, model.MaxBudget)
		}
	}
	if set["crash-mode"] && cf.crashes == 0 {
		return r, errors.New("-crash-mode needs -crashes > 0")
	}
	if cf.midStep && cf.crashes == 0 {
		return r, errors.New("-crash-mid-step needs -crashes > 0")
	}
	r.Model.CrashMidStep = cf.midStep
	r.Model.PartialSync = cf.partial
	if r.Model.Byzantine, err = model.ParseNodeSet(cf.byzantine); err != nil {
		return r, fmt.Errorf("-byzantine: %v", err)
	}
	r.Model.Drops, r.Model.Dups, r.Model.Crashes = cf.drops, cf.dups, cf.crashes
	r.Mutant = cf.mutant

	o := &r.Options
	if o.Strategy, err = explore.ParseStrategy(cf.strategy); err != nil {
		return r, fmt.Errorf("-strategy: %v", err)
	}
	switch {
	case set["seed"] && o.Strategy != explore.Random:
		return r, errors.New("-seed applies only to -strategy random")
	case set["walks"] && o.Strategy != explore.Random:
		return r, errors.New("-walks applies only to -strategy random")
	case cf.workers > 1 && o.Strategy != explore.BFS:
		return r, fmt.Errorf("-workers %d: only -strategy bfs runs in parallel", cf.workers)
	case cf.workers < 0, cf.maxStates < 0, cf.maxDepth < 0, cf.walks < 0, cf.timeout < 0:
		return r, errors.New("-workers, -max-states, -max-depth, -walks and -timeout must not be negative")
	case cf.traceDir != "" && !cf.all:
		return r, errors.New("-trace-dir goes with -all (one counterexample per property); use -trace-out for one")
	case cf.traceOut != "" && cf.all:
		return r, errors.New("-trace-out writes one counterexample, and -all finds one per property: use -trace-dir DIR (DIR/PROTOCOL-PROPERTY.json each)")
	}
	if cf.symmetry && e.Symmetry == "" {
		return r, fmt.Errorf("-symmetry: %s declares no interchangeable nodes", e.Name)
	}
	r.Symmetry = cf.symmetry
	r.Model.Symmetry = cf.symmetry && e.UsesModel
	if o.MaxMemory, err = memoryBudget(cf.maxMemory); err != nil {
		return r, err
	}
	if o.WorkDir, err = workDirFlag(cf.workDir); err != nil {
		return r, err
	}
	o.KeepGoing = cf.all
	o.Seed, o.Walks, o.MaxStates, o.MaxDepth, o.Timeout, o.Workers = cf.seed, cf.walks, cf.maxStates, cf.maxDepth, cf.timeout, cf.workers
	return r, nil
}

// progressPrinter reports progress on stderr: rewriting one line on a
// terminal, one line per report otherwise.
func progressPrinter(w io.Writer) func(explore.Progress) {
	terminal := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			terminal = true
		}
	}
	return func(p explore.Progress) {
		line := fmt.Sprintf("… %s states (%s/s), %s transitions, depth %d, queue %s, %s; heap %s (%s/state)",
			count(p.States), rate(p.StatesPerSec()), count(p.Transitions), p.Depth, count(p.Queue), p.Elapsed.Round(time.Second),
			bytesText(p.Heap), perState(p.Heap, p.States))
		if p.Disk > 0 {
			line += ", on disk " + bytesText(uint64(p.Disk))
		}
		if terminal {
			fmt.Fprintf(w, "\r\033[K%s", line)
		} else {
			fmt.Fprintln(w, line)
		}
	}
}

// writeVerdictTraces writes each counterexample of a run that kept going to
// dir/PROTOCOL-PROPERTY.json (nothing when dir is empty), and returns the
// files written by property, with the first error (the others are still
// tried).
func writeVerdictTraces(dir, protocol string, verdicts []catalog.Verdict) (map[string]string, error) {
	files := map[string]string{}
	if dir == "" {
		return files, nil
	}
	var first error
	for _, v := range verdicts {
		if v.Trace == nil {
			continue
		}
		path := filepath.Join(dir, protocol+"-"+v.Property+".json")
		if err := traces.WriteFile(path, v.Trace); err != nil {
			first = cmp.Or(first, err)
			continue
		}
		files[v.Property] = path
	}
	return files, first
}

// paramValue is a protocol parameter as a flag: a number, or one of its
// choices by name.
type paramValue struct {
	p catalog.Param
	v int
}

func (v *paramValue) String() string {
	if v == nil {
		return ""
	}
	return v.p.Format(v.v)
}

func (v *paramValue) Set(s string) error {
	n, err := v.p.Parse(s)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "-"+v.p.Name+" "))
	}
	v.v = n
	return nil
}

// applyDefaultModel fills the system-model settings the user did not give
// from the protocol's defaults.
func applyDefaultModel(e *catalog.Entry, set map[string]bool, r *catalog.Run) error {
	if e.DefaultModel == "" {
		return nil
	}
	d, err := e.DefaultRun()
	if err != nil {
		return err
	}
	m, dm := &r.Model, d.Model
	for name, copyField := range map[string]func(){
		"network":        func() { m.Network = dm.Network },
		"drops":          func() { m.Drops = dm.Drops },
		"dups":           func() { m.Dups = dm.Dups },
		"crashes":        func() { m.Crashes = dm.Crashes },
		"crash-mode":     func() { m.CrashMode = dm.CrashMode },
		"crash-mid-step": func() { m.CrashMidStep = dm.CrashMidStep },
		"byzantine":      func() { m.Byzantine = dm.Byzantine },
		"partial-sync":   func() { m.PartialSync = dm.PartialSync },
	} {
		if !set[name] {
			copyField()
		}
	}
	return nil
}

// memoryBudget reads -max-memory: a size, "0" for no budget, or "" for the
// default share of this machine's memory.
func memoryBudget(flagValue string) (int64, error) {
	if flagValue == "" {
		return explore.DefaultMaxMemory(), nil
	}
	if flagValue == "0" {
		return 0, nil
	}
	n, err := explore.ParseBytes(flagValue)
	if err != nil {
		return 0, fmt.Errorf("-max-memory: %v", err)
	}
	if n < 16<<20 {
		return 0, fmt.Errorf("-max-memory %s: at least 16MiB (or 0 for no budget)", flagValue)
	}
	return n, nil
}

// workDirFlag checks -workdir before any work: it must be a directory one
// can create files in.
func workDirFlag(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("-workdir %s: %v", dir, err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("-workdir %s: not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, ".modelcheck-probe-")
	if err != nil {
		return "", fmt.Errorf("-workdir %s: cannot write there: %v", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return dir, nil
}

// perState prints bytes per distinct state.
func perState(bytes uint64, states int64) string {
	if states == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f B", float64(bytes)/float64(states))
}
