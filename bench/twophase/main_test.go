package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// The benchmark itself is not part of go test; these tests only keep the
// program from rotting: small RM counts, no SPIN.

func TestMeasureCounts(t *testing.T) {
	// Transitions are TLC's "states generated" (initial state and every
	// enabled action instance, self-loops included), as SPIN's pan reports
	// them for the Promela model.
	want := map[int]struct {
		states, transitions int64
		depth               int
	}{
		3: {288, 1146, 10},
		5: {8832, 58146, 16},
	}
	procs := runtime.GOMAXPROCS(0)
	for _, rms := range []int{3, 5} {
		for _, workers := range []int{1, 2} {
			r, err := measure(rms, workers, 2)
			if err != nil {
				t.Fatalf("measure(%d, %d): %v", rms, workers, err)
			}
			w := want[rms]
			if r.States != w.states || r.Transitions != w.transitions || r.Depth != w.depth {
				t.Errorf("measure(%d, %d) = %d states, %d transitions, depth %d; want %d, %d, %d",
					rms, workers, r.States, r.Transitions, r.Depth, w.states, w.transitions, w.depth)
			}
			if len(r.AllSeconds) != 2 || r.BytesPerState <= 0 {
				t.Errorf("measure(%d, %d): %d timings, %.1f bytes/state", rms, workers, len(r.AllSeconds), r.BytesPerState)
			}
			if got := runtime.GOMAXPROCS(0); got != procs {
				t.Fatalf("measure left GOMAXPROCS at %d, was %d", got, procs)
			}
		}
	}
}

func TestRunJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-rms", "3,5", "-workers", "1", "-reps", "1", "-json", "-spin=false"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d JSON rows, want 2:\n%s", len(lines), out.String())
	}
	for i, l := range lines {
		var r row
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if r.Checker != "distsys" || r.States != published[r.RMs] || r.Workers != 1 {
			t.Errorf("row %d: %+v", i, r)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-rms", "4"},
		{"-rms", "7,x"},
		{"-rms", "7,7"},
		{"-rms", ""},
		{"-workers", "0"},
		{"-reps", "0"},
		{"-spin-w", "3"},
		{"-spin=false", "-spin-bfs"},
		{"-nosuchflag"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		// -spin=false first, so that the test does not depend on SPIN.
		if code := run(append([]string{"-spin=false"}, args...), &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		msg := errb.String()
		if !strings.HasPrefix(msg, "twophase: ") || strings.Count(msg, "\n") != 1 {
			t.Errorf("%q: stderr %q, want one line starting twophase:", args, msg)
		}
	}
}

func TestPromela(t *testing.T) {
	for _, rms := range []int{1, 3, 9} {
		m := promela(rms)
		// One d_step per action instance: TMCommit, TMAbort, and five per RM.
		if got, want := strings.Count(m, ":: d_step {"), 2+5*rms; got != want {
			t.Errorf("%d RMs: %d d_steps, want %d", rms, got, want)
		}
		if !strings.Contains(m, fmt.Sprintf("#define RMS %d\n", rms)) {
			t.Errorf("%d RMs: no #define RMS", rms)
		}
		commit := fmt.Sprintf("tmPrepared[%d] -> tmState = TM_COMMITTED", rms-1)
		if !strings.Contains(m, commit) {
			t.Errorf("%d RMs: TMCommit does not wait for every RM:\n%s", rms, m)
		}
	}
}

func TestParsePan(t *testing.T) {
	out := `
(Spin Version 6.5.2 -- 6 December 2019)
State-vector 44 byte, depth reached 28, errors: 0
 10340352 states, stored
1.1321805e+08 states, matched
1.235584e+08 transitions (= stored+matched)
 1148.591	total actual memory usage

pan: elapsed time 24.9 seconds
`
	r, err := parsePan(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.States != 10340352 || r.Transitions != 123558400 || r.Depth != 28 || r.Seconds != 24.9 || r.MemoryMB != 1148.591 {
		t.Errorf("parsePan = %+v", r)
	}
	if !sameCount(r.Transitions, 123558402) || sameCount(r.Transitions, 123558502) {
		t.Error("sameCount does not compare at pan's 8 significant digits")
	}
	if _, err := parsePan(strings.Replace(out, "errors: 0", "errors: 1", 1)); err == nil {
		t.Error("parsePan accepted a run with errors")
	}
	if got := spinHashBits(10340352); got != 26 {
		t.Errorf("spinHashBits(9 RMs) = %d, want 26", got)
	}
	if got := spinHashBits(61515776); got != 28 {
		t.Errorf("spinHashBits(10 RMs) = %d, want 28", got)
	}
}
