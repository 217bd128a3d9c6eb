package cas_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/cas"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[cas.State, cas.Msg]

func check(t *testing.T, p cas.Params, cfg model.Config) (*model.Model[cas.State, cas.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := cas.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), proto.Properties(), explore.Options{Workers: 1, KeepGoing: true})
}

// scenario returns the index of the scenario named name.
func scenario(t *testing.T, name string) int {
	t.Helper()
	for i, s := range cas.Scenarios {
		if s.Name == name {
			return i
		}
	}
	t.Fatalf("no scenario %q", name)
	return -1
}

// Every operation through total order broadcast: linearizable, every
// replica applies the same sequence, and of two racing CASes one wins
// and one loses. Figures pinned.
func TestRegisterOverTOBIsLinearizable(t *testing.T) {
	for _, c := range []struct {
		scenario string
		cfg      model.Config
		want     modeltest.Pinned
	}{
		{"cas", model.Config{}, modeltest.Pinned{States: 2_869, Transitions: 7_862, Depth: 11}},
		{"pair", model.Config{}, modeltest.Pinned{States: 224, Transitions: 358, Depth: 8}},
		{"pair", model.Config{Dups: 1}, modeltest.Pinned{States: 1_413, Transitions: 3_145, Depth: 10}},
	} {
		_, res := check(t, cas.Params{Scenario: scenario(t, c.scenario)}, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantReached(t, res, cas.PropCasSucceeded, cas.PropCasFailed)
		modeltest.WantPinned(t, res, c.want)
	}
}

// The reads scenario has no CAS; through TOB it is linearizable too.
func TestReadsThroughTOBAreLinearizable(t *testing.T) {
	m, res := check(t, cas.Params{Scenario: scenario(t, "reads")}, model.Config{})
	modeltest.WantVerdict(t, m, res, nil, cas.PropCasSucceeded, cas.PropCasFailed)
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 224, Transitions: 358, Depth: 8})
}

// The course's Cx2: reads answered from the local copy. n0 has applied
// the write and client A reads 1 there; then client B reads 0 at n1,
// which has not: no sequential order puts B's read after A's.
func TestLocalReadsGoBackInTime(t *testing.T) {
	m, res := check(t, cas.Params{Scenario: scenario(t, "reads"), Reads: cas.LocalReads}, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{cas.PropLinearizable: 4}, cas.PropCasSucceeded, cas.PropCasFailed)
	modeltest.WantTrace(t, res, cas.PropLinearizable,
		"request n1 #0 write(1)", "deliver n1→n0 order #0 write(1) from n1", "request n0 #1 read", "request n1 #2 read")
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 37, Transitions: 40, Depth: 5})
}

// Without hold-back two replicas apply two operations in the orders they
// arrive: the replicas' sequences differ, and so do their answers.
func TestNoHoldbackAppliesOutOfOrder(t *testing.T) {
	m, res := check(t, cas.Params{Scenario: scenario(t, "pair"), Mutant: "no-holdback"}, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{cas.PropSameOrder: 4, cas.PropLinearizable: 4})
	modeltest.WantTrace(t, res, cas.PropSameOrder,
		"request n0 #2 write(2)", "request n1 #0 cas(0→1)", "deliver n1→n0 order #0 cas(0→1) from n1", "deliver n0→n1 1: #0 cas(0→1) from n1")
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 365, Transitions: 431, Depth: 8})
}

// The sequencer's hold-back: number 1 waits until number 0 is applied.
func TestHoldBackWaitsForTheLowerNumber(t *testing.T) {
	proto, err := cas.New(cas.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	d0 := cas.Msg{Kind: cas.Deliver, Op: cas.Op{Kind: cas.Cas, A: 0, B: 1, ID: 0}, Origin: 1, Seq: 0}
	d1 := cas.Msg{Kind: cas.Deliver, Op: cas.Op{Kind: cas.Cas, A: 0, B: 2, ID: 1}, Origin: 2, Seq: 1}
	s := proto.Init(2)
	s, out := proto.Step(s, spec.Input[cas.Msg]{Kind: spec.Receive, From: 0, Msg: d1})
	if got := proto.FormatState(s); got != "v=0 log=[] held=[1:#1]" || len(out) != 0 {
		t.Fatalf("after number 1 alone: %s %v, want it held", got, out)
	}
	s, out = proto.Step(s, spec.Input[cas.Msg]{Kind: spec.Receive, From: 0, Msg: d0})
	if got := proto.FormatState(s); got != "v=1 log=[#0 #1]" {
		t.Fatalf("after both: %s, want v=1 log=[#0 #1]", got)
	}
	if len(out) != 1 || proto.FormatMsg(out[0].Msg) != "#1 cas(0→2) → false" {
		t.Fatalf("n2 replies %v, want its CAS to fail", out)
	}
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	for sc := range cas.Scenarios {
		for _, r := range cas.ReadModes() {
			proto, err := cas.New(cas.Params{Scenario: sc, Reads: r})
			if err != nil {
				t.Fatal(err)
			}
			spectest.Pure(t, proto, proto.Workload(), 20)
		}
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []cas.Params{
		{Scenario: -1},
		{Scenario: len(cas.Scenarios)},
		{Reads: 2},
		{Mutant: "nope"},
	} {
		if _, err := cas.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}
