package catalog_test

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec/broadcast"
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

// A trace names each parameter with choices by the choice's name, so that
// reordering a protocol's choices breaks no saved trace; a trace written
// before that, with the choice's index among its numbers, still replays,
// and a choice the protocol does not have is refused by name.
func TestTracesNameTheirChoices(t *testing.T) {
	path := filepath.Join("testdata", "counterexamples", "broadcast-causal-no-deps.json")
	tr, err := traces.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Choices["algo"] != "causal" || tr.Choices["machine"] != "none" {
		t.Fatalf("choices %v", tr.Choices)
	}
	if _, ok := tr.Params["algo"]; ok {
		t.Fatalf("algo among the numbers: %v", tr.Params)
	}
	old := *tr
	old.Params = maps.Clone(tr.Params)
	old.Params["algo"], old.Params["machine"] = int(broadcast.Causal), 0
	old.Choices = nil
	for _, c := range []*traces.Trace{tr, &old} {
		again, err := catalog.Replay(c)
		if err != nil || !again.Violated || again.Property != tr.Violation.Property {
			t.Errorf("choices %v, params %v: %+v, %v", c.Choices, c.Params, again, err)
		}
	}
	bad := *tr
	bad.Choices = map[string]string{"algo": "telepathy", "machine": "none"}
	if _, err := catalog.Replay(&bad); err == nil || !strings.Contains(err.Error(), "telepathy") {
		t.Errorf("an unknown choice: %v", err)
	}
}
