package byzantine_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/byzantine"
)

type (
	world  = *model.World[byzantine.State, byzantine.Msg]
	result = explore.Result[world, model.Action]
)

// traitor is the model configuration with general i a traitor (-1: none).
func traitor(i int) model.Config {
	if i < 0 {
		return model.Config{}
	}
	return model.Config{Byzantine: 1 << i}
}

// check model-checks the generals of p under cfg with every property (plus
// extra) on the given number of workers.
func check(t *testing.T, p byzantine.Params, cfg model.Config, workers int, extra ...spec.Property[byzantine.State, byzantine.Msg]) (*model.Model[byzantine.State, byzantine.Msg], result) {
	t.Helper()
	proto, err := byzantine.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), append(byzantine.Properties(), extra...), explore.Options{Workers: workers})
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
