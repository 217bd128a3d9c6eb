package catalog_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/traces"
)

// With crashes mid-step, a node's Start step may be cut short (issue 16):
// the initial world is then one where that node crashed during its start.
// The detector's shortest counterexample under crash-recovery begins so:
// the trace says which start was cut, how many of its pings went out, and
// it replays from that initial world to the same violation.
func TestACutStartIsTracedAndReplays(t *testing.T) {
	e, err := catalog.Lookup("detector")
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.DefaultRun()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Apply("-crashes 2 -crash-mode recover -crash-mid-step", &r); err != nil {
		t.Fatal(err)
	}
	r.Options.Workers = 1
	rep, err := e.Check(r)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != explore.Violated || rep.Trace == nil {
		t.Fatalf("%v %q, want a violation with a trace", rep.Status, rep.Property)
	}
	cut := -1
	for _, ev := range rep.Trace.Events {
		if ev.Kind == traces.KindStart && ev.Crashed {
			cut = ev.Node
			if len(ev.Sends) != 0 {
				t.Errorf("n%d's cut start sent %v", ev.Node, ev.Sends)
			}
		}
	}
	if cut < 0 {
		t.Fatalf("no start was cut:\n%s", rep.Trace.Layout().Text())
	}
	if text := rep.Trace.Layout().Text(); !strings.Contains(text, "starts; then n") {
		t.Errorf("the text does not show the cut start:\n%s", text)
	}
	again, err := catalog.Replay(rep.Trace)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Violated || again.Property != rep.Property || again.Steps != len(rep.Trace.Steps()) {
		t.Errorf("replays to %+v, want %s violated after %d steps", again, rep.Property, len(rep.Trace.Steps()))
	}
}
