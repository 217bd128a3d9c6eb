package detector_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/detector"
)

type (
	world  = *model.World[detector.State, detector.Msg]
	result = explore.Result[world, model.Action]
	mdl    = *model.Model[detector.State, detector.Msg]
)

// build returns the model of the detector of p under cfg, with its
// properties of states and steps.
func build(t testing.TB, p detector.Params, cfg model.Config) mdl {
	t.Helper()
	proto, err := detector.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(proto, cfg, proto.Workload(), detector.Properties())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// check explores the model of p under cfg on one worker, keeping going
// after violations.
func check(t *testing.T, p detector.Params, cfg model.Config) (mdl, result) {
	t.Helper()
	m := build(t, p, cfg)
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "" {
		t.Fatalf("stopped by %s", res.Stopped)
	}
	t.Logf("%+v under %v: %v, %d states, %d transitions, depth %d, %v",
		p, cfg, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed)
	return m, res
}

// pinned are the exact figures of a check.
type pinned struct {
	states, transitions int64
	depth               int
}

func wantPinned(t *testing.T, res result, want pinned) {
	t.Helper()
	modeltest.WantPinned(t, res, modeltest.Pinned{States: want.states, Transitions: want.transitions, Depth: want.depth})
}

// wantVerdict fails unless exactly the properties of violated are
// violated, in shortest counterexamples of those lengths (each replayed by
// its labels to the same violation), exactly the sometimes properties
// reached are reached, and the status says so.
func wantVerdict(t *testing.T, m mdl, res result, violated map[string]int, reached ...string) {
	t.Helper()
	var unreached []string
	for _, w := range res.Sometimes {
		if !slices.Contains(reached, w.Property) {
			unreached = append(unreached, w.Property)
		}
	}
	modeltest.WantVerdict(t, m, res, violated, unreached...)
}
