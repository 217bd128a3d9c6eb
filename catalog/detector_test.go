package catalog_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/traces"
)

func loopMarks(steps []traces.Event) int {
	n := 0
	for _, e := range steps {
		if strings.HasSuffix(e.Action, "⟲ loop begins") {
			n++
		}
	}
	return n
}

// The detector's liveness properties are checked on lassos: each row is
// one search of the lasso system that keeps going after violations, with
// the shortest lasso of each violated property (its length in steps) and
// the pinned figures of the search.
func TestDetectorLassos(t *testing.T) {
	e, err := catalog.Lookup("detector")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flags    string
		violated map[string]int
		states   int64
		trans    int64
		depth    int
	}{
		{"", map[string]int{}, 3100, 6173, 21},
		{"-crashes 0", map[string]int{}, 1244, 2189, 21},
		{"-partial-sync=false -crashes 0", map[string]int{"eventual-accuracy": 12}, 5595, 20019, 20},
		{"-partial-sync=false", map[string]int{"eventual-accuracy": 12}, 8171, 25659, 20},
		{"-mutant sticky-suspicion", map[string]int{"eventual-accuracy": 10}, 1029, 2002, 13},
		{"-mutant no-timeout", map[string]int{"completeness": 6}, 214, 460, 8},
		{"-mutant no-next-ping", map[string]int{"accurate-after-stabilisation": 7, "eventual-accuracy": 11}, 1567, 3699, 13},
	} {
		t.Run(c.flags, func(t *testing.T) {
			r, err := e.DefaultRun()
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Apply(c.flags, &r); err != nil {
				t.Fatal(err)
			}
			r.Options.Workers, r.Options.KeepGoing = 1, true
			rep, err := e.Check(r)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, v := range rep.Verdicts {
				if !v.Violated {
					continue
				}
				got[v.Property] = len(v.Trace.Steps())
				again, err := catalog.Replay(v.Trace)
				if err != nil || !again.Violated || again.Property != v.Property || again.Reason != v.Reason {
					t.Errorf("%s: the counterexample replays to %+v, %v", v.Property, again, err)
				}
				if wantKind := map[bool]string{true: "eventually-always", false: "on-transition"}[v.Property != "accurate-after-stabilisation"]; v.Kind != wantKind {
					t.Errorf("%s: kind %s, want %s", v.Property, v.Kind, wantKind)
				}
				if v.Kind == "eventually-always" && loopMarks(v.Trace.Steps()) != 1 {
					t.Errorf("%s: %d steps mark where the loop begins, want 1", v.Property, loopMarks(v.Trace.Steps()))
				}
			}
			if !maps.Equal(got, c.violated) {
				t.Errorf("violated %v, want %v", got, c.violated)
			}
			t.Logf("%s: %v, %d states, %d transitions, depth %d, %v", c.flags, rep.Status, rep.Stats.States, rep.Stats.Transitions, rep.Stats.MaxDepth, rep.Stats.Elapsed)
			if rep.Stats.States != c.states || rep.Stats.Transitions != c.trans || rep.Stats.MaxDepth != c.depth {
				t.Errorf("got %d states, %d transitions, depth %d; pinned %d, %d, %d",
					rep.Stats.States, rep.Stats.Transitions, rep.Stats.MaxDepth, c.states, c.trans, c.depth)
			}
			// Without a crash, crash-suspected cannot be reached; the
			// default reaches every sometimes property.
			if c.flags == "" && rep.Status != explore.OK {
				t.Errorf("status %v", rep.Status)
			}
		})
	}
}
