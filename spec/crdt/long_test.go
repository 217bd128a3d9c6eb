//go:build long

package crdt_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/crdt"
)

// Bigger checks, run with go test -tags long:
// three replicas, two updates each, under a drop and a duplication; only
// converged (no anti-entropy) fails, after every update and every
// delivery but the dropped one.
func TestLongStateBasedChecks(t *testing.T) {
	for _, c := range []struct {
		p     crdt.Params
		cfg   model.Config
		want  modeltest.Pinned
		steps int // converged's shortest counterexample; 0: OK
	}{
		{params(crdt.LWWMap, "", 1, 1, 1), dropDup, modeltest.Pinned{States: 72_389, Transitions: 287_097, Depth: 11}, 9},
		{params(crdt.LWWMap, "", 2, 2), dup, modeltest.Pinned{States: 9_575, Transitions: 23_881, Depth: 10}, 0},
		{params(crdt.GCounter, "", 2, 2, 1), dropDup, modeltest.Pinned{States: 1_775_028, Transitions: 11_321_540, Depth: 17}, 15},
		{params(crdt.PNCounter, "", 1, 1, 1), dropDup, modeltest.Pinned{States: 75_031, Transitions: 315_751, Depth: 11}, 9},
		{params(crdt.PNCounter, "", 2, 2), dup, modeltest.Pinned{States: 6_601, Transitions: 19_955, Depth: 10}, 0},
	} {
		m, res := check(t, c.p, c.cfg)
		if c.steps == 0 {
			modeltest.WantOK(t, res)
		} else {
			modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropConverged: c.steps})
		}
		modeltest.WantPinned(t, res, c.want)
	}
}

// Bigger OR-set checks, run with go test -tags long: three replicas on
// two elements, two replicas making three updates under a duplication,
// and two updates each on one element under a duplication.
func TestLongORSetChecks(t *testing.T) {
	for _, c := range []struct {
		p    crdt.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{orset("", 2, 1, 1, 1), reliable, modeltest.Pinned{States: 25_421, Transitions: 71_857, Depth: 9}},
		{orset("", 2, 2, 1), dup, modeltest.Pinned{States: 6_359, Transitions: 15_147, Depth: 8}},
		{orset("", 1, 2, 2), dup, modeltest.Pinned{States: 8_328, Transitions: 23_229, Depth: 10}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}
