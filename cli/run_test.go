package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/traces"
)

func TestRunReportsOperationsFaultsAndPropertiesAndWritesATrace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	trace, page := filepath.Join(dir, "run.json"), filepath.Join(dir, "run.html")
	code, out, errOut := invoke("run", "quorum", "-seed", "3", "-ops", "40", "-loss", "0.05", "-dup", "0.05",
		"-delay", "uniform:0-1ms", "-crash-every", "20ms", "-writes", "2", "-reads", "2", "-writeback", "1", "-trace-out", trace, "-html", page)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"run quorum n=3 w=2 r=2 writes=2 reads=2 readers=1 writers=1 writeback=1\n",
		"seed 3 (rerun with -seed 3)\n",
		"network: unordered, loss 0.05, dup 0.05, delay uniform 0s–1ms; faults: a crash every ~20ms",
		"operations: 40 issued, ",
		"faults injected: ",
		"replay: every step gave the recorded outputs and state through Step",
		"  read-after-write (always)            held in 10 rounds\n",
		"linearizability (porcupine): 10 histories of ",
		"result: OK\n",
		"trace of round 9 (seed 12) written to " + trace,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	tr, err := traces.LoadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Protocol != "quorum" || tr.Seed != 12 || len(tr.Events) == 0 || tr.Events[len(tr.Events)-1].Vector == nil && tr.Events[len(tr.Events)-1].Kind == traces.KindReceive {
		t.Errorf("trace header %q seed %d, %d events", tr.Protocol, tr.Seed, len(tr.Events))
	}
	if code, _, _ := invoke("viz", trace); code != exitOK {
		t.Errorf("viz of the run's trace: exit %d", code)
	}
	if data, err := os.ReadFile(page); err != nil || !strings.Contains(string(data), "<svg") {
		t.Errorf("html: %v", err)
	}
}

// A run that breaks a property exits 1 and keeps the failing round's
// trace, naming the property; porcupine's page is written next to it.
func TestRunOfABrokenRegisterExits1(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	trace := filepath.Join(dir, "bad.json")
	code, out, _ := invoke("run", "quorum", "-simulate", "-mutant", "replica-overwrite", "-seed", "1", "-ops", "2000",
		"-writes", "4", "-reads", "4", "-readers", "3", "-delay", "exp:300us-3ms", "-trace-out", trace)
	if code != exitViolated || !strings.Contains(out, "replica-monotonic (on-transition)    VIOLATED") || !strings.Contains(out, "result: VIOLATED") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	tr, err := traces.LoadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Violation == nil || tr.Violation.Property != "replica-monotonic" {
		t.Errorf("trace violation %+v", tr.Violation)
	}
}

func TestRunUsageErrorsAreOneLineAndExit2(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run"},
		{"run", "nosuch"},
		{"run", "twophase"},
		{"run", "quorum", "-n", "9"},
		{"run", "quorum", "-writeback", "2"},
		{"run", "quorum", "-loss", "1.5"},
		{"run", "quorum", "-delay", "uniform:3ms"},
		{"run", "quorum", "-delay", "gauss:1ms"},
		{"run", "quorum", "-ops", "-1"},
		{"run", "quorum", "-mutant", "nosuch"},
		{"run", "quorum", "extra"},
		{"run", "-n", "3", "quorum"},
	} {
		code, out, errOut := invoke(args...)
		if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "modelcheck: ") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", args, code, errOut, out)
		}
	}
}

// rpc's parameter -ops is named like the runtime's: it is -rpc-ops here.
func TestRunRenamesAProtocolParameterNamedLikeARuntimeFlag(t *testing.T) {
	t.Parallel()
	code, out, errOut := invoke("run", "rpc", "-simulate", "-seed", "1", "-rpc-ops", "3", "-ops", "9")
	if code != exitOK || !strings.Contains(out, "run rpc sem=exactly-once ops=3 ") || !strings.Contains(out, "operations: 9 issued") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

func TestRunHelpWorksForEveryRunnableProtocol(t *testing.T) {
	t.Parallel()
	for _, name := range protocols.Names() {
		if code, out, errOut := invoke("run", name, "-h"); code != exitOK || !strings.Contains(out, "-simulate") {
			t.Errorf("run %s -h: exit %d\n%s%s", name, code, out, errOut)
		}
	}
}

func TestRunHelpListsTheRuntimeFlags(t *testing.T) {
	t.Parallel()
	code, out, _ := invoke("run", "raft", "-h")
	for _, want := range []string{"-crash-every", "-partition-every", "-loss", "-delay", "-maxterm", "-trace-out"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("exit %d, help lacks %s", code, want)
		}
	}
}

// With -data the nodes keep their state on disk; a second run on the same
// directory starts every node from it (the writer's persisted counter
// goes on from where it was).
func TestRunKeepsNodeStateOnDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 2 {
		code, out, errOut := invoke("run", "quorum", "-seed", "1", "-data", dir)
		if code != exitOK {
			t.Fatalf("run %d: exit %d\n%s%s", i, code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "round0", "n3", "state.log")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := invoke("run", "quorum", "-timer", "election")
	if code != exitUsage || !strings.Contains(errOut, "want NAME=BASE") {
		t.Errorf("bad -timer: exit %d, %q", code, errOut)
	}
}

// -timer NAME=idle makes a timer idle: Raft batching with its flush idle
// runs and replays.
func TestRunTakesAnIdleTimer(t *testing.T) {
	t.Parallel()
	code, out, errOut := invoke("run", "raft", "-batch", "1", "-simulate", "-seed", "1", "-ops", "10", "-timer", "flush=idle")
	if code != exitOK || !strings.Contains(out, "result: OK") || !strings.Contains(out, "replay: every step") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := invoke("run", "raft", "-timer", "flush=idle+1ms"); code != exitUsage || !strings.Contains(errOut, "not a duration") {
		t.Errorf("flush=idle+1ms: exit %d, %q", code, errOut)
	}
}

// A simulated run is decided by its seed: the same command gives the same
// summary and the same trace.
func TestASimulatedRunIsReproducedByItsSeed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var outs, trs []string
	for i := range 2 {
		trace := filepath.Join(dir, fmt.Sprintf("run%d.json", i))
		code, out, errOut := invoke("run", "kv", "-simulate", "-seed", "9", "-ops", "30", "-scenario", "cas", "-maxterm", "4", "-candidates", "3", "-beats", "3",
			"-loss", "0.05", "-dup", "0.05", "-delay", "exp:500us-5ms", "-crash-every", "30ms", "-partition-every", "40ms", "-trace-out", trace)
		if code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		data, err := os.ReadFile(trace)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, regexp.MustCompile(`(?m)^(rounds: \d+) in .*$|written to .*$`).ReplaceAllString(out, "$1"))
		trs = append(trs, string(data))
	}
	if outs[0] != outs[1] || trs[0] != trs[1] {
		t.Errorf("two simulated runs with seed 9 differ:\n%s\n%s", outs[0], outs[1])
	}
	for _, want := range []string{"runtime: simulated", "result: OK", "crashes"} {
		if !strings.Contains(outs[0], want) {
			t.Errorf("output lacks %q:\n%s", want, outs[0])
		}
	}
}
