package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// spinMaxDepth is pan's -m: the longest DFS stack. TwoPhase's actions are
// monotone (an RM only moves forward, messages and tmPrepared only grow), so
// no path is longer than about 4 steps per RM; 100000 is the customary
// generous bound and costs SPIN only its preallocated stack (about 5 MB).
const spinMaxDepth = 100000

// spinHashBits picks pan's -w (log2 of the number of hash buckets of its
// exhaustive state store) unless the user set one. SPIN chains colliding
// states, so -w never limits how many states fit; it sets the chain length
// (states/buckets) and costs 8 bytes a bucket up front. 2^26 buckets
// (512 MiB) hold 9 RMs' 10.3M states at a load of 0.15, so chains are short;
// it is also the setting the reference measurement used. Larger spaces get
// a bucket per quarter state (10 RMs: 61.5M states, -w28).
func spinHashBits(states int64) int {
	return max(26, bits.Len64(uint64(4*states-1)))
}

// spinRun is one SPIN measurement.
type spinRun struct {
	Search      string    `json:"search"` // "dfs" or "bfs"
	States      int64     `json:"states"`
	Transitions int64     `json:"transitions"` // as printed: 8 significant digits
	Depth       int       `json:"depth"`
	Seconds     float64   `json:"seconds"`      // pan's own "elapsed time", median of reps
	WallSeconds float64   `json:"wall_seconds"` // the whole ./pan process, of the median run
	CPUSeconds  float64   `json:"cpu_seconds"`  // user+system CPU of the ./pan process, of the median run
	AllSeconds  []float64 `json:"all_seconds"`
	MemoryMB    float64   `json:"memory_mb"`  // pan's "total actual memory usage"
	MaxRSSMB    float64   `json:"max_rss_mb"` // the pan process's peak resident set
	HashBits    int       `json:"hash_bits"`
}

// BytesPerState is pan's total memory over the states it stored.
func (r spinRun) BytesPerState() float64 {
	if r.States == 0 {
		return 0
	}
	return r.MemoryMB * (1 << 20) / float64(r.States)
}

// spinBuild is a compiled verifier for one RM count and one search order.
type spinBuild struct {
	dir, pan string
	cmdline  string // for the report
}

// buildSpin writes the model for rms into dir and compiles pan exactly as
// SPIN's manual prescribes for a safety check: spin -a, then gcc -O2
// -DSAFETY -DNOFAIR, with -DBFS for breadth-first search.
func buildSpin(dir string, rms int, bfs bool) (spinBuild, error) {
	sub := filepath.Join(dir, fmt.Sprintf("rms%d-%s", rms, searchName(bfs)))
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return spinBuild{}, err
	}
	model := fmt.Sprintf("twophase%d.pml", rms)
	if err := os.WriteFile(filepath.Join(sub, model), []byte(promela(rms)), 0o644); err != nil {
		return spinBuild{}, err
	}
	if err := runIn(sub, "spin", "-a", model); err != nil {
		return spinBuild{}, err
	}
	gcc := []string{"-O2", "-DSAFETY", "-DNOFAIR"}
	if bfs {
		gcc = append(gcc, "-DBFS")
	}
	gcc = append(gcc, "-o", "pan", "pan.c")
	if err := runIn(sub, "gcc", gcc...); err != nil {
		return spinBuild{}, err
	}
	return spinBuild{
		dir:     sub,
		pan:     filepath.Join(sub, "pan"),
		cmdline: "spin -a " + model + "; gcc " + strings.Join(gcc, " "),
	}, nil
}

func searchName(bfs bool) string {
	if bfs {
		return "bfs"
	}
	return "dfs"
}

func runIn(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// runSpin runs a built pan reps times and returns the median run.
func runSpin(b spinBuild, bfs bool, hashBits, reps int) (spinRun, error) {
	var runs []spinRun
	for range reps {
		cmd := exec.Command(b.pan, fmt.Sprintf("-m%d", spinMaxDepth), fmt.Sprintf("-w%d", hashBits))
		cmd.Dir = b.dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if err != nil {
			return spinRun{}, fmt.Errorf("%s: %v\n%s", b.pan, err, out.Bytes())
		}
		r, err := parsePan(out.String())
		if err != nil {
			return spinRun{}, fmt.Errorf("%s: %v\n%s", b.pan, err, out.Bytes())
		}
		r.Search = searchName(bfs)
		r.WallSeconds = wall.Seconds()
		r.HashBits = hashBits
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.MaxRSSMB = float64(ru.Maxrss) / 1024 // Linux reports KiB
			r.CPUSeconds = tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
		}
		runs = append(runs, r)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Seconds < runs[j].Seconds })
	med := runs[len(runs)/2]
	for _, r := range runs {
		med.AllSeconds = append(med.AllSeconds, r.Seconds)
	}
	return med, nil
}

var (
	panVector  = regexp.MustCompile(`(?m)^State-vector \d+ byte, depth reached (\d+), errors: (\d+)`)
	panStored  = regexp.MustCompile(`(?m)^\s*(\S+) states, stored`)
	panTrans   = regexp.MustCompile(`(?m)^\s*(\S+) transitions \(= stored\+matched\)`)
	panMemory  = regexp.MustCompile(`(?m)^\s*(\S+)\s+total actual memory usage`)
	panElapsed = regexp.MustCompile(`(?m)^pan: elapsed time (\S+) seconds`)
)

// parsePan reads the figures of a finished pan run. pan prints its counts
// with "%g" and 8 significant digits, so counts above 99,999,999 (here:
// transitions from 9 RMs up) are rounded; the caller compares accordingly.
func parsePan(out string) (spinRun, error) {
	var r spinRun
	m := panVector.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no \"State-vector ... depth reached\" line in pan's output")
	}
	r.Depth, _ = strconv.Atoi(m[1])
	if m[2] != "0" {
		return r, fmt.Errorf("pan reports %s errors", m[2])
	}
	num := func(re *regexp.Regexp, what string) (float64, error) {
		m := re.FindStringSubmatch(out)
		if m == nil {
			return 0, fmt.Errorf("no %q line in pan's output", what)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return 0, fmt.Errorf("pan's %q: %v", what, err)
		}
		return v, nil
	}
	stored, err := num(panStored, "states, stored")
	if err != nil {
		return r, err
	}
	trans, err := num(panTrans, "transitions")
	if err != nil {
		return r, err
	}
	if r.MemoryMB, err = num(panMemory, "total actual memory usage"); err != nil {
		return r, err
	}
	if r.Seconds, err = num(panElapsed, "elapsed time"); err != nil {
		return r, err
	}
	r.States, r.Transitions = int64(stored), int64(trans)
	return r, nil
}

// sameCount reports whether pan's printed count equals ours, given that
// pan rounds to 8 significant digits.
func sameCount(spin, ours int64) bool {
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(float64(ours), 'g', 8, 64), 64)
	return float64(spin) == rounded
}

// spinVersion returns the first line of spin -V.
func spinVersion() string {
	out, err := exec.Command("spin", "-V").Output()
	if err != nil {
		return "spin (version unknown)"
	}
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}
