package twogenerals_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/twogenerals"
)

type (
	world  = *model.World[twogenerals.State, twogenerals.Msg]
	result = explore.Result[world, model.Action]
)

// check model-checks the generals of p under cfg with every property.
func check(t *testing.T, p twogenerals.Params, cfg model.Config) (*model.Model[twogenerals.State, twogenerals.Msg], result) {
	t.Helper()
	proto, err := twogenerals.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), twogenerals.Properties(), explore.Options{Workers: 1})
}

// wantOK fails unless res is OK with every sometimes property reached.
var wantOK = modeltest.WantOK[world, model.Action]

// wantViolated fails unless res violates prop, replays the counterexample
// by its labels to the same violation and returns its labels.
var wantViolated = modeltest.WantViolated[world, model.Action]

// pinned are the exact figures of a check: states, transitions, depth.
type pinned struct {
	states, transitions int64
	depth               int
}

func wantPinned(t *testing.T, res result, want pinned) {
	t.Helper()
	modeltest.WantPinned(t, res, modeltest.Pinned{States: want.states, Transitions: want.transitions, Depth: want.depth})
}
