package quorum_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

type (
	world  = *model.World[quorum.State, quorum.Msg]
	result = explore.Result[world, model.Action]
)

// check model-checks the register of p under cfg with the properties it
// can evaluate (Checked) plus extra, on the given number of workers.
func check(t *testing.T, p quorum.Params, cfg model.Config, workers int, extra ...spec.Property[quorum.State, quorum.Msg]) (*model.Model[quorum.State, quorum.Msg], result) {
	t.Helper()
	proto, err := quorum.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), append(proto.Checked(), extra...), explore.Options{Workers: workers})
}

// wantOK fails unless res is OK with every sometimes property reached.
var wantOK = modeltest.WantOK[world, model.Action]

// wantViolated fails unless res violates prop, replays the counterexample
// by its labels to the same violation, and returns its length.
func wantViolated(t *testing.T, m *model.Model[quorum.State, quorum.Msg], res result, prop string) int {
	t.Helper()
	return len(modeltest.WantViolated(t, m, res, prop))
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
