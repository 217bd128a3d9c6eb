package cli

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runJSONOut is the part of `run -json` the tests read.
type runJSONOut struct {
	Status     string   `json:"status"`
	Gaps       []string `json:"gaps"`
	Operations struct {
		Issued, Answered int
	} `json:"operations"`
	Properties []struct {
		Property string `json:"property"`
		Expected bool   `json:"expected"`
		Reached  int    `json:"reached"`
	} `json:"properties"`
}

func runJSONOf(t *testing.T, args ...string) (int, runJSONOut) {
	t.Helper()
	code, out, errOut := invoke(append(args, "-json")...)
	var got runJSONOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: exit %d, %v:\n%s%s", args, code, err, out, errOut)
	}
	return code, got
}

// A run in which no operation is answered checked nothing: it is
// INCOMPLETE, exit 3, in the text and in the JSON — not "ok".
func TestARunThatAnswersNothingIsIncomplete(t *testing.T) {
	t.Parallel()
	args := []string{"run", "kv", "-simulate", "-seed", "1", "-ops", "20", "-loss", "1"}
	code, out, errOut := invoke(args...)
	if code != exitIncomplete || !strings.Contains(out, "operations: 20 issued, 0 answered") ||
		!strings.Contains(out, "result: INCOMPLETE — nothing went wrong, but the run checked less than it claims:\n  no operation was answered (20 issued: 20 timed out, 0 refused)\n") ||
		!strings.Contains(out, "all-replied (sometimes) reached in 0 of 10 rounds: NEVER, though the workload makes it happen") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	code, got := runJSONOf(t, args...)
	if code != exitIncomplete || got.Status != "INCOMPLETE" || len(got.Gaps) != 2 || got.Operations.Issued != 20 || got.Operations.Answered != 0 {
		t.Errorf("json: exit %d, %+v", code, got)
	}
	code, got = runJSONOf(t, "run", "kv", "-simulate", "-seed", "1", "-ops", "20")
	if code != exitOK || got.Status != "OK" || len(got.Gaps) != 0 || got.Operations.Answered != 20 {
		t.Errorf("json of a good run: exit %d, %+v", code, got)
	}
}

// One node's Raft would answer nothing (a lone leader never hears an
// acknowledgement that would commit its entry): the run is refused before
// it starts, with one line. A Raft run that loses every message answers
// nothing either, and says so.
func TestARaftRunOfOneNodeThatAnswersNothingIsNotOK(t *testing.T) {
	t.Parallel()
	code, _, errOut := invoke("run", "raft", "-simulate", "-seed", "1", "-n", "1", "-ops", "10")
	if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "lone leader never commits") {
		t.Errorf("-n 1: exit %d, %q", code, errOut)
	}
	code, got := runJSONOf(t, "run", "raft", "-simulate", "-seed", "1", "-ops", "10", "-loss", "1")
	if got.Operations.Answered != 0 || code != exitIncomplete || got.Status != "INCOMPLETE" || len(got.Gaps) == 0 {
		t.Errorf("-loss 1: exit %d, %+v", code, got)
	}
}

// The root cause of a second run on a data directory answering nothing:
// the nodes came back in the last term the checker's bound allowed, and
// no node could stand for election again. A run has no such bound unless
// it is asked for: the second run answers everything.
func TestASecondRunOnADataDirectoryElectsAndAnswers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 2 {
		code, out, errOut := invoke("run", "kv", "-simulate", "-seed", "1", "-ops", "8", "-data", dir)
		if code != exitOK || !strings.Contains(out, "operations: 8 issued, 8 answered") || !strings.Contains(out, "maxterm=none candidates=none beats=none") {
			t.Fatalf("run %d: exit %d\n%s%s", i, code, out, errOut)
		}
	}
}

// The quorum run holds reads until a write has completed: a read after a
// completed write, the case read-after-write checks, happens in most
// rounds, not in none.
func TestTheQuorumRunReadsAfterCompletedWrites(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "quorum", "-simulate", "-seed", "1", "-ops", "200"},
		{"run", "quorum", "-simulate", "-seed", "3", "-ops", "400", "-writes", "2", "-reads", "2", "-readers", "2", "-writeback", "1",
			"-loss", "0.03", "-dup", "0.05", "-delay", "exp:200us-2ms", "-crash-every", "20ms", "-partition-every", "30ms"},
	} {
		code, out, errOut := invoke(args...)
		m := regexp.MustCompile(`read-after-write-happens \(sometimes\) reached in (\d+) of (\d+) rounds`).FindStringSubmatch(out)
		if code != exitOK || m == nil {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		reached, rounds := atoi(t, m[1]), atoi(t, m[2])
		if rounds < 50 || reached < rounds*8/10 {
			t.Errorf("%v: read-after-write-happens reached in %d of %d rounds", args[1:], reached, rounds)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Settings the runtime cannot honour are refused before it starts: one
// line, exit 2.
func TestRunRefusesDelaysTimersAndWorkloadsItCannotHonour(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "quorum", "-delay", "exp:2ms-1ms"}, "the cut must not be below the mean"},
		{[]string{"run", "kv", "-timer", "nope=5ms"}, "kv has no timer of that name (its timers: election (30ms+30ms), flush (idle), heartbeat (10ms))"},
		{[]string{"run", "quorum", "-timer", "election=5ms"}, "quorum has no timers"},
		{[]string{"run", "raft", "-simulate", "-requests", "0", "-ops", "5"}, "raft's workload issues no operation"},
	} {
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want one line with %q", c.args[1:], code, errOut, out, c.want)
		}
	}
	code, out, _ := invoke("run", "raft", "-h")
	if code != exitOK || !strings.Contains(out, "timers (-timer NAME=BASE[+JITTER] or NAME=idle): election (30ms+30ms), flush (idle), heartbeat (10ms)\n") {
		t.Errorf("run raft -h does not list the timers: exit %d\n%s", code, out)
	}
	code, out, _ = invoke("run", "rpc", "-h")
	if code != exitOK || !strings.Contains(out, "timers (-timer NAME=BASE[+JITTER] or NAME=idle): timeout (5ms+5ms)\n") {
		t.Errorf("run rpc -h does not list the timers: exit %d\n%s", code, out)
	}
}
