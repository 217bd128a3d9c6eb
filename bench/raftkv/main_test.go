package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The benchmark itself is not part of go test; these tests keep it from
// rotting: every implementation commits a few hundred proposals through
// the harness, and the logs stay bounded.

func TestSmoke(t *testing.T) {
	for _, im := range impls() {
		for _, clients := range []int{1, 8} {
			w := Workload{Clients: clients, Proposals: 300, Warmup: 30, Timeout: 20 * time.Second}
			s, err := runOnce(im, w)
			if err != nil {
				t.Fatalf("%s, %d clients: %v", im.Name, clients, err)
			}
			if s.CommitsPerSec <= 0 || s.P50 <= 0 || s.P99 < s.P50 || s.Mean <= 0 {
				t.Errorf("%s, %d clients: %.0f commits/s, p50 %v, p99 %v, mean %v", im.Name, clients, s.CommitsPerSec, s.P50, s.P99, s.Mean)
			}
		}
	}
}

// TestLogStaysBounded runs more proposals than two compactions' worth and
// requires etcd and hashicorp to have dropped all but about the newest
// 2*compactEvery entries, and ours and ours-pipe to hold at most
// compactEvery committed entries past their snapshot (plus the
// uncommitted few). etcd-tuned keeps its own 10,000.
func TestLogStaysBounded(t *testing.T) {
	defer func(k int) { compactEvery = k }(compactEvery)
	compactEvery = 32
	const total = 400
	for _, im := range []Impl{oursImpl, oursPipeImpl, etcdImpl, hashicorpImpl} {
		c, err := im.Start(4)
		if err != nil {
			t.Fatalf("%s: %v", im.Name, err)
		}
		for i := range total {
			if err := c.Propose(i%4, proposal(i%4, i+1)); err != nil {
				c.Close()
				t.Fatalf("%s: proposal %d: %v", im.Name, i+1, err)
			}
		}
		// hashicorp raft compacts from a goroutine of its own, every
		// SnapshotInterval: give it time.
		deadline := time.Now().Add(3 * time.Second)
		for c.Retained() > 2*compactEvery+8 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		got := c.Retained()
		if err := c.Close(); err != nil {
			t.Fatalf("%s: close: %v", im.Name, err)
		}
		if got > 2*compactEvery+8 {
			t.Errorf("%s: a node holds %d log entries after %d proposals, want at most %d", im.Name, got, total, 2*compactEvery+8)
		}
	}
}

func TestRunTableAndJSON(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"-impls", "etcd,hashicorp", "-clients", "1,4", "-proposals", "200", "-reps", "1"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"commits/s", "vs etcd", "p99 µs", "hashicorp", "1.00x"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	errb.Reset()
	code = run([]string{"-impls", "ours,etcd", "-clients", "2", "-proposals", "100", "-reps", "1", "-json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d JSON rows, want 2:\n%s", len(lines), out.String())
	}
	var rows []Row
	for _, l := range lines {
		var r Row
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	for i, im := range []string{"ours", "etcd"} {
		r := rows[i]
		if r.Impl != im || r.Error != "" || r.Clients != 2 || r.Runs != 1 || r.CommitsPerSec <= 0 || r.P50Micros <= 0 || r.P99Micros < r.P50Micros || r.VsEtcd <= 0 {
			t.Errorf("row %d = %+v", i, r)
		}
	}
	if rows[1].VsEtcd != 1 {
		t.Errorf("etcd's ratio to itself = %v", rows[1].VsEtcd)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-impls", "zookeeper"},
		{"-impls", "etcd,etcd"},
		{"-clients", "0"},
		{"-clients", "4,4"},
		{"-proposals", "0"},
		{"-reps", "0"},
		{"-compact-every", "0"},
		{"-ours-window", "0"},
		{"-ours-flush", "-1ms"},
		{"-ours-flush", "soon"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, errb.String())
		}
	}
}
