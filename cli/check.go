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
	"runtime/pprof"
	"strings"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/traces"
)

// checkFlags are the flags of a check beyond the run's description
// (catalog.RunFlags): how to search and where the report goes.
type checkFlags struct {
	workers   int
	maxMemory string
	workDir   string
	json      bool
	progress  bool
	traceOut  string
	traceDir  string
	all       bool
	html      string
	cpuProf   string
	runFile   string
}

func (c *checkFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&c.workers, "workers", 0, "BFS worker goroutines (0: one per core)")
	fs.StringVar(&c.maxMemory, "max-memory", "", "memory budget of a BFS, e.g. 2GiB: past half of it the frontier and parent links spill to -workdir; near it the search stops INCOMPLETE (default: 3/5 of this machine's memory; 0: no budget)")
	fs.StringVar(&c.workDir, "workdir", "", "directory for what a BFS spills to disk (a fresh subdirectory, removed at the end; default: the system's temporary directory)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&c.progress, "progress", false, "report progress on stderr even with -json")
	fs.StringVar(&c.traceOut, "trace-out", "", "write the counterexample trace to this file")
	fs.BoolVar(&c.all, "all", false, "keep going after a violation: the shortest counterexample of every property")
	fs.StringVar(&c.traceDir, "trace-dir", "", "with -all, write each counterexample to DIR/PROTOCOL-PROPERTY.json")
	fs.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of the search to this file (go tool pprof reads it): where your protocol's Step, encodings and properties spend the time")
	fs.StringVar(&c.runFile, "run", "", "check the run this JSON file describes — a run, a report of check -json (its \"run\") or a trace (its header) — with the protocol's name optional and the flags given overriding it")
	fs.StringVar(&c.html, "html", "", "draw the counterexample in this file: one self-contained HTML page (with -all, one page per violated property: FILE with -PROPERTY before its extension)")
}

const checkSynopsis = "modelcheck check PROTOCOL [flags]\n       modelcheck check -run FILE [PROTOCOL] [flags]"

func cmdCheck(reg *registry, args []string, stdout, stderr io.Writer) (int, error) {
	// Flags before the protocol's name may only be common ones. They are
	// read into their own copy and set again on the protocol's flag set
	// (registering a flag resets the variable it is bound to).
	var cf, early checkFlags
	pre := flag.NewFlagSet("check", flag.ContinueOnError)
	pre.SetOutput(io.Discard)
	early.register(pre)
	(&catalog.Entry{}).BindRun(pre) // the run's flags, without any protocol's parameters
	if err := parseFlags(pre, args, checkSynopsis+"\n\nprotocols: "+reg.names(), stdout); err != nil {
		if errors.As(err, new(usageError)) && strings.Contains(err.Error(), "flag provided but not defined") {
			err = usageError{fmt.Errorf("%v (protocol flags go after the protocol's name)", err)}
		}
		return exitUsage, err
	}
	var fromFile *catalog.RunJSON
	if early.runFile != "" {
		data, err := os.ReadFile(early.runFile)
		if err != nil {
			return exitUsage, usageError{fmt.Errorf("-run: %v", err)}
		}
		j, err := catalog.ReadRunJSON(data)
		if err != nil {
			return exitUsage, usageError{fmt.Errorf("-run %s: %v", early.runFile, err)}
		}
		fromFile = &j
	}
	rest := pre.Args()
	var name string
	switch {
	case len(rest) > 0 && !strings.HasPrefix(rest[0], "-"):
		name, rest = rest[0], rest[1:]
		if fromFile != nil && fromFile.Protocol != name {
			return exitUsage, usageError{fmt.Errorf("-run %s is a run of %s, not %s", early.runFile, fromFile.Protocol, name)}
		}
	case fromFile != nil:
		name = fromFile.Protocol
	default:
		return exitUsage, usageError{fmt.Errorf("check: missing protocol name (one of %s)", reg.names())}
	}
	entry, err := reg.lookup(name)
	if err != nil {
		return exitUsage, usageError{err}
	}
	fs := flag.NewFlagSet("check "+entry.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cf.register(fs)
	rf := entry.BindRun(fs)
	pre.Visit(func(f *flag.Flag) { fs.Set(f.Name, f.Value.String()) })
	synopsis := fmt.Sprintf("modelcheck check %s [flags]\n\n%s — %s%s", entry.Name, entry.Name, entry.Summary, courseSection(entry))
	if err := parseFlags(fs, rest, synopsis, stdout); err != nil {
		if errors.As(err, new(usageError)) {
			err = usageError{fmt.Errorf("%v (see modelcheck check %s -h)", err, entry.Name)}
		}
		return exitUsage, err
	}
	if fs.NArg() > 0 {
		return exitUsage, usageError{fmt.Errorf("check %s: unexpected argument %q", entry.Name, fs.Arg(0))}
	}
	run, err := entry.DefaultRun()
	if err != nil {
		return exitUsage, err
	}
	if fromFile != nil {
		if run, err = entry.RunFromJSON(*fromFile); err != nil {
			return exitUsage, usageError{fmt.Errorf("-run %s: %v", early.runFile, err)}
		}
	}
	if err := rf.ApplyTo(&run); err != nil {
		return exitUsage, usageError{err}
	}
	if err := cf.search(&run); err != nil {
		return exitUsage, usageError{err}
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
	if cf.cpuProf != "" {
		f, err := os.Create(cf.cpuProf)
		if err != nil {
			return exitUsage, usageError{fmt.Errorf("-cpuprofile: %v", err)}
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return exitUsage, usageError{fmt.Errorf("-cpuprofile: %v", err)}
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
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

// search sets the search options the check's own flags give, and checks
// them against the run.
func (cf *checkFlags) search(r *catalog.Run) error {
	o := &r.Options
	switch {
	case cf.workers > 1 && o.Strategy != explore.BFS:
		return fmt.Errorf("-workers %d: only -strategy bfs runs in parallel", cf.workers)
	case cf.workers < 0:
		return errors.New("-workers must not be negative")
	case cf.traceDir != "" && !cf.all:
		return errors.New("-trace-dir goes with -all (one counterexample per property); use -trace-out for one")
	case cf.traceOut != "" && cf.all:
		return errors.New("-trace-out writes one counterexample, and -all finds one per property: use -trace-dir DIR (DIR/PROTOCOL-PROPERTY.json each)")
	}
	var err error
	if o.MaxMemory, err = memoryBudget(cf.maxMemory); err != nil {
		return err
	}
	if o.WorkDir, err = workDirFlag(cf.workDir); err != nil {
		return err
	}
	o.KeepGoing, o.Workers = cf.all, cf.workers
	return nil
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
