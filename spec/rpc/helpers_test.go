package rpc_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/rpc"
)

type (
	world  = *model.World[rpc.State, rpc.Msg]
	result = explore.Result[world, model.Action]
)

// checked returns the properties a check of semantics s evaluates: the
// three guarantees and the witnesses of s.
func checked(s rpc.Semantics) []spec.Property[rpc.State, rpc.Msg] {
	var props []spec.Property[rpc.State, rpc.Msg]
	for _, p := range rpc.Properties() {
		if slices.Contains(s.Checked(), p.Name) {
			props = append(props, p)
		}
	}
	return props
}

// check model-checks p under cfg with the properties its semantics
// checks, keeping going after a violation so that one search gives every
// property's verdict.
func check(t *testing.T, p rpc.Params, cfg model.Config, workers int) (*model.Model[rpc.State, rpc.Msg], result) {
	t.Helper()
	proto, err := rpc.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, res := modeltest.Check(t, proto, cfg, proto.Workload(), checked(p.Semantics), explore.Options{Workers: workers, KeepGoing: true})
	if res.Stopped != "" {
		t.Fatalf("stopped by %s", res.Stopped)
	}
	return m, res
}

// wantVerdict fails unless exactly the properties of violated are
// violated, in shortest counterexamples of those lengths (each replayed by
// its labels to the same violation), every sometimes property but those
// of unreached is reached, and the status says so.
func wantVerdict(t *testing.T, m *model.Model[rpc.State, rpc.Msg], res result, violated map[string]int, unreached ...string) {
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
