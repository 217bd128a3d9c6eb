package cli

import (
	"strings"
	"testing"
)

// A run takes Raft clusters beyond the checker's sizes: nine nodes elect,
// commit and answer every operation, with the properties checked on the
// run and the run replayed through Step; past 16 nodes -n is refused up
// front with the bound.
func TestRunRaftOnNineNodes(t *testing.T) {
	code, out, errOut := invoke("run", "raft", "-simulate", "-seed", "1", "-n", "9", "-ops", "50")
	if code != exitOK || !strings.Contains(out, "result: OK") || !strings.Contains(out, "operations: 50 issued, 50 answered") ||
		!strings.Contains(out, "replay: every step gave the recorded outputs and state through Step") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, out, errOut = invoke("run", "raft", "-simulate", "-seed", "1", "-n", "17", "-ops", "5")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "-n 17 is out of range 2..16") {
		t.Fatalf("-n 17: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
