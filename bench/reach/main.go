// Command reach measures how far and how cheaply the checker goes: for
// each configuration it runs `modelcheck check … -json` in a process of its
// own (so that peak RSS is that check's alone) and prints one Markdown
// table: distinct states, wall time, states per second, peak heap and peak
// RSS per distinct state, bytes on disk, and the verdict.
//
//	go run ./bench/reach                       # the default set
//	go run ./bench/reach -only raft,twophase10 # some rows
//	go run ./bench/reach -list                 # the rows and their flags
//
// Timings depend on the machine and what else runs on it; they belong in
// bench READMEs and the README's Speed section, never in tests.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// row is one configuration: a name and the arguments after `modelcheck`.
type row struct {
	name string
	args []string
	doc  string
}

var rows = []row{
	{"raft", []string{"check", "raft"}, "Raft default: 3 nodes, 2 candidates, term 2, 1 request, FIFO, 1 crash-recover"},
	{"raft-w1", []string{"check", "raft", "-workers", "1"}, "the same on one worker"},
	{"kv", []string{"check", "kv"}, "the kv store default"},
	{"kv-crash", []string{"check", "kv", "-crashes", "1", "-crash-mode", "recover"}, "kv with one crash-recovery"},
	{"clocks-6-8", []string{"check", "clocks", "-n", "6", "-events", "8"}, "clocks at the top of the CLI's range"},
	{"detector-3", []string{"check", "detector", "-n", "3", "-max-memory", "6GiB"}, "the detector's lasso with 3 nodes"},
	{"twophase9-w1", []string{"check", "twophase", "-n", "9", "-workers", "1"}, "TwoPhase, 9 RMs, one worker"},
	{"twophase9-w2", []string{"check", "twophase", "-n", "9", "-workers", "2"}, "TwoPhase, 9 RMs, two workers"},
	{"twophase10", []string{"check", "twophase", "-n", "10", "-max-memory", "1GiB"}, "TwoPhase, 10 RMs, in 1 GiB"},
	{"twophase11", []string{"check", "twophase", "-n", "11", "-max-memory", "12GiB"}, "TwoPhase, 11 RMs, in 12 GiB"},
	{"twophase15-sym", []string{"check", "twophase", "-n", "15", "-symmetry"}, "TwoPhase, 15 RMs, symmetry"},
	{"quorum4-sym", []string{"check", "quorum", "-n", "4", "-w", "3", "-r", "2", "-symmetry"}, "quorum n=4, symmetry"},
	{"quorum4", []string{"check", "quorum", "-n", "4", "-w", "3", "-r", "2"}, "quorum n=4"},
}

type result struct {
	Status         string  `json:"status"`
	DistinctStates int64   `json:"distinct_states"`
	Transitions    int64   `json:"transitions"`
	ElapsedMS      float64 `json:"elapsed_ms"`
	StatesPerSec   float64 `json:"states_per_sec"`
	BytesPerState  float64 `json:"bytes_per_state"`
	PeakHeapBytes  uint64  `json:"peak_heap_bytes"`
	HeapPerState   float64 `json:"peak_heap_bytes_per_state"`
	PeakRSSBytes   uint64  `json:"peak_rss_bytes"`
	PeakDiskBytes  int64   `json:"peak_disk_bytes"`
	Stopped        *string `json:"stopped"`
}

func main() {
	only := flag.String("only", "", "comma-separated row names (default: all)")
	list := flag.Bool("list", false, "list the rows and exit")
	timeout := flag.Duration("timeout", 20*time.Minute, "per-row timeout (passed as -timeout)")
	flag.Parse()
	if *list {
		for _, r := range rows {
			fmt.Printf("%-16s modelcheck %s   (%s)\n", r.name, strings.Join(r.args, " "), r.doc)
		}
		return
	}
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	for n := range want {
		found := false
		for _, r := range rows {
			found = found || r.name == n
		}
		if !found {
			fmt.Fprintf(os.Stderr, "reach: no row %q (see -list)\n", n)
			os.Exit(2)
		}
	}
	dir, err := os.MkdirTemp("", "reach-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "reach:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "modelcheck")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/distsys/distsys/cmd/modelcheck").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "reach: building modelcheck: %v\n%s", err, out)
		os.Exit(1)
	}
	fmt.Println("| row | command | result | states | time | states/s | peak heap / state | peak RSS | RSS / state | disk |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		if len(want) > 0 && !want[r.name] {
			continue
		}
		args := append(append([]string{}, r.args...), "-json", "-timeout", timeout.String())
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		_ = cmd.Run() // a violated or incomplete check exits non-zero; its JSON says so
		var res result
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			fmt.Printf("| %s | `modelcheck %s` | error: %s | | | | | | | |\n", r.name, strings.Join(r.args, " "), strings.TrimSpace(stderr.String()))
			continue
		}
		status := res.Status
		if res.Stopped != nil {
			status += " (" + *res.Stopped + ")"
		}
		rss := float64(res.PeakRSSBytes)
		fmt.Printf("| %s | `modelcheck %s` | %s | %d | %.2f s | %.0f | %.0f B | %s | %.0f B | %s |\n",
			r.name, strings.Join(r.args, " "), status, res.DistinctStates, res.ElapsedMS/1000, res.StatesPerSec,
			res.HeapPerState, size(int64(rss)), rss/float64(max(res.DistinctStates, 1)), size(res.PeakDiskBytes))
	}
}

func size(n int64) string {
	switch {
	case n == 0:
		return "0"
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
}
