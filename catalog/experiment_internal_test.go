package catalog

import (
	"strings"
	"testing"
)

// A ✓ from a check whose good paths never happened proves nothing: it is
// a bug, the cell does not meet its expectation, and the report says
// which sometimes property was never reached.
func TestAVacuousProofIsABug(t *testing.T) {
	p := Probe{Protocol: "broadcast", Flags: "-algo gossip", Property: "agreement", Expect: Holds}
	rep := &Report{Evaluated: []string{"agreement", "all-delivered"}, Sometimes: []Reach{{Property: "all-delivered"}}}
	o, bugs := judge(p, rep)
	if o.Finding != Held || o.Met || len(bugs) != 1 || !strings.Contains(bugs[0], "all-delivered not reached") {
		t.Errorf("vacuous: %v, met %v, bugs %q", o.Finding, o.Met, bugs)
	}
	rep.Sometimes[0].Reached = true
	if o, bugs := judge(p, rep); o.Finding != Held || !o.Met || len(bugs) != 0 {
		t.Errorf("reached: %v, met %v, bugs %q", o.Finding, o.Met, bugs)
	}
}
