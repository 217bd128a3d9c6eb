// Command raftkv benchmarks a 3-node Raft key-value store in one process
// against go.etcd.io/raft/v3 and github.com/hashicorp/raft: commits per
// second and commit latency of closed-loop clients, every implementation
// driven by the same harness and workload in one run.
//
//	cd bench/raftkv && go run . [-impls ours,etcd,hashicorp] [-clients 1,16,64]
//	    [-proposals 100000] [-warmup 10000] [-reps 5] [-json] [-cpuprofile FILE]
//
// For each repetition, client count and implementation (in that order, so
// that a slow spell of the machine hits every implementation alike) it
// starts a fresh cluster with an elected leader, runs -warmup proposals,
// then measures -proposals 16-byte proposals issued by closed-loop clients
// (each waits for its proposal to be committed and applied by the leader
// before it sends the next one). It checks that every node applied every
// proposal, and prints per implementation and client count the median
// over the repetitions of commits/s, p50 and p99 commit latency, and the
// ratio of commits/s to etcd raft's. See README.md.
//
// This is its own module (bench/raftkv/go.mod) so that users of the
// library never download etcd or hashicorp raft; `go test ./...` in this
// directory runs a quick smoke test of every implementation.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// impls lists the implementations by name, in table order.
func impls() []Impl { return []Impl{oursImpl, oursPipeImpl, etcdImpl, etcdTunedImpl, hashicorpImpl} }

type config struct {
	impls      []Impl
	clients    []int
	w          Workload
	reps       int
	json       bool
	cpuprofile string
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	var names []string
	for _, im := range impls() {
		names = append(names, im.Name)
	}
	fs := flag.NewFlagSet("raftkv", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	implsFlag := fs.String("impls", strings.Join(names, ","), "comma-separated implementations to run: "+strings.Join(names, ", "))
	clients := fs.String("clients", "1,16,64,256", "comma-separated numbers of concurrent closed-loop clients")
	fs.IntVar(&c.w.Proposals, "proposals", 100_000, "measured proposals per run, over all clients")
	fs.IntVar(&c.w.Warmup, "warmup", -1, "proposals before measuring, per run (default: a tenth of -proposals)")
	fs.IntVar(&c.reps, "reps", 5, "fresh clusters per implementation and client count; medians are reported")
	fs.DurationVar(&c.w.Timeout, "timeout", 2*time.Minute, "longest a single run may take before it fails")
	fs.BoolVar(&c.json, "json", false, "print one JSON object per implementation and client count instead of the table")
	keep := fs.Int("compact-every", 1024, "log entries kept by a compaction, and how many more trigger the next one")
	window := fs.Int("ours-window", oursWindow, "ours-pipe's pipelining window: entries in flight past a follower's acknowledgement")
	flush := oursFlush
	fs.Var(&flush, "ours-flush", "ours-pipe's batch flush: idle (once the leader has handled every request waiting in its inbox), a delay after the request that armed it, or 0 (no batching, each request sent at once)")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of all runs to `file` (use -impls to profile one)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: go run . [-impls ours,ours-pipe,etcd,etcd-tuned,hashicorp] [-clients 1,16,64,256] [-proposals N] [-warmup N] [-reps N] [-compact-every N] [-ours-window N] [-ours-flush idle|D] [-timeout D] [-json] [-cpuprofile file]")
			fs.PrintDefaults()
		}
		return c, usageError{err.Error() + " (-h lists the flags)"}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Sprintf("unexpected argument %q (all options are flags)", fs.Arg(0))}
	}
	for n := range strings.SplitSeq(*implsFlag, ",") {
		n = strings.TrimSpace(n)
		i := slices.Index(names, n)
		if i < 0 {
			return c, usageError{fmt.Sprintf("-impls: unknown implementation %q (have %s)", n, strings.Join(names, ", "))}
		}
		if slices.ContainsFunc(c.impls, func(im Impl) bool { return im.Name == n }) {
			return c, usageError{fmt.Sprintf("-impls: %q is listed twice", n)}
		}
		c.impls = append(c.impls, impls()[i])
	}
	for f := range strings.SplitSeq(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 4096 {
			return c, usageError{fmt.Sprintf("-clients: %q is not a number of clients in 1..4096", f)}
		}
		if slices.Contains(c.clients, n) {
			return c, usageError{fmt.Sprintf("-clients: %d is listed twice", n)}
		}
		c.clients = append(c.clients, n)
	}
	if c.w.Proposals < 1 {
		return c, usageError{fmt.Sprintf("-proposals %d: want at least 1", c.w.Proposals)}
	}
	if c.w.Warmup < 0 {
		c.w.Warmup = c.w.Proposals / 10
	}
	if *keep < 1 {
		return c, usageError{fmt.Sprintf("-compact-every %d: want at least 1", *keep)}
	}
	if c.reps < 1 {
		return c, usageError{fmt.Sprintf("-reps %d: want at least 1", c.reps)}
	}
	if c.w.Timeout <= 0 {
		return c, usageError{"-timeout: want a positive duration"}
	}
	if *window < 1 {
		return c, usageError{fmt.Sprintf("-ours-window %d: want at least 1", *window)}
	}
	if flush.d < 0 {
		return c, usageError{fmt.Sprintf("-ours-flush %v: want idle, 0 (no batching) or a positive delay", flush.d)}
	}
	compactEvery, oursWindow, oursFlush = *keep, *window, flush
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if strings.Contains(err.Error(), flag.ErrHelp.Error()) {
			return 0
		}
		fmt.Fprintln(stderr, "raftkv:", err)
		return 2
	}
	if note := loadNote(); note != "" {
		fmt.Fprintln(stderr, "raftkv:", note)
	}
	rows, err := bench(c, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "raftkv:", err)
		return 1
	}
	if c.json {
		enc := json.NewEncoder(stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				fmt.Fprintln(stderr, "raftkv:", err)
				return 1
			}
		}
	} else {
		printTable(stdout, c, rows)
	}
	code := 0
	for _, r := range rows {
		if r.Error != "" {
			fmt.Fprintf(stderr, "raftkv: %s with %d clients did not complete: %s\n", r.Impl, r.Clients, r.Error)
			code = 1
		}
	}
	return code
}

// Row is one implementation at one client count: medians over the runs.
type Row struct {
	Impl          string    `json:"impl"`
	Clients       int       `json:"clients"`
	Proposals     int       `json:"proposals"`
	Warmup        int       `json:"warmup"`
	Runs          int       `json:"runs"`
	Retries       int       `json:"retries,omitempty"` // failed runs done again on a fresh cluster
	CommitsPerSec float64   `json:"commits_per_sec"`
	AllPerSec     []float64 `json:"all_commits_per_sec"` // sorted
	P50Micros     float64   `json:"p50_us"`
	P99Micros     float64   `json:"p99_us"`
	MeanMicros    float64   `json:"mean_us"`
	VsEtcd        float64   `json:"commits_vs_etcd,omitempty"` // commits/s over etcd's at this client count
	CPUPerCommit  float64   `json:"cpu_us_per_commit"`         // process CPU time per commit
	AllocsPerOp   float64   `json:"allocs_per_commit"`
	BytesPerOp    float64   `json:"bytes_per_commit"`
	MaxRetained   int       `json:"max_retained_entries"` // largest log any node held, over all runs
	// Error is why a run failed; an implementation that fails a run at a
	// client count is not run again at that count, and its numbers are
	// zero.
	Error string `json:"error,omitempty"`
}

// bench runs every repetition, client count and implementation.
func bench(c config, progress io.Writer) ([]Row, error) {
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	type key struct {
		impl    string
		clients int
	}
	samples := map[key][]Sample{}
	failed := map[key]string{}
	retries := map[key]int{}
	for rep := range c.reps {
		for _, n := range c.clients {
			for _, im := range c.impls {
				if failed[key{im.Name, n}] != "" {
					continue
				}
				w := c.w
				w.Clients = n
				s, err := runOnce(im, w)
				if err != nil {
					// Once more on a fresh cluster: on a shared machine a
					// stall can cost a leader its lease. Counted in Retries.
					fmt.Fprintf(progress, "run %d/%d  %-9s %3d clients: failed, running again on a fresh cluster: %v\n", rep+1, c.reps, im.Name, n, err)
					retries[key{im.Name, n}]++
					s, err = runOnce(im, w)
				}
				if err != nil {
					failed[key{im.Name, n}] = fmt.Sprintf("run %d: %v", rep+1, err)
					fmt.Fprintf(progress, "run %d/%d  %-9s %3d clients: FAILED: %v\n", rep+1, c.reps, im.Name, n, err)
					continue
				}
				fmt.Fprintf(progress, "run %d/%d  %-9s %3d clients: %8.0f commits/s  p50 %7.1f µs  p99 %8.1f µs  log ≤ %d entries\n",
					rep+1, c.reps, im.Name, n, s.CommitsPerSec, micros(s.P50), micros(s.P99), s.MaxRetained)
				samples[key{im.Name, n}] = append(samples[key{im.Name, n}], s)
				runtime.GC()
			}
		}
	}
	var rows []Row
	for _, n := range c.clients {
		for _, im := range c.impls {
			ss := samples[key{im.Name, n}]
			r := Row{Impl: im.Name, Clients: n, Proposals: c.w.Proposals, Warmup: c.w.Warmup, Runs: len(ss), Retries: retries[key{im.Name, n}]}
			if r.Error = failed[key{im.Name, n}]; r.Error != "" {
				rows = append(rows, r)
				continue
			}
			r.AllPerSec = pick(ss, func(s Sample) float64 { return s.CommitsPerSec })
			r.CommitsPerSec = median(r.AllPerSec)
			r.P50Micros = median(pick(ss, func(s Sample) float64 { return micros(s.P50) }))
			r.P99Micros = median(pick(ss, func(s Sample) float64 { return micros(s.P99) }))
			r.MeanMicros = median(pick(ss, func(s Sample) float64 { return micros(s.Mean) }))
			r.CPUPerCommit = median(pick(ss, func(s Sample) float64 { return 1e6 * s.CPUSeconds / float64(c.w.Proposals) }))
			r.AllocsPerOp = median(pick(ss, func(s Sample) float64 { return s.AllocsPerOp }))
			r.BytesPerOp = median(pick(ss, func(s Sample) float64 { return s.BytesPerOp }))
			for _, s := range ss {
				r.MaxRetained = max(r.MaxRetained, s.MaxRetained)
			}
			rows = append(rows, r)
		}
		var etcd float64
		for _, r := range rows {
			if r.Impl == etcdImpl.Name && r.Clients == n {
				etcd = r.CommitsPerSec
			}
		}
		for i := range rows {
			if rows[i].Clients == n && etcd > 0 {
				rows[i].VsEtcd = rows[i].CommitsPerSec / etcd
			}
		}
	}
	return rows, nil
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// pick returns f of each sample, sorted.
func pick(ss []Sample, f func(Sample) float64) []float64 {
	var v []float64
	for _, s := range ss {
		v = append(v, f(s))
	}
	slices.Sort(v)
	return v
}

// median of sorted values (the lower middle one for an even count).
func median(sorted []float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)/2]
}

func printTable(w io.Writer, c config, rows []Row) {
	fmt.Fprintf(w, "3-node Raft KV in one process, in-memory transport and storage; %d-byte proposals, closed-loop clients;\n", ProposalSize)
	fmt.Fprintf(w, "%d proposals measured after %d warm-up, per run; median of %d fresh clusters; %s, GOMAXPROCS %d, %d CPUs\n",
		c.w.Proposals, c.w.Warmup, c.reps, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	for _, im := range c.impls {
		fmt.Fprintf(w, "  %-9s %s\n", im.Name, im.Note)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "impl\tclients\tcommits/s\t(min-max)\tvs etcd\tp50 µs\tp99 µs\tCPU µs/commit\tallocs/commit\tB/commit\tmax log\t")
	var notes []string
	for _, r := range rows {
		if r.Error != "" {
			notes = append(notes, fmt.Sprintf("(%d) %s, %d clients: %s", len(notes)+1, r.Impl, r.Clients, r.Error))
			fmt.Fprintf(tw, "%s\t%d\tfailed (%d)\t\t\t\t\t\t\t\t\t\n", r.Impl, r.Clients, len(notes))
			continue
		}
		vs := "-"
		if r.VsEtcd > 0 {
			vs = fmt.Sprintf("%.2fx", r.VsEtcd)
		}
		spread := ""
		if len(r.AllPerSec) > 1 {
			spread = fmt.Sprintf("%.0f-%.0f", r.AllPerSec[0], r.AllPerSec[len(r.AllPerSec)-1])
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%d\t\n",
			r.Impl, r.Clients, r.CommitsPerSec, spread, vs, r.P50Micros, r.P99Micros, r.CPUPerCommit, r.AllocsPerOp, r.BytesPerOp, r.MaxRetained)
	}
	tw.Flush()
	for _, r := range rows {
		if r.Retries > 0 {
			notes = append(notes, fmt.Sprintf("%s, %d clients: %d run(s) failed and were done again on a fresh cluster (the reason is in the progress lines on stderr)", r.Impl, r.Clients, r.Retries))
		}
	}
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
}

// loadNote reports how busy the CPUs are (all processes) over a quarter of
// a second before the run, from /proc/stat: on a shared machine, a busy
// neighbour would skew every number.
func loadNote() string {
	read := func() (busy, total uint64, ok bool) {
		b, err := os.ReadFile("/proc/stat")
		if err != nil {
			return 0, 0, false
		}
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		if len(f) < 8 || f[0] != "cpu" {
			return 0, 0, false
		}
		for i, s := range f[1:8] { // user nice system idle iowait irq softirq
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return 0, 0, false
			}
			total += v
			if i != 3 && i != 4 {
				busy += v
			}
		}
		return busy, total, true
	}
	b0, t0, ok0 := read()
	time.Sleep(250 * time.Millisecond)
	b1, t1, ok1 := read()
	if !ok0 || !ok1 || t1 <= t0 {
		return ""
	}
	pct := 100 * float64(b1-b0) / float64(t1-t0)
	if pct > 10 {
		return fmt.Sprintf("WARNING: the CPUs are %.0f%% busy before the run (other processes): the numbers will be low and noisy", pct)
	}
	return fmt.Sprintf("CPUs %.0f%% busy before the run", pct)
}
