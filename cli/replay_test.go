package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/traces"
)

// staleRead is the quorum stale read (n=3 w=1 r=2) saved by the catalog:
// eight steps, read-after-write violated at the last.
const staleRead = "../catalog/testdata/counterexamples/quorum-stale-read-w1-r2.json"

// editTrace loads the stale read, lets edit change it, and writes it to a
// new file.
func editTrace(t *testing.T, edit func(*traces.Trace)) string {
	t.Helper()
	tr, err := traces.LoadFile(staleRead)
	if err != nil {
		t.Fatal(err)
	}
	edit(tr)
	path := filepath.Join(t.TempDir(), "edited.json")
	if err := traces.WriteFile(path, tr); err != nil {
		t.Fatal(err)
	}
	return path
}

// Replay prints the spec's states, not the file's: a hand-edited state
// and hand-edited settings are shown as the spec has them, and each
// difference is named on its own line.
func TestReplayPrintsTheSpecsStatesAndFlagsEditedOnes(t *testing.T) {
	t.Parallel()
	path := editTrace(t, func(tr *traces.Trace) {
		tr.Settings = "n=5 w=3 r=3"
		tr.Events[6].State = "replica ts=9 v=9" // step 2, n2
	})
	code, out, errOut := invoke("replay", path)
	if code != exitViolated {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"quorum n=3 w=1 r=2 writes=1 reads=1 readers=1 writers=1 writeback=0\n",
		"  2. deliver n3→n2 Write(ts=1,v=1) → send Ack(ts=1) to n3\n     n2: replica ts=1 v=1\n",
		"WARNING: the trace file differs from the spec's execution in 2 places",
		"  header: settings \"n=5 w=3 r=3\" in the trace, \"n=3 w=1 r=2 writes=1 reads=1 readers=1 writers=1 writeback=0\" from its params\n",
		"  step 2 (n2): state: \"replica ts=9 v=9\" in the trace, \"replica ts=1 v=1\" in the spec\n",
		"read-after-write is violated again",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "n2: replica ts=9") || strings.Contains(out, "quorum n=5") {
		t.Errorf("the edited state or settings were printed as the spec's:\n%s", out)
	}
	code, out, _ = invoke("replay", "-json", path)
	var got struct {
		Settings    string   `json:"settings"`
		States      []string `json:"states"`
		Differences []string `json:"differences"`
		Violated    bool     `json:"violated"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitViolated {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if got.Settings != "n=3 w=1 r=2 writes=1 reads=1 readers=1 writers=1 writeback=0" || len(got.Differences) != 2 || !got.Violated ||
		!strings.Contains(strings.Join(got.States, "\n"), "step 2 n2: replica ts=1 v=1") {
		t.Errorf("json: %+v", got)
	}
}

// An unedited counterexample replays with no difference at all.
func TestReplayOfAnUneditedTraceShowsNoDifference(t *testing.T) {
	t.Parallel()
	code, out, _ := invoke("replay", staleRead)
	if code != exitViolated || strings.Contains(out, "WARNING") || !strings.Contains(out, "violated again") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// A counterexample ends at its violation: cut to half its steps, or
// emptied, it is refused (one line, exit 2), not reported as "now holds".
func TestReplayRefusesATruncatedOrEmptyTrace(t *testing.T) {
	t.Parallel()
	half := editTrace(t, func(tr *traces.Trace) {
		var kept []traces.Event
		for _, e := range tr.Events {
			if e.Step <= 4 {
				kept = append(kept, e)
			}
		}
		tr.Events = kept
	})
	starts := editTrace(t, func(tr *traces.Trace) { tr.Events = tr.Events[:5] })
	empty := editTrace(t, func(tr *traces.Trace) { tr.Events = nil })
	for path, want := range map[string]string{
		half:   "read-after-write is not violated at the last step (4), though every recorded state and effect is the spec's: the trace was cut short",
		starts: "no steps (5 events)",
		empty:  "no steps (0 events)",
	} {
		code, out, errOut := invoke("replay", path)
		if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, want) || strings.Contains(out, "HOLDS") {
			t.Errorf("exit %d, stderr %q, want one line with %q; stdout:\n%s", code, errOut, want, out)
		}
	}
}

// When the spec itself changed, its states differ from the recorded ones
// and the property may hold: that is reported as such, with the
// differences, exit 0. The change here: a counterexample of the
// replica-overwrite mutant replayed on the correct register (its steps
// are enabled there too).
func TestReplayOfAFixedBugSaysItNowHoldsAndWhereTheStatesDiffer(t *testing.T) {
	t.Parallel()
	tr, err := traces.LoadFile("../catalog/testdata/counterexamples/quorum-replica-overwrite.json")
	if err != nil {
		t.Fatal(err)
	}
	tr.Mutant = ""
	path := filepath.Join(t.TempDir(), "fixed.json")
	if err := traces.WriteFile(path, tr); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := invoke("replay", path)
	if code != exitOK || !strings.Contains(out, "replica-monotonic now HOLDS at the end (the spec changed, or the bug is fixed") ||
		!strings.Contains(out, "WARNING: the trace file differs from the spec's execution") || !strings.Contains(out, ": state: ") ||
		strings.Contains(out, "violated: ") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}
