// Command twophase benchmarks the explore package against SPIN on TLA+'s
// TwoPhase (two-phase commit), state for state.
//
//	go run ./bench/twophase -rms 7,8,9 -workers 1,2 [-reps 3] [-json]
//	    [-cpuprofile FILE] [-spin] [-spin-bfs] [-spin-w N]
//
// For each RM count and worker count it runs explore.Check (breadth-first,
// no properties: a pure enumeration of the state space, as SPIN does) with
// GOMAXPROCS set to the worker count, so that one worker really is one core,
// and fails unless the distinct-state count is the published one. With
// -spin (the default when spin is on PATH) it then generates an equivalent
// Promela model, builds SPIN's verifier and runs it on one core, fails
// unless SPIN stored exactly as many states and took as many transitions,
// and prints both side by side. See bench/README.md.
//
// It is not part of go test; main_test.go only guards it against rot.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/twophase"
)

// published holds the distinct-state counts TLC and Stateright report for
// TwoPhase (see /work/shared/DESIGN.md); a run must reproduce them exactly.
var published = map[int]int64{
	3:  288,
	5:  8_832,
	7:  296_448,
	8:  1_745_408,
	9:  10_340_352,
	10: 61_515_776,
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// config is the validated command line.
type config struct {
	rms, workers []int
	reps         int
	cpuprofile   string
	json         bool
	spin, bfs    bool
	spinW        int
}

// usageError is a bad command line: one line on stderr, exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	_, spinErr := exec.LookPath("spin")
	fs := flag.NewFlagSet("twophase", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by run; -h prints usage below
	rms := fs.String("rms", "7,8,9", "comma-separated RM counts, each with a published state count (3, 5, 7, 8, 9, 10)")
	workers := fs.String("workers", "1,2", "comma-separated worker counts; each run sets GOMAXPROCS to its worker count")
	fs.IntVar(&c.reps, "reps", 3, "runs per configuration; the median time is reported")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of our checker's runs (not SPIN's) to `file`")
	fs.BoolVar(&c.json, "json", false, "print one JSON object per table row instead of tables")
	fs.BoolVar(&c.spin, "spin", spinErr == nil, "also run SPIN (default: on when spin is on PATH)")
	fs.BoolVar(&c.bfs, "spin-bfs", false, "also run SPIN breadth-first (gcc -DBFS) besides its default depth-first search")
	fs.IntVar(&c.spinW, "spin-w", 0, "pan's -w, log2 of its hash-table buckets (0: 26, or more for spaces above 16M states)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: go run ./bench/twophase [-rms 7,8,9] [-workers 1,2] [-reps 3] [-json] [-cpuprofile file] [-spin] [-spin-bfs] [-spin-w N]")
			fs.PrintDefaults()
			return c, err
		}
		return c, usageError{err.Error() + " (-h lists the flags)"}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Sprintf("unexpected argument %q (all options are flags)", fs.Arg(0))}
	}
	var err error
	if c.rms, err = parseList("-rms", *rms, 1, twophase.MaxRMs); err != nil {
		return c, err
	}
	for _, n := range c.rms {
		if _, ok := published[n]; !ok {
			return c, usageError{fmt.Sprintf("-rms %d: no published state count to check against (have 3, 5, 7, 8, 9, 10)", n)}
		}
	}
	if c.workers, err = parseList("-workers", *workers, 1, 1024); err != nil {
		return c, err
	}
	if c.reps < 1 {
		return c, usageError{fmt.Sprintf("-reps %d: want at least 1", c.reps)}
	}
	if c.spinW != 0 && (c.spinW < 10 || c.spinW > 34) {
		return c, usageError{fmt.Sprintf("-spin-w %d: want 10..34 (or 0 for automatic)", c.spinW)}
	}
	if c.bfs && !c.spin {
		return c, usageError{"-spin-bfs needs -spin"}
	}
	if c.spin {
		for _, tool := range []string{"spin", "gcc"} {
			if _, err := exec.LookPath(tool); err != nil {
				return c, usageError{fmt.Sprintf("-spin: %s not found on PATH (apt-get install -y spin gcc, or -spin=false)", tool)}
			}
		}
	}
	return c, nil
}

// parseList parses "7,8,9" into distinct integers within lo..hi.
func parseList(name, s string, lo, hi int) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, usageError{fmt.Sprintf("%s %q: %q is not a whole number", name, s, f)}
		}
		if n < lo || n > hi {
			return nil, usageError{fmt.Sprintf("%s %q: %d is out of range %d..%d", name, s, n, lo, hi)}
		}
		if slices.Contains(out, n) {
			return nil, usageError{fmt.Sprintf("%s %q: %d is listed twice", name, s, n)}
		}
		out = append(out, n)
	}
	return out, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "twophase:", err)
		return 2
	}
	if !c.spin {
		if _, err := exec.LookPath("spin"); err != nil {
			fmt.Fprintln(stderr, "twophase: NOTE: spin is not on PATH, so there is NO SPIN COMPARISON in this run (apt-get install -y spin)")
		}
	}
	if note := loadNote(); note != "" {
		fmt.Fprintln(stderr, "twophase:", note)
	}
	if err := bench(c, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "twophase:", err)
		return 1
	}
	return 0
}

// row is one measured configuration of our checker.
type row struct {
	Checker       string    `json:"checker"` // "distsys"
	RMs           int       `json:"rms"`
	Workers       int       `json:"workers"`
	States        int64     `json:"states"`
	Transitions   int64     `json:"transitions"`
	Depth         int       `json:"depth"`
	Seconds       float64   `json:"seconds"` // median of reps
	AllSeconds    []float64 `json:"all_seconds"`
	CPUSeconds    float64   `json:"cpu_seconds"` // user+system CPU of the median run, all threads
	StatesPerSec  float64   `json:"states_per_sec"`
	TransPerSec   float64   `json:"transitions_per_sec"`
	BytesPerState float64   `json:"bytes_per_state"`
	PeakHeapMB    float64   `json:"peak_heap_mb"`
}

// measure checks TwoPhase with rms RMs on workers workers reps times, with
// GOMAXPROCS set to workers for the duration, and returns the median run.
// It fails unless every run is OK and stores the published number of states.
func measure(rms, workers, reps int) (row, error) {
	want, ok := published[rms]
	if !ok {
		return row{}, fmt.Errorf("no published state count for %d RMs", rms)
	}
	sp, err := twophase.New(rms, "")
	if err != nil {
		return row{}, err
	}
	prev := runtime.GOMAXPROCS(workers)
	defer runtime.GOMAXPROCS(prev)

	type run struct {
		explore.Stats
		cpu float64
	}
	var runs []run
	for range reps {
		runtime.GC() // start each run from a clean heap, so PeakHeap is this run's
		cpu0 := cpuSeconds()
		res, err := explore.Check(sp, nil, explore.Options{Strategy: explore.BFS, Workers: workers})
		cpu := cpuSeconds() - cpu0
		if err != nil {
			return row{}, err
		}
		if res.Status != explore.OK {
			return row{}, fmt.Errorf("%d RMs, %d workers: status %s (%s)", rms, workers, res.Status, res.Stopped)
		}
		if res.Stats.States != want {
			return row{}, fmt.Errorf("%d RMs, %d workers: %d distinct states, published %d", rms, workers, res.Stats.States, want)
		}
		runs = append(runs, run{res.Stats, cpu})
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Elapsed < runs[j].Elapsed })
	med := runs[len(runs)/2]
	r := row{
		Checker:       "distsys",
		RMs:           rms,
		Workers:       workers,
		States:        med.States,
		Transitions:   med.Transitions,
		Depth:         med.MaxDepth,
		Seconds:       med.Elapsed.Seconds(),
		CPUSeconds:    med.cpu,
		StatesPerSec:  med.StatesPerSec(),
		TransPerSec:   med.TransitionsPerSec(),
		BytesPerState: med.BytesPerState(),
		PeakHeapMB:    float64(med.PeakHeap) / (1 << 20),
	}
	for _, s := range runs {
		r.AllSeconds = append(r.AllSeconds, s.Elapsed.Seconds())
	}
	return r, nil
}

// spinRow is one SPIN measurement, for -json.
type spinRow struct {
	Checker string `json:"checker"` // "spin"
	RMs     int    `json:"rms"`
	spinRun
	BytesPerState float64 `json:"bytes_per_state"`
	Build         string  `json:"build"`
	Run           string  `json:"run"`
}

// compareRow is one line of the side-by-side table, for -json.
type compareRow struct {
	Checker string             `json:"checker"` // "compare"
	RMs     int                `json:"rms"`
	States  int64              `json:"states"`
	Ours    map[string]float64 `json:"ours_seconds"` // by worker count
	SpinDFS float64            `json:"spin_dfs_seconds,omitempty"`
	RatioD  float64            `json:"spin_dfs_over_ours_1core,omitempty"`
	SpinBFS float64            `json:"spin_bfs_seconds,omitempty"`
	RatioB  float64            `json:"spin_bfs_over_ours_1core,omitempty"`
}

func bench(c config, stdout, stderr io.Writer) error {
	enc := json.NewEncoder(stdout)
	emit := func(v any) error {
		if c.json {
			return enc.Encode(v)
		}
		return nil
	}

	// Our checker first, alone, so that nothing competes for the cores.
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	ours := map[[2]int]row{}
	for _, rms := range c.rms {
		for _, w := range c.workers {
			r, err := measure(rms, w, c.reps)
			if err != nil {
				pprof.StopCPUProfile()
				return err
			}
			ours[[2]int{rms, w}] = r
			if !c.json {
				fmt.Fprintf(stderr, "ours: %d RMs, %d workers: %.2f s\n", rms, w, r.Seconds)
			}
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	if c.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if !c.json {
		printOurs(stdout, c, ours)
	}
	if !c.spin {
		return nil
	}

	// SPIN, one configuration at a time; it is single-threaded.
	dir, err := os.MkdirTemp("", "twophase-spin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	searches := []bool{false}
	if c.bfs {
		searches = append(searches, true)
	}
	spinRes := map[int]map[string]spinRow{}
	for _, rms := range c.rms {
		spinRes[rms] = map[string]spinRow{}
		want := published[rms]
		w := c.spinW
		if w == 0 {
			w = spinHashBits(want)
		}
		oursAny := ours[[2]int{rms, c.workers[0]}]
		for _, bfs := range searches {
			b, err := buildSpin(dir, rms, bfs)
			if err != nil {
				return err
			}
			sr, err := runSpin(b, bfs, w, c.reps)
			if err != nil {
				return err
			}
			if !c.json {
				fmt.Fprintf(stderr, "spin: %d RMs, %s: %.2f s\n", rms, sr.Search, sr.Seconds)
			}
			if sr.States != want {
				return fmt.Errorf("SPIN %s on %d RMs stored %d states, published %d: the Promela model is not equivalent", sr.Search, rms, sr.States, want)
			}
			if !sameCount(sr.Transitions, oursAny.Transitions) {
				return fmt.Errorf("SPIN %s on %d RMs took %d transitions, we took %d: the Promela model is not equivalent", sr.Search, rms, sr.Transitions, oursAny.Transitions)
			}
			row := spinRow{
				Checker:       "spin",
				RMs:           rms,
				spinRun:       sr,
				BytesPerState: sr.BytesPerState(),
				Build:         b.cmdline,
				Run:           fmt.Sprintf("./pan -m%d -w%d", spinMaxDepth, w),
			}
			spinRes[rms][sr.Search] = row
			if err := emit(row); err != nil {
				return err
			}
		}
	}
	cmp := compare(c, ours, spinRes)
	if c.json {
		for _, r := range cmp {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	}
	printSpin(stdout, c, spinRes)
	printCompare(stdout, c, cmp)
	return nil
}

func compare(c config, ours map[[2]int]row, spin map[int]map[string]spinRow) []compareRow {
	var out []compareRow
	for _, rms := range c.rms {
		cr := compareRow{Checker: "compare", RMs: rms, States: published[rms], Ours: map[string]float64{}}
		for _, w := range c.workers {
			cr.Ours[strconv.Itoa(w)] = ours[[2]int{rms, w}].Seconds
		}
		one, hasOne := ours[[2]int{rms, 1}]
		if d, ok := spin[rms]["dfs"]; ok {
			cr.SpinDFS = d.Seconds
			if hasOne && one.Seconds > 0 {
				cr.RatioD = d.Seconds / one.Seconds
			}
		}
		if b, ok := spin[rms]["bfs"]; ok {
			cr.SpinBFS = b.Seconds
			if hasOne && one.Seconds > 0 {
				cr.RatioB = b.Seconds / one.Seconds
			}
		}
		out = append(out, cr)
	}
	return out
}

func printOurs(w io.Writer, c config, ours map[[2]int]row) {
	fmt.Fprintf(w, "\ndistsys explore.Check, BFS, no properties; GOMAXPROCS = workers; median of %d; %s, %d CPUs\n", c.reps, runtime.Version(), runtime.NumCPU())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rms\tworkers\tstates\ttransitions\tdepth\tseconds\t(min-max)\tcpu s\tstates/s\ttransitions/s\tB/state\tpeak heap MB\t")
	for _, rms := range c.rms {
		for _, wk := range c.workers {
			r := ours[[2]int{rms, wk}]
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%.3f\t%s\t%.2f\t%.0f\t%.0f\t%.1f\t%.0f\t\n",
				r.RMs, r.Workers, r.States, r.Transitions, r.Depth, r.Seconds, spread(r.AllSeconds), r.CPUSeconds,
				r.StatesPerSec, r.TransPerSec, r.BytesPerState, r.PeakHeapMB)
		}
	}
	tw.Flush()
}

func printSpin(w io.Writer, c config, spin map[int]map[string]spinRow) {
	fmt.Fprintf(w, "\n%s: spin -a; gcc -O2 -DSAFETY -DNOFAIR [-DBFS]; ./pan -m%d -wN; one core; median of %d\n", spinVersion(), spinMaxDepth, c.reps)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rms\tsearch\t-w\tstates\ttransitions\tdepth\tseconds\t(min-max)\twall s\tcpu s\tstates/s\ttransitions/s\tB/state\tmax RSS MB\t")
	for _, rms := range c.rms {
		for _, s := range []string{"dfs", "bfs"} {
			r, ok := spin[rms][s]
			if !ok {
				continue
			}
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%d\t%.2f\t%s\t%.2f\t%.2f\t%.0f\t%.0f\t%.1f\t%.0f\t\n",
				rms, s, r.HashBits, r.States, r.Transitions, r.Depth, r.Seconds, spread(r.AllSeconds), r.WallSeconds, r.CPUSeconds,
				rate(r.States, r.Seconds), rate(r.Transitions, r.Seconds), r.BytesPerState, r.MaxRSSMB)
		}
	}
	tw.Flush()
}

func printCompare(w io.Writer, c config, cmp []compareRow) {
	fmt.Fprintln(w, "\nside by side (seconds; ratio = SPIN seconds / ours on 1 core, above 1 means we are faster)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"rms", "states"}
	if slices.Contains(c.workers, 1) {
		head = append(head, "ours 1 core")
	}
	head = append(head, "SPIN dfs", "ratio")
	if c.bfs {
		head = append(head, "SPIN bfs", "ratio")
	}
	for _, wk := range c.workers {
		if wk != 1 {
			head = append(head, fmt.Sprintf("ours %d cores", wk))
		}
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range cmp {
		cells := []string{strconv.Itoa(r.RMs), strconv.FormatInt(r.States, 10)}
		if slices.Contains(c.workers, 1) {
			cells = append(cells, fmt.Sprintf("%.2f", r.Ours["1"]))
		}
		cells = append(cells, fmt.Sprintf("%.2f", r.SpinDFS), ratio(r.RatioD))
		if c.bfs {
			cells = append(cells, fmt.Sprintf("%.2f", r.SpinBFS), ratio(r.RatioB))
		}
		for _, wk := range c.workers {
			if wk != 1 {
				cells = append(cells, fmt.Sprintf("%.2f", r.Ours[strconv.Itoa(wk)]))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
}

func ratio(x float64) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", x)
}

func rate(n int64, sec float64) float64 {
	if sec <= 0 {
		return 0
	}
	return float64(n) / sec
}

// cpuSeconds is the user+system CPU time this process has used. Compared
// with wall time it shows whether a run had its cores to itself.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
}

func tvSeconds(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }

// loadNote says how busy the machine is just before the run: the share of
// all CPUs used by other processes over half a second, read from
// /proc/stat (the load average lags by a minute, so it is not used). Above
// 10% it is a warning: the timings would not be the tools' own.
func loadNote() string {
	before, ok := cpuTicks()
	if !ok {
		return ""
	}
	time.Sleep(500 * time.Millisecond)
	after, ok := cpuTicks()
	if !ok || after[1] <= before[1] {
		return ""
	}
	busy := float64(after[0]-before[0]) / float64(after[1]-before[1])
	if busy > 0.10 {
		return fmt.Sprintf("WARNING: other processes use %.0f%% of the CPUs before the run: timings are unreliable", 100*busy)
	}
	return fmt.Sprintf("CPUs %.0f%% busy before the run", 100*busy)
}

// cpuTicks returns the busy and total ticks of all CPUs from /proc/stat.
func cpuTicks() ([2]uint64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return [2]uint64{}, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return [2]uint64{}, false
	}
	var busy, total uint64
	for i, v := range f[1:min(len(f), 9)] { // user..steal; guest time is already in user
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return [2]uint64{}, false
		}
		total += n
		if i != 3 && i != 4 { // idle and iowait
			busy += n
		}
	}
	return [2]uint64{busy, total}, true
}

// spread is "min-max" of the timings (they are sorted), or "" for one run.
func spread(secs []float64) string {
	if len(secs) < 2 {
		return ""
	}
	return fmt.Sprintf("%.2f-%.2f", secs[0], secs[len(secs)-1])
}
