package ot_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ot"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[ot.State, ot.Msg]

func check(t *testing.T, p ot.Params, cfg model.Config) (*model.Model[ot.State, ot.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := ot.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), ot.Properties(), explore.Options{Workers: 1, KeepGoing: true})
}

func params(letters int, edits ...int) ot.Params {
	p := ot.DefaultParams()
	p.Letters = letters
	if len(edits) > 0 {
		p.Clients = len(edits)
		p.Edits = [ot.MaxClients]int{}
		copy(p.Edits[:], edits)
	}
	return p
}

// The server's ordering and the transformation keep every property: a
// client at a revision holds the server's text of that revision, no edit
// is lost or applied twice, an insert stays between the characters its
// author saw around it, and all converge; also when a message is
// delivered twice. Figures pinned.
func TestTransformedEditsConverge(t *testing.T) {
	for _, c := range []struct {
		p    ot.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{params(2, 1, 1), model.Config{}, modeltest.Pinned{States: 4_225, Transitions: 8_511, Depth: 8}},
		{params(1, 1, 1), model.Config{}, modeltest.Pinned{States: 1_616, Transitions: 3_275, Depth: 8}},
		{params(2, 1, 1), model.Config{Dups: 1}, modeltest.Pinned{States: 31_553, Transitions: 84_055, Depth: 10}},
		{params(1, 2, 1), model.Config{}, modeltest.Pinned{States: 38_732, Transitions: 99_975, Depth: 12}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// The course's classic: without transformation, c1 inserts A at 0 and c2
// D concurrently; the server applies D at c2's index to "ABC", and c2
// applies A at c1's index to its "DBC": the two texts differ.
func TestUntransformedEditsDiverge(t *testing.T) {
	p := params(2, 1, 1)
	p.Mutant = "no-transform"
	m, res := check(t, p, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{ot.PropSameText: 6, ot.PropConvergence: 8, ot.PropEditsKept: 8, ot.PropInsertBetween: 8})
	modeltest.WantTrace(t, res, ot.PropSameText,
		"request n1 edit ins(0,A)", "deliver n1→n0 ins(0,A)@c1 on r0", "request n2 edit ins(0,D)",
		"deliver n0→n2 r0 = ins(0,A)@c1", "deliver n2→n0 ins(0,D)@c2 on r0", "deliver n0→n2 r1 = ins(0,D)@c2")
}

// Without the tie-break, two inserts at one index each go right of the
// other: the server puts D right of A, c2 puts A right of D.
func TestInsertsWithoutATieBreakDiverge(t *testing.T) {
	p := params(2, 1, 1)
	p.Mutant = "no-tie-break"
	m, res := check(t, p, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{ot.PropSameText: 6, ot.PropConvergence: 8})
	modeltest.WantTrace(t, res, ot.PropSameText,
		"request n1 edit ins(0,A)", "deliver n1→n0 ins(0,A)@c1 on r0", "request n2 edit ins(0,D)",
		"deliver n0→n2 r0 = ins(0,A)@c1", "deliver n2→n0 ins(0,D)@c2 on r0", "deliver n0→n2 r1 = ins(1,D)@c2")
}

// A client takes the server's revisions in order: one that comes early
// waits for the one before it; a copy is ignored.
func TestClientTakesRevisionsInOrder(t *testing.T) {
	proto, err := ot.New(params(2, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	r0 := ot.Msg{Kind: ot.Sequenced, Rev: 0, Op: ot.Op{Kind: ot.Ins, Pos: 0, Letter: 'A', Author: 1, ID: ot.OpID(1, 0)}}
	r1 := ot.Msg{Kind: ot.Sequenced, Rev: 1, Op: ot.Op{Kind: ot.Ins, Pos: 3, Letter: 'D', Author: 3, ID: ot.OpID(3, 0)}}
	s := proto.Init(2)
	s, _ = proto.Step(s, spec.Input[ot.Msg]{Kind: spec.Receive, From: ot.Server, Msg: r1})
	if got := proto.FormatState(s); got != `"BC" rev 0 held r1` {
		t.Fatalf("after r1 alone: %s, want it held", got)
	}
	s, _ = proto.Step(s, spec.Input[ot.Msg]{Kind: spec.Receive, From: ot.Server, Msg: r0})
	s, _ = proto.Step(s, spec.Input[ot.Msg]{Kind: spec.Receive, From: ot.Server, Msg: r0})
	if got := proto.FormatState(s); got != `"ABCD" rev 2` {
		t.Fatalf("after r0, r1 and r0 again: %s, want \"ABCD\" rev 2", got)
	}
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	proto, err := ot.New(params(2, 2, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	spectest.Pure(t, proto, proto.Workload(), 20)
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []ot.Params{
		{Clients: 1, Letters: 1},
		{Clients: 4, Letters: 1},
		{Clients: 2, Letters: 0},
		{Clients: 2, Letters: 4},
		{Clients: 2, Letters: 1, Edits: [ot.MaxClients]int{3}},
		{Clients: 2, Letters: 1, Edits: [ot.MaxClients]int{1, 1, 1}},
		{Clients: 2, Letters: 1, Mutant: "nope"},
	} {
		if _, err := ot.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}
