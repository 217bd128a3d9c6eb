package mvmap_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/mvmap"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[mvmap.State, mvmap.Msg]

func check(t *testing.T, p mvmap.Params, cfg model.Config) (*model.Model[mvmap.State, mvmap.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := mvmap.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), mvmap.Properties(), explore.Options{Workers: 1, KeepGoing: true})
}

func params(d mvmap.Delivery, keys int, edits ...int) mvmap.Params {
	p := mvmap.DefaultParams()
	p.Delivery, p.Keys = d, keys
	if len(edits) > 0 {
		p.Nodes = len(edits)
		p.Edits = [mvmap.MaxNodes]int{}
		copy(p.Edits[:], edits)
	}
	return p
}

// Over causal broadcast the multi-value map keeps every property: replicas
// that applied the same updates agree, all converge, a value goes only by
// a set that saw it, and concurrent sets both stay; also when an update
// is delivered twice. Figures pinned.
func TestCausalMultiValueMapIsStronglyEventuallyConsistent(t *testing.T) {
	for _, c := range []struct {
		p    mvmap.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{params(mvmap.Causal, 1), model.Config{}, modeltest.Pinned{States: 13, Transitions: 15, Depth: 4}},
		{params(mvmap.Causal, 1, 1, 1, 0), model.Config{}, modeltest.Pinned{States: 41, Transitions: 75, Depth: 6}},
		{params(mvmap.Causal, 1, 1, 1, 1), model.Config{}, modeltest.Pinned{States: 509, Transitions: 1_240, Depth: 9}},
		{params(mvmap.Causal, 2, 2, 1), model.Config{}, modeltest.Pinned{States: 211, Transitions: 357, Depth: 6}},
		{params(mvmap.Causal, 1, 2, 2), model.Config{}, modeltest.Pinned{States: 165, Transitions: 273, Depth: 8}},
		{params(mvmap.Causal, 1), model.Config{Dups: 1}, modeltest.Pinned{States: 42, Transitions: 59, Depth: 6}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// The course's exercise: without causal delivery, n1 overwrites n0's
// value and n2 gets the overwrite first; when n0's value arrives, n2 keeps
// it for good. n2 applied the same updates as n1 and differs.
func TestReliableBroadcastResurrectsAnOverwrittenValue(t *testing.T) {
	m, res := check(t, params(mvmap.Reliable, 1, 1, 1, 0), model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{mvmap.PropSEC: 5, mvmap.PropConvergence: 6, mvmap.PropOverwrittenGone: 5})
	modeltest.WantTrace(t, res, mvmap.PropOverwrittenGone,
		"request n0 set x", "deliver n0→n1 x=w0.1 over {} after {}", "request n1 set x",
		"deliver n1→n2 x=w1.1 over {w0.1} after {w0.1}", "deliver n0→n2 x=w0.1 over {} after {}")
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 45, Transitions: 77, Depth: 6})
}

// Causal delivery is what saves it: the same run holds w1.1 back at n2
// until w0.1 is applied.
func TestCausalDeliveryHoldsAnOverwriteBack(t *testing.T) {
	proto, err := mvmap.New(params(mvmap.Causal, 1, 1, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	v0 := mvmap.Msg{Kind: mvmap.Update, ID: mvmap.ID(0, 0)}
	v1 := mvmap.Msg{Kind: mvmap.Update, ID: mvmap.ID(1, 0), Over: 1 << v0.ID, Deps: 1 << v0.ID}
	s := proto.Init(2)
	s, _ = proto.Step(s, spec.Input[mvmap.Msg]{Kind: spec.Receive, From: 1, Msg: v1})
	if got := proto.FormatState(s); got != "x={} applied={} held={w1.1}" {
		t.Fatalf("after the overwrite alone: %s, want it held", got)
	}
	s, _ = proto.Step(s, spec.Input[mvmap.Msg]{Kind: spec.Receive, From: 0, Msg: v0})
	if got := proto.FormatState(s); got != "x={w1.1} applied={w0.1,w1.1}" {
		t.Fatalf("after both: %s, want x={w1.1}", got)
	}
}

// A set that drops every value the key holds, not only those its writer
// saw, loses one of two concurrent sets (and no key ever holds two
// values).
func TestDropUnseenLosesAConcurrentSet(t *testing.T) {
	p := params(mvmap.Causal, 1)
	p.Mutant = "drop-unseen"
	m, res := check(t, p, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{mvmap.PropSEC: 4, mvmap.PropConvergence: 4, mvmap.PropNoLostEdit: 4}, mvmap.PropConcurrentKept)
	modeltest.WantTrace(t, res, mvmap.PropNoLostEdit,
		"request n0 set x", "request n1 set x", "deliver n0→n1 x=w0.1 over {} after {}", "deliver n1→n0 x=w1.1 over {} after {}")
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	for _, d := range mvmap.Deliveries() {
		proto, err := mvmap.New(params(d, 2, 2, 2, 1))
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 20)
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []mvmap.Params{
		{Nodes: 1, Keys: 1},
		{Nodes: 4, Keys: 1},
		{Nodes: 2, Keys: 0},
		{Nodes: 2, Keys: 3},
		{Nodes: 2, Keys: 1, Delivery: 2},
		{Nodes: 2, Keys: 1, Edits: [mvmap.MaxNodes]int{3}},
		{Nodes: 2, Keys: 1, Edits: [mvmap.MaxNodes]int{1, 1, 1}},
		{Nodes: 2, Keys: 1, Mutant: "nope"},
	} {
		if _, err := mvmap.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}
