package crdt_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/crdt"
)

func orset(mutant string, keys int, updates ...int) crdt.Params {
	p := params(crdt.ORSet, mutant, updates...)
	p.Keys = keys
	return p
}

// The observed-remove set keeps every property under duplication and
// reordering: an add wins over a concurrent remove, a remove that
// observed every add stays, and the replicas converge. Figures pinned.
func TestORSetConvergesAndAddWins(t *testing.T) {
	for _, c := range []struct {
		p    crdt.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{orset("", 1), reliable, modeltest.Pinned{States: 35, Transitions: 49, Depth: 4}},
		{orset("", 2), reliable, modeltest.Pinned{States: 117, Transitions: 177, Depth: 4}},
		{orset("", 1), dup, modeltest.Pinned{States: 127, Transitions: 207, Depth: 6}},
		{orset("", 2), dup, modeltest.Pinned{States: 453, Transitions: 781, Depth: 6}},
		{orset("", 1, 2, 1), dup, modeltest.Pinned{States: 930, Transitions: 2_100, Depth: 8}},
		{orset("", 1, 1, 1, 1), reliable, modeltest.Pinned{States: 3_459, Transitions: 9_481, Depth: 9}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// A lost state leaves the OR-set replicas apart (converged), but the
// final anti-entropy still brings them together.
func TestORSetLostStateIsMadeGoodByAntiEntropy(t *testing.T) {
	m, res := check(t, orset("", 1), dropDup)
	modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropConverged: 4})
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 211, Transitions: 427, Depth: 6})
}

// A remove that tombstones every tag, seen or not, loses the add n0 made
// concurrently: n1 has n0's add and still holds nothing.
func TestRemoveAllTagsLosesAConcurrentAdd(t *testing.T) {
	m, res := check(t, orset("remove-all-tags", 1), reliable)
	modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropAddWins: 3, crdt.PropAntiEntropy: 4}, crdt.PropAddWon)
	modeltest.WantTrace(t, res, crdt.PropAddWins, "request n0 add x", "request n1 remove x", "deliver n0→n1 state {x} x:a0.1")
}

// A merge that drops the incoming tombstones undoes a remove: n1 removed
// x having seen n0's only add, and n0, merging n1's state, keeps x.
func TestKeepOwnTombstonesResurrectsARemovedElement(t *testing.T) {
	m, res := check(t, orset("keep-own-tombstones", 1), reliable)
	modeltest.WantVerdict(t, m, res, map[string]int{crdt.PropStaysRemoved: 4, crdt.PropAntiEntropy: 4, crdt.PropConverged: 4})
	modeltest.WantTrace(t, res, crdt.PropStaysRemoved,
		"request n0 add x", "deliver n0→n1 state {x} x:a0.1", "request n1 remove x", "deliver n1→n0 state {} x:~a0.1")
}

// Add, then a concurrent add and remove: the remove tombstones only the
// tag it saw, so the element stays by the other add.
func TestORSetRemoveTombstonesOnlyObservedTags(t *testing.T) {
	pr, err := crdt.New(orset("", 1))
	if err != nil {
		t.Fatal(err)
	}
	add := spec.Input[crdt.Msg]{Kind: spec.Request, Msg: crdt.Msg{Kind: crdt.AddReq}}
	rm := spec.Input[crdt.Msg]{Kind: spec.Request, Msg: crdt.Msg{Kind: crdt.RemoveReq}}
	a, outA := pr.Step(pr.Init(0), add)
	b, outB := pr.Step(pr.Init(1), rm) // observed nothing
	if got := pr.FormatValue(b.V); got != "{}" {
		t.Fatalf("after a remove of nothing: %s", got)
	}
	b, _ = pr.Step(b, spec.Input[crdt.Msg]{Kind: spec.Receive, From: 0, Msg: outA[0].Msg})
	a, _ = pr.Step(a, spec.Input[crdt.Msg]{Kind: spec.Receive, From: 1, Msg: outB[0].Msg})
	if ga, gb := pr.FormatValue(a.V), pr.FormatValue(b.V); ga != "{x} x:a0.1" || gb != ga {
		t.Fatalf("n0 %s, n1 %s; want both {x} x:a0.1", ga, gb)
	}
}
