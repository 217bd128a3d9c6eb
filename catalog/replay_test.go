package catalog_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/traces"
)

// Every saved counterexample replays to exactly the recorded execution:
// the spec's states, effects and header are the file's, and the property
// is violated again at the last step.
func TestEverySavedTraceIsTheSpecsOwnExecution(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "counterexamples", "*.json"))
	if len(files) == 0 {
		t.Fatal("no saved traces")
	}
	for _, f := range files {
		tr, err := traces.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		again, err := catalog.Replay(tr)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(again.Differences) > 0 || !again.Violated || again.Trace.Settings != tr.Settings || again.Trace.Violation == nil ||
			again.Trace.Violation.Kind != tr.Violation.Kind || len(again.Trace.Events) != len(tr.Events) {
			t.Errorf("%s: violated %v, settings %q, differences:\n%s", f, again.Violated, again.Trace.Settings, strings.Join(again.Differences, "\n"))
		}
	}
}

// A trace cut before its violation is refused, not reported as holding.
func TestReplayRefusesACounterexampleCutBeforeItsViolation(t *testing.T) {
	tr, err := traces.LoadFile(filepath.Join("testdata", "counterexamples", "raft-no-ack-guard.json"))
	if err != nil {
		t.Fatal(err)
	}
	tr.Events = tr.Events[:len(tr.Events)-1]
	if res, err := catalog.Replay(tr); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("replay of a cut trace: %+v, %v", res, err)
	}
}

// An at-quiescence property is evaluated only where the system is
// quiescent, in replay as in the checker: rpc's volatile-client
// counterexample replayed on the correct client ends with the call
// resent and its timer set, so at-least-once is not violated there.
func TestReplayEvaluatesAtQuiescencePropertiesOnlyAtQuiescence(t *testing.T) {
	tr, err := traces.LoadFile(filepath.Join("testdata", "counterexamples", "rpc-volatile-client.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := catalog.Replay(tr); err != nil || !res.Violated {
		t.Fatalf("with the mutant: %+v, %v", res, err)
	}
	tr.Mutant = ""
	res, err := catalog.Replay(tr)
	if err != nil || res.Violated || !strings.Contains(res.Reason, "not quiescent") || len(res.Differences) == 0 {
		t.Errorf("without the mutant: %+v, %v", res, err)
	}
}
