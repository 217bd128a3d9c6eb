package replica_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/replica"
)

type (
	world  = *model.World[replica.State, replica.Msg]
	result = explore.Result[world, model.Action]
)

// checked returns the properties a check of store s evaluates.
func checked(s replica.Store) []spec.Property[replica.State, replica.Msg] {
	var props []spec.Property[replica.State, replica.Msg]
	for _, p := range replica.Properties() {
		if slices.Contains(s.Checked(), p.Name) {
			props = append(props, p)
		}
	}
	return props
}

// check model-checks p under cfg with the properties its store checks,
// keeping going after a violation so that one search gives every
// property's verdict.
func check(t *testing.T, p replica.Params, cfg model.Config) (*model.Model[replica.State, replica.Msg], result) {
	t.Helper()
	proto, err := replica.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(proto, cfg, proto.Workload(), checked(p.Store))
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "" {
		t.Fatalf("stopped by %s", res.Stopped)
	}
	t.Logf("%+v under %v: %v, %d states, %d transitions, depth %d, %v",
		p, cfg, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed.Round(1e6))
	return m, res
}

// wantVerdict fails unless exactly the properties of violated are
// violated, in shortest counterexamples of those lengths (each replayed by
// its labels to the same violation), exactly the sometimes properties of
// unreached are never reached, and the status says so.
func wantVerdict(t *testing.T, m *model.Model[replica.State, replica.Msg], res result, violated map[string]int, unreached ...string) {
	t.Helper()
	modeltest.WantVerdict(t, m, res, violated, unreached...)
}

// pinned are the exact figures of a check: states, transitions, depth.
type pinned struct {
	states, transitions int64
	depth               int
}

func wantPinned(t *testing.T, res result, want pinned) {
	t.Helper()
	modeltest.WantPinned(t, res, modeltest.Pinned{States: want.states, Transitions: want.transitions, Depth: want.depth})
}
