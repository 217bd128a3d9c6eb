package crdt_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/crdt"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[crdt.State, crdt.Msg]

func check(t *testing.T, p crdt.Params, cfg model.Config) (*model.Model[crdt.State, crdt.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := crdt.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), proto.Properties(), explore.Options{Workers: 1, KeepGoing: true})
}

func params(ty crdt.Type, mutant string, updates ...int) crdt.Params {
	p := crdt.DefaultParams()
	p.Type, p.Mutant = ty, mutant
	if len(updates) > 0 {
		p.Nodes = max(2, len(updates))
		p.Updates = [crdt.MaxNodes]int{}
		copy(p.Updates[:], updates)
	}
	return p
}

var (
	reliable = model.Config{}
	dup      = model.Config{Dups: 1}
	drop     = model.Config{Drops: 1}
	dropDup  = model.Config{Drops: 1, Dups: 1}
)

// Over best-effort broadcast every type keeps its guarantees whatever is
// duplicated or reordered: no phantom update, and the replicas converge.
// Figures pinned.
func TestStateBasedCRDTsConvergeUnderDuplication(t *testing.T) {
	for _, c := range []struct {
		p    crdt.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{params(crdt.LWWMap, ""), reliable, modeltest.Pinned{States: 41, Transitions: 49, Depth: 4}},
		{params(crdt.LWWMap, ""), dup, modeltest.Pinned{States: 143, Transitions: 211, Depth: 6}},
		{params(crdt.LWWMap, "", 2, 1), dup, modeltest.Pinned{States: 1_051, Transitions: 2_165, Depth: 8}},
		{params(crdt.GCounter, ""), reliable, modeltest.Pinned{States: 11, Transitions: 15, Depth: 4}},
		{params(crdt.GCounter, ""), dup, modeltest.Pinned{States: 36, Transitions: 57, Depth: 6}},
		{params(crdt.GCounter, "", 1, 1, 1), dup, modeltest.Pinned{States: 3_503, Transitions: 11_971, Depth: 11}},
		{params(crdt.PNCounter, ""), reliable, modeltest.Pinned{States: 33, Transitions: 49, Depth: 4}},
		{params(crdt.PNCounter, ""), dup, modeltest.Pinned{States: 121, Transitions: 205, Depth: 6}},
		{params(crdt.PNCounter, "", 2, 1), dup, modeltest.Pinned{States: 818, Transitions: 1_966, Depth: 8}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// A lost state is not resent: best-effort broadcast alone leaves the
// replicas apart (converged fails), and a final anti-entropy — every
// replica merging every other's state — brings them together with every
// update, under a drop and a duplication alike (course 8.1: the
// state-based map tolerates loss and duplication).
func TestALostStateIsMadeGoodByAFinalAntiEntropy(t *testing.T) {
	for _, c := range []struct {
		p     crdt.Params
		cfg   model.Config
		want  modeltest.Pinned
		steps int // the shortest counterexample of converged
	}{
		{params(crdt.LWWMap, ""), drop, modeltest.Pinned{States: 69, Transitions: 93, Depth: 4}, 4},
		{params(crdt.LWWMap, ""), dropDup, modeltest.Pinned{States: 249, Transitions: 441, Depth: 6}, 4},
		{params(crdt.LWWMap, "", 2, 1), dropDup, modeltest.Pinned{States: 2_073, Transitions: 5_177, Depth: 8}, 6},
		{params(crdt.GCounter, ""), dropDup, modeltest.Pinned{States: 58, Transitions: 115, Depth: 6}, 4},
		{params(crdt.PNCounter, ""), dropDup, modeltest.Pinned{States: 197, Transitions: 421, Depth: 6}, 4},
		// A state sent to a replica that is down is lost too.
		{params(crdt.LWWMap, ""), model.Config{Crashes: 1, CrashMode: model.CrashRecover}, modeltest.Pinned{States: 253, Transitions: 429, Depth: 6}, 6},
	} {
		m, res := check(t, c.p, c.cfg)
		modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropConverged: c.steps})
		modeltest.WantPinned(t, res, c.want)
	}
	_, res := check(t, params(crdt.GCounter, ""), drop)
	modeltest.WantTrace(t, res, crdt.PropConverged,
		"request n0 inc", "deliver n0→n1 state [1 0]=1", "request n1 inc", "drop n1→n0 state [1 1]=2")
}

// Merging by sum is not idempotent: n0 increments once, its state is
// duplicated on the way to n1, and n1 counts it twice (no-phantom, 4
// steps). First found, in 2 steps: once n1 holds n0's increment, the
// final anti-entropy itself counts it twice.
func TestSumMergeCountsADuplicateTwice(t *testing.T) {
	m, res := check(t, params(crdt.GCounter, "sum-merge", 1, 0), dup)
	modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropNoPhantom: 4, crdt.PropAntiEntropy: 2, crdt.PropConverged: 4}, crdt.PropMergedTwo)
	modeltest.WantTrace(t, res, crdt.PropAntiEntropy, "request n0 inc", "deliver n0→n1 state [1 0]=1")
	modeltest.WantTrace(t, res, crdt.PropNoPhantom,
		"request n0 inc", "duplicate n0→n1 state [1 0]=1", "deliver n0→n1 state [1 0]=1", "deliver n0→n1 state [1 0]=1")
	// Without a duplicate, a state that holds the receiver's own count
	// inflates it too.
	m, res = check(t, params(crdt.PNCounter, "sum-merge"), reliable)
	modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropNoPhantom: 4, crdt.PropAntiEntropy: 4, crdt.PropConverged: 4})
}

// A map that keeps its own entry on a counter tie merges differently in
// the two directions: after the final anti-entropy n0 and n1 differ.
func TestMergeWithoutTiebreakDoesNotConverge(t *testing.T) {
	m, res := check(t, params(crdt.LWWMap, "merge-no-tiebreak"), reliable)
	modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropAntiEntropy: 4, crdt.PropConverged: 4})
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 41, Transitions: 49, Depth: 4})
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	for _, ty := range crdt.Types() {
		proto, err := crdt.New(params(ty, "", 2, 2, 1))
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 20)
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []crdt.Params{
		{Type: 4, Nodes: 2, Keys: 1},
		{Nodes: 1, Keys: 1},
		{Nodes: 2, Keys: 0},
		{Nodes: 2, Keys: 1, Updates: [crdt.MaxNodes]int{3}},
		{Nodes: 2, Keys: 1, Updates: [crdt.MaxNodes]int{1, 1, 1}},
		{Nodes: 2, Keys: 1, Mutant: "sum-merge"},
		{Type: crdt.GCounter, Nodes: 2, Keys: 1, Mutant: "merge-no-tiebreak"},
		{Type: crdt.LWWMap, Nodes: 2, Keys: 1, Mutant: "remove-all-tags"},
	} {
		if _, err := crdt.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}
