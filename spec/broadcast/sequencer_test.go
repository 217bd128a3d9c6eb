package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/broadcast"
)

// tobAssumed is the system model LevelOf says algorithm a needs, after
// checking that a's level is want.
func tobAssumed(t *testing.T, a broadcast.Algorithm, want broadcast.Level) model.Config {
	t.Helper()
	level, as := broadcast.LevelOf(a)
	if level != want {
		t.Fatalf("%s: level %s, want %s", a, level, want)
	}
	cfg := model.Config{Crashes: as.Crashes, Drops: as.Drops}
	if as.FIFOLinks {
		cfg.Network = model.FIFO
	}
	return cfg
}

// tobReachedAll asserts that every sometimes property was reached: the
// executions the safety properties speak about do happen.
func tobReachedAll(t *testing.T, what string, res checked) {
	t.Helper()
	t.Run(what, func(t *testing.T) {
		t.Helper()
		modeltest.WantReached(t, res.result)
	})
}

// tobStates asserts the exact number of distinct states, pinned like a
// golden file: a change is a change of semantics, to be reviewed.
func tobStates(t *testing.T, what string, res checked, want int64) {
	t.Helper()
	if res.Stats.States != want {
		t.Errorf("%s: %d states, want %d", what, res.Stats.States, want)
	}
}

// Reference: course 4.3, "TOB via a sequencer leader". Without crashes the
// sequencer gives reliable total order, over unordered links too, and every
// sometimes property is reached (concurrent broadcasts, a broadcast after a
// delivery, everyone delivering everything).
func TestSequencerDeliversInOneTotalOrder(t *testing.T) {
	cfg := tobAssumed(t, broadcast.Sequencer, broadcast.LevelTotal)
	res := check(t, params(broadcast.Sequencer), cfg)
	expect(t, "sequencer, sends (2,1)", res, nil)
	tobReachedAll(t, "sequencer, sends (2,1)", res)
	tobStates(t, "sequencer, sends (2,1)", res, 372)

	res = check(t, params(broadcast.Sequencer, 1, 1), cfg)
	expect(t, "sequencer, sends (1,1)", res, nil)
	tobReachedAll(t, "sequencer, sends (1,1)", res)
	tobStates(t, "sequencer, sends (1,1)", res, 56)
}

// The sequencer numbers submissions as they arrive, and two Submits of one
// origin can arrive swapped: total order holds, FIFO (and so causal) order
// does not.
func TestSequencerIsNotFIFOOverUnorderedLinks(t *testing.T) {
	res := check(t, params(broadcast.Sequencer, 0, 2), model.Config{},
		broadcast.PropFIFO, broadcast.PropCausal, broadcast.PropTotal)
	expect(t, "sequencer, n1 sends twice", res, map[string]int{broadcast.PropFIFO: 3, broadcast.PropCausal: 3})
	tobStates(t, "sequencer, n1 sends twice", res, 57)
}

// The sequencer is a single point of failure: once it crashes, nothing
// submitted to it is ever delivered, even by the correct node that
// broadcast it. A crash mid-step (after it told only some nodes a number)
// also splits the correct nodes.
func TestSequencerStopsWhenItCrashes(t *testing.T) {
	p := params(broadcast.Sequencer, 0, 1)
	res := check(t, p, model.Config{Crashes: 1}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "sequencer, one crash", res, map[string]int{broadcast.PropValidity: 3})
	for _, v := range res.Violations {
		crashed := false
		for _, s := range v.Path.Steps {
			if s.Action.Kind == model.Crash && s.Action.Node == 0 {
				crashed = true
			}
		}
		if !crashed {
			t.Errorf("%s: the counterexample does not crash the sequencer:\n%s", v.Property, v.Path)
		}
	}

	res = check(t, p, model.Config{Crashes: 1, CrashMidStep: true}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "sequencer, one crash mid-step", res, map[string]int{broadcast.PropValidity: 2, broadcast.PropAgreement: 3})
}
