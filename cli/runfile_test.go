package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A report's "run" and a trace's header are the run in its JSON form:
// check -run reads either back and checks the same run, with the
// command line's flags over it.
func TestCheckRunReadsBackAReportOrATrace(t *testing.T) {
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "stale.json")
	code, out, _ := invoke("check", "quorum", "-n", "3", "-w", "1", "-r", "2", "-json", "-trace-out", tracePath)
	if code != exitViolated {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	reportPath := filepath.Join(dir, "report.json")
	if err := os.WriteFile(reportPath, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Run struct {
			Protocol string
			Params   map[string]int
		}
		DistinctStates int64 `json:"distinct_states"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Run.Protocol != "quorum" || rep.Run.Params["w"] != 1 || rep.Run.Params["writes"] != 1 {
		t.Fatalf("the report's run is %+v", rep.Run)
	}
	for _, file := range []string{reportPath, tracePath} {
		code, again, errOut := invoke("check", "-run", file, "-json")
		if code != exitViolated || errOut != "" {
			t.Fatalf("-run %s: exit %d, stderr %q", file, code, errOut)
		}
		var got struct {
			Property       string
			DistinctStates int64 `json:"distinct_states"`
		}
		if err := json.Unmarshal([]byte(again), &got); err != nil {
			t.Fatal(err)
		}
		if got.Property != "read-after-write" || got.DistinctStates != rep.DistinctStates {
			t.Errorf("-run %s: %s after %d states, want read-after-write after %d", file, got.Property, got.DistinctStates, rep.DistinctStates)
		}
	}
	// A flag after it overrides the file: majority quorums are not stale.
	code, out, _ = invoke("check", "-run", reportPath, "quorum", "-w", "2")
	if code != exitOK || !strings.Contains(out, "quorum n=3 w=2 r=2") {
		t.Errorf("-run with -w 2: exit %d:\n%s", code, out)
	}
	// A search bound travels with the run.
	code, out, _ = invoke("check", "twophase", "-max-depth", "3", "-json")
	runOnly := filepath.Join(dir, "run.json")
	var withRun struct{ Run json.RawMessage }
	if err := json.Unmarshal([]byte(out), &withRun); err != nil || code != exitIncomplete {
		t.Fatalf("exit %d, %v", code, err)
	}
	if !strings.Contains(string(withRun.Run), `"max_depth": 3`) {
		t.Errorf("the run has no max_depth: %s", withRun.Run)
	}
	if err := os.WriteFile(runOnly, withRun.Run, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := invoke("check", "-run", runOnly); code != exitIncomplete || !strings.Contains(out, "max-depth 3") {
		t.Errorf("-run of a bounded run: exit %d:\n%s", code, out)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"protocol":"quorum","parms":{"n":3}}`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "-run", filepath.Join(dir, "none.json")}, "no such file"},
		{[]string{"check", "-run", bad}, `unknown field "parms"`},
		{[]string{"check", "-run", tracePath, "raft"}, "is a run of quorum, not raft"},
		{[]string{"check", "-run", tracePath, "-n", "9"}, "-n"},
	} {
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line saying %q", c.args, code, out, errOut, c.want)
		}
	}
}

// A flag before the protocol's name counts as one after it (it used to be
// read, then reset when the protocol's flags were declared).
func TestFlagsBeforeTheProtocolCount(t *testing.T) {
	code, out, _ := invoke("check", "-json", "twophase")
	if code != exitOK || !strings.HasPrefix(out, "{") {
		t.Errorf("check -json twophase: exit %d, not JSON:\n%.200s", code, out)
	}
	code, out, _ = invoke("run", "-json", "-simulate", "-seed", "1", "-ops", "5", "quorum")
	if code != exitOK || !strings.HasPrefix(out, "{") {
		t.Errorf("run -json … quorum: exit %d, not JSON:\n%.200s", code, out)
	}
}
