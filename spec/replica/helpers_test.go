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

// verdicts maps each violated property to the length of its shortest
// counterexample, each replayed by its labels to the same violation.
var verdicts = modeltest.Verdicts[replica.State, replica.Msg]

// unreached names the sometimes properties of the check never reached.
func unreached(res result) []string {
	var out []string
	for _, w := range res.Sometimes {
		if !w.Reached {
			out = append(out, w.Property)
		}
	}
	return out
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
