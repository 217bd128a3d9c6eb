package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/traces"
)

func init() {
	commands["run"] = command{
		Usage: "modelcheck run PROTOCOL [flags]          run a protocol on goroutines with faults, and check the run",
		Serve: cmdRun,
	}
}

const runSynopsis = "modelcheck run PROTOCOL [flags]"

// runFlags are the flags every protocol's run takes.
type runFlags struct {
	mutant                   string
	seed                     uint64
	ops                      int
	duration                 time.Duration
	loss, dup                float64
	delay                    string
	fifo                     bool
	crashEvery, downtime     time.Duration
	partitionEvery, partFor  time.Duration
	faultWindow, callTimeout time.Duration
	data                     string
	traceOut, html           string
	keepGoing                bool
	simulate                 bool
	asJSON                   bool
	timers                   timerFlags
}

// timerFlags collects -timer NAME=BASE[+JITTER] and -timer NAME=idle,
// repeatable.
type timerFlags map[string]impl.TimerSpec

func (t *timerFlags) String() string { return "" }

func (t *timerFlags) Set(s string) error {
	name, spec, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q: want NAME=BASE, NAME=BASE+JITTER or NAME=idle", s)
	}
	base, jitter, _ := strings.Cut(spec, "+")
	var ts impl.TimerSpec
	var err error
	if spec == "idle" {
		ts.Idle = true
	} else if ts.Base, err = time.ParseDuration(base); err != nil {
		return fmt.Errorf("%q: %q is not a duration", s, base)
	}
	if jitter != "" {
		if ts.Jitter, err = time.ParseDuration(jitter); err != nil {
			return fmt.Errorf("%q: %q is not a duration", s, jitter)
		}
	}
	if err := ts.Validate(); err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	if *t == nil {
		*t = timerFlags{}
	}
	(*t)[name] = ts
	return nil
}

func (r *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.mutant, "mutant", "", "run this known-buggy variant (see modelcheck list)")
	fs.Uint64Var(&r.seed, "seed", 0, "seed of every random draw (0: pick one and print it); round k runs with seed+k")
	fs.IntVar(&r.ops, "ops", 0, "run rounds until this many client operations were issued")
	fs.DurationVar(&r.duration, "duration", 0, "run rounds for this long, e.g. 5s (with neither -ops nor -duration: one round)")
	fs.Float64Var(&r.loss, "loss", 0, "probability that the network loses a message")
	fs.Float64Var(&r.dup, "dup", 0, "probability that the network delivers a message twice")
	fs.StringVar(&r.delay, "delay", "none", "message delay: none, fixed:D, uniform:MIN-MAX, exp:MEAN or exp:MEAN-MAX (e.g. uniform:0-2ms)")
	fs.BoolVar(&r.fifo, "fifo", false, "keep each link's messages in order despite delays")
	fs.DurationVar(&r.crashEvery, "crash-every", 0, "mean time between node crashes in a round (0: none)")
	fs.DurationVar(&r.downtime, "downtime", 20*time.Millisecond, "mean time a crashed node stays down before it restarts")
	fs.DurationVar(&r.partitionEvery, "partition-every", 0, "mean time between partitions in a round (0: none)")
	fs.DurationVar(&r.partFor, "partition-for", 20*time.Millisecond, "mean length of a partition")
	fs.DurationVar(&r.faultWindow, "fault-window", 100*time.Millisecond, "crashes and partitions start within this time of a round's start")
	fs.DurationVar(&r.callTimeout, "call-timeout", 200*time.Millisecond, "how long a client waits for a reply (per try)")
	fs.StringVar(&r.data, "data", "", "keep node state on disk under this directory (append-only, fsync'd); default: in memory")
	fs.StringVar(&r.traceOut, "trace-out", "", "write the trace of the first failing round (or else the last) to this file")
	fs.StringVar(&r.html, "html", "", "draw that round in this file: one self-contained HTML page")
	fs.BoolVar(&r.keepGoing, "keep-going", false, "keep running rounds after one fails")
	fs.BoolVar(&r.simulate, "simulate", false, "run in virtual time on one goroutine: the seed then reproduces each round exactly")
	fs.BoolVar(&r.asJSON, "json", false, "print one JSON object instead of the text")
	fs.Var(&r.timers, "timer", "a timer's duration, NAME=BASE or NAME=BASE+JITTER (e.g. election=50ms+50ms), or NAME=idle: fires once the node has handled its inbox; repeatable")
}

func cmdRun(reg *registry, args []string, stdout, stderr io.Writer) (int, error) {
	// Flags before the protocol's name are read into their own copy and
	// set again on the protocol's flag set (registering a flag resets the
	// variable it is bound to).
	var rf, early runFlags
	pre := flag.NewFlagSet("run", flag.ContinueOnError)
	pre.SetOutput(io.Discard)
	early.register(pre)
	names := strings.Join(reg.runnable(), ", ")
	if err := parseFlags(pre, args, runSynopsis+"\n\nprotocols: "+names, stdout); err != nil {
		if errors.As(err, new(usageError)) && strings.Contains(err.Error(), "flag provided but not defined") {
			err = usageError{fmt.Errorf("%v (protocol flags go after the protocol's name)", err)}
		}
		return exitUsage, err
	}
	if pre.NArg() == 0 {
		return exitUsage, usageError{fmt.Errorf("run: missing protocol name (one of %s)", names)}
	}
	name := pre.Arg(0)
	runner, err := reg.runner(name)
	if err != nil {
		return exitUsage, usageError{err}
	}
	entry, err := reg.lookup(name)
	if err != nil {
		return exitUsage, usageError{err}
	}
	fs := flag.NewFlagSet("run "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rf.register(fs)
	params := map[string]*catalog.ParamValue{}
	flagOf := map[string]string{}
	declare := func(p catalog.Param) {
		v := catalog.NewParamValue(p)
		params[p.Name] = v
		kind := "int"
		if len(p.Choices) > 0 {
			kind = "name"
		}
		// A parameter named like a runtime flag (rpc's -ops) is set as
		// -PROTOCOL-NAME (-rpc-ops).
		flagName := p.Name
		if fs.Lookup(flagName) != nil {
			flagName = name + "-" + p.Name
		}
		flagOf[p.Name] = flagName
		if slices.Contains(runner.Bounds, p.Name) {
			p.Doc += "; a run has no such bound unless this is set"
		}
		fs.Var(v, flagName, fmt.Sprintf("%s (`%s`, %s)", p.Doc, kind, p.Range()))
	}
	for _, p := range entry.Params {
		declare(p)
	}
	pre.Visit(func(f *flag.Flag) { fs.Set(f.Name, f.Value.String()) })
	synopsis := fmt.Sprintf("modelcheck run %s [flags]\n\n%s — %s%s\nthe run: %s\ntimers (-timer NAME=BASE[+JITTER] or NAME=idle): %s", name, name, entry.Summary, courseSection(entry), runner.Doc, protocols.TimerNames(runner.Timers))
	if err := parseFlags(fs, reorder(fs, pre.Args()[1:]), synopsis, stdout); err != nil {
		if errors.As(err, new(usageError)) {
			err = usageError{fmt.Errorf("%v (see modelcheck run %s -h)", err, name)}
		}
		return exitUsage, err
	}
	if fs.NArg() > 0 {
		return exitUsage, usageError{fmt.Errorf("run %s: unexpected argument %q", name, fs.Arg(0))}
	}
	opts, err := rf.options()
	if err != nil {
		return exitUsage, usageError{fmt.Errorf("run %s: %v", name, err)}
	}
	catalogParams := map[string]int{}
	for _, p := range entry.Params {
		catalogParams[p.Name] = params[p.Name].Int()
	}
	resolved, err := entry.Resolve(catalogParams, rf.mutant)
	if err != nil {
		return exitUsage, usageError{err}
	}
	// The checker's bounds are lifted unless set (runner.Bounds).
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, b := range runner.Bounds {
		if !set[flagOf[b]] {
			resolved[b] = -1
		}
	}
	var settings []string
	for _, p := range entry.Params {
		v := p.Format(resolved[p.Name])
		if resolved[p.Name] < 0 && slices.Contains(runner.Bounds, p.Name) {
			v = "none"
		}
		settings = append(settings, p.Name+"="+v)
	}
	opts.Params, opts.Settings, opts.Mutant = resolved, strings.Join(settings, " "), rf.mutant
	_, opts.Choices = entry.SplitChoices(resolved)
	opts.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, "modelcheck: "+format+"\n", a...) }
	if err := runner.Check(resolved, rf.mutant, opts); err != nil {
		return exitUsage, usageError{fmt.Errorf("run %s: %v", name, err)}
	}

	mode := "goroutines and real time"
	if opts.Simulate {
		mode = "simulated: virtual time, one goroutine, reproduced exactly by the seed"
	}
	if !rf.asJSON {
		fmt.Fprintf(stdout, "run %s %s", name, opts.Settings)
		if rf.mutant != "" {
			fmt.Fprintf(stdout, " mutant=%s", rf.mutant)
		}
		fmt.Fprintf(stdout, "\nseed %d (rerun with -seed %d)\nruntime: %s\nnetwork: %s; faults: %s\n", opts.Seed, opts.Seed, mode, opts.Network, describeFaults(opts.Faults))
	}
	res, err := runner.Run(resolved, rf.mutant, opts)
	if err != nil {
		return exitUsage, err
	}
	files, ferr := rf.writeTraces(res)
	if rf.asJSON {
		err = writeJSON(stdout, runJSON(name, opts, mode, res, files))
	} else {
		err = writeRunSummary(stdout, res, files)
	}
	if err != nil {
		return exitUsage, err
	}
	if ferr != nil {
		return exitUsage, ferr
	}
	switch res.Status() {
	case protocols.Violated:
		return exitViolated, nil
	case protocols.Incomplete:
		return exitIncomplete, nil
	}
	return exitOK, nil
}

// options checks the flags and builds the run's options.
func (rf *runFlags) options() (protocols.Options, error) {
	var o protocols.Options
	switch {
	case rf.ops < 0:
		return o, fmt.Errorf("-ops %d: want ≥ 0", rf.ops)
	case rf.duration < 0:
		return o, fmt.Errorf("-duration %v: want ≥ 0", rf.duration)
	case rf.crashEvery < 0 || rf.partitionEvery < 0 || rf.downtime <= 0 || rf.partFor <= 0 || rf.faultWindow <= 0:
		return o, errors.New("-crash-every and -partition-every want durations ≥ 0; -downtime, -partition-for and -fault-window > 0")
	case rf.callTimeout <= 0:
		return o, fmt.Errorf("-call-timeout %v: want > 0", rf.callTimeout)
	}
	delay, err := parseDelay(rf.delay)
	if err != nil {
		return o, err
	}
	o.Network = impl.Network{Loss: rf.loss, Dup: rf.dup, Delay: delay, FIFO: rf.fifo}
	if err := o.Network.Validate(); err != nil {
		return o, err
	}
	o.Seed = rf.seed
	if o.Seed == 0 {
		o.Seed = uint64(time.Now().UnixNano())
	}
	o.Ops, o.Duration, o.CallTimeout, o.DataDir = rf.ops, rf.duration, rf.callTimeout, rf.data
	o.StopAtFailure = !rf.keepGoing
	o.Simulate = rf.simulate
	o.Timers = rf.timers
	o.Faults = impl.FaultPlan{Duration: rf.faultWindow, CrashEvery: rf.crashEvery, Downtime: rf.downtime,
		PartitionEvery: rf.partitionEvery, PartitionFor: rf.partFor}
	return o, nil
}

// parseDelay reads -delay: none, fixed:D, uniform:MIN-MAX, exp:MEAN,
// exp:MEAN-MAX.
func parseDelay(s string) (impl.Delay, error) {
	bad := func(why string) (impl.Delay, error) {
		return impl.Delay{}, fmt.Errorf("-delay %q: %s (want none, fixed:D, uniform:MIN-MAX, exp:MEAN or exp:MEAN-MAX)", s, why)
	}
	if s == "" || s == "none" {
		return impl.Delay{}, nil
	}
	dist, arg, ok := strings.Cut(s, ":")
	if !ok {
		return bad("no duration")
	}
	lo, hi, ranged := strings.Cut(arg, "-")
	a, err := time.ParseDuration(lo)
	if err != nil {
		return bad(fmt.Sprintf("%q is not a duration", lo))
	}
	var b time.Duration
	if ranged {
		if b, err = time.ParseDuration(hi); err != nil {
			return bad(fmt.Sprintf("%q is not a duration", hi))
		}
	}
	var d impl.Delay
	switch dist {
	case "fixed":
		if ranged {
			return bad("fixed takes one duration")
		}
		d = impl.Delay{Dist: "fixed", Min: a}
	case "uniform":
		if !ranged {
			return bad("uniform takes MIN-MAX")
		}
		d = impl.Delay{Dist: "uniform", Min: a, Max: b}
	case "exp":
		d = impl.Delay{Dist: "exp", Mean: a, Max: b}
	default:
		return bad(fmt.Sprintf("unknown distribution %q", dist))
	}
	if err := d.Validate(); err != nil {
		return bad(err.Error())
	}
	return d, nil
}

func describeFaults(p impl.FaultPlan) string {
	var parts []string
	if p.CrashEvery > 0 {
		parts = append(parts, fmt.Sprintf("a crash every ~%v (down ~%v)", p.CrashEvery, p.Downtime))
	}
	if p.PartitionEvery > 0 {
		parts = append(parts, fmt.Sprintf("a partition every ~%v (for ~%v)", p.PartitionEvery, p.PartitionFor))
	}
	if len(parts) == 0 {
		return "no crashes, no partitions"
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", within the first %v of each round", p.Duration)
}

// runFiles are the files a run wrote ("" for none).
type runFiles struct{ trace, html, porcupine, what string }

// writeRunSummary prints what the run did and found, and its verdict.
func writeRunSummary(w io.Writer, r *protocols.Result, files runFiles) error {
	var b strings.Builder
	s := r.Stats
	fmt.Fprintf(&b, "rounds: %d in %v\n", r.Rounds, r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "operations: %d issued, %d answered, %d timed out, %d refused (node down)\n", r.Ops, r.Answered, r.TimedOut, r.Refused)
	fmt.Fprintf(&b, "steps: %d (%d messages sent, %d delivered, %d timers fired)\n", s.Steps, s.Sent, s.Delivered, s.Fired)
	fmt.Fprintf(&b, "faults injected: %d (%d messages dropped, %d cut by partitions, %d duplicated, %d crashes, %d partitions); %d messages reached a down node\n",
		s.Faults(), s.Dropped, s.Cut, s.Duplicated, s.Crashes, s.Partitions, s.Lost)
	if r.Replay != nil {
		fmt.Fprintf(&b, "replay: FAILED: %v\n", r.Replay)
	} else {
		fmt.Fprintf(&b, "replay: every step gave the recorded outputs and state through Step (%d steps)\n", s.Steps)
	}
	b.WriteString("properties:\n")
	width := 0
	for _, p := range r.Properties {
		width = max(width, len(p.Property)+len(p.Kind.String())+3)
	}
	for _, p := range r.Properties {
		label := fmt.Sprintf("%s (%s)", p.Property, p.Kind)
		var out string
		switch {
		case p.Violated > 0:
			out = fmt.Sprintf("VIOLATED in %d of %d rounds; first in round %d: %s", p.Violated, r.Rounds, p.FirstRound, p.FirstReason)
		case p.Kind.String() == "sometimes":
			out = fmt.Sprintf("reached in %d of %d rounds", p.Reached, r.Rounds)
			switch {
			case p.Reached > 0:
			case p.Expected:
				out += ": NEVER, though the workload makes it happen"
			default:
				out += " (hangs on faults and timing: not required)"
			}
		case p.Kind.Live():
			out = "not evaluated: liveness, which no finite run shows (check it on fair lassos)"
		case p.NotEvaluated == r.Rounds:
			out = "NOT EVALUATED: no round ended quiescent"
		default:
			out = fmt.Sprintf("held in %d rounds", p.Held)
			if p.NotEvaluated > 0 {
				out += fmt.Sprintf(" (not evaluated in %d that did not end quiescent)", p.NotEvaluated)
			}
		}
		fmt.Fprintf(&b, "  %-*s %s\n", width, label, out)
	}
	if l := r.Lin; l != nil {
		fmt.Fprintf(&b, "linearizability (porcupine): %d histories of %d operations: %d linearizable, %d not, %d undecided (timed out)\n",
			l.Ok+l.Illegal+l.Unknown, l.Ops, l.Ok, l.Illegal, l.Unknown)
		if l.Illegal > 0 {
			fmt.Fprintf(&b, "  first non-linearizable history: round %d (seed %d)\n", l.FirstIllegalRound, r.Seed+uint64(l.FirstIllegalRound))
		}
	}
	for _, err := range r.Errs {
		fmt.Fprintf(&b, "runtime error: %v\n", err)
	}
	switch st := r.Status(); st {
	case protocols.Incomplete:
		b.WriteString("result: INCOMPLETE — nothing went wrong, but the run checked less than it claims:\n")
		for _, g := range r.Gaps() {
			fmt.Fprintf(&b, "  %s\n", g)
		}
	default:
		fmt.Fprintf(&b, "result: %s\n", st)
	}
	if files.trace != "" {
		fmt.Fprintf(&b, "trace of %s written to %s\n", files.what, files.trace)
	}
	if files.html != "" {
		fmt.Fprintf(&b, "diagram of %s written to %s\n", files.what, files.html)
	}
	if files.porcupine != "" {
		fmt.Fprintf(&b, "porcupine's view of the non-linearizable history written to %s\n", files.porcupine)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTraces writes the kept round's trace, its drawing, and porcupine's
// visualisation of a non-linearizable history next to them; it returns
// what it wrote before any error.
func (rf *runFlags) writeTraces(r *protocols.Result) (runFiles, error) {
	files := runFiles{what: fmt.Sprintf("round %d (seed %d)", r.TraceRound, r.Seed+uint64(r.TraceRound))}
	if rf.traceOut != "" {
		if err := traces.WriteFile(rf.traceOut, r.Trace); err != nil {
			return files, err
		}
		files.trace = rf.traceOut
	}
	if rf.html != "" {
		f, err := os.Create(rf.html)
		if err != nil {
			return files, err
		}
		err = traces.WritePage(f, r.Trace, runPage(r, rf.html))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return files, err
		}
		files.html = rf.html
	}
	if len(r.LinHTML) > 0 {
		base := rf.html
		if base == "" {
			base = rf.traceOut
		}
		if base != "" {
			path := strings.TrimSuffix(base, filepath.Ext(base)) + ".porcupine.html"
			if err := os.WriteFile(path, r.LinHTML, 0o644); err != nil {
				return files, err
			}
			files.porcupine = path
		}
	}
	return files, nil
}
