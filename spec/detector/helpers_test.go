package detector_test

import (
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

// violated maps each violated property to the length of its shortest
// counterexample, each replayed by its labels to the same violation.
var violated = modeltest.Verdicts[detector.State, detector.Msg]

// wantReached fails unless every sometimes property in names was reached.
func wantReached(t *testing.T, res result, names ...string) {
	t.Helper()
	reached := map[string]bool{}
	for _, w := range res.Sometimes {
		reached[w.Property] = w.Reached
	}
	for _, n := range names {
		if !reached[n] {
			t.Errorf("sometimes property %s never reached", n)
		}
	}
}
