package textcrdt_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/spectest"
	"github.com/distsys/distsys/spec/textcrdt"
)

type world = *model.World[textcrdt.State, textcrdt.Msg]

// promised are the properties a default check evaluates.
func promised() []spec.Property[textcrdt.State, textcrdt.Msg] {
	var out []spec.Property[textcrdt.State, textcrdt.Msg]
	for _, p := range textcrdt.Properties() {
		if p.Name != textcrdt.PropRunContiguous {
			out = append(out, p)
		}
	}
	return out
}

func check(t *testing.T, p textcrdt.Params, props []spec.Property[textcrdt.State, textcrdt.Msg]) (*model.Model[textcrdt.State, textcrdt.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := textcrdt.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, model.Config{}, proto.Workload(), props, explore.Options{Workers: 1, KeepGoing: true})
}

// params is n replicas (len(ins)) typing ins[i] characters and deleting
// dels[i].
func params(ins []int, dels ...int) textcrdt.Params {
	p := textcrdt.DefaultParams()
	p.Nodes = len(ins)
	p.Inserts = [textcrdt.MaxNodes]int{}
	copy(p.Inserts[:], ins)
	copy(p.Deletes[:], dels)
	return p
}

// Over causal broadcast with exact positions the course's text CRDT
// keeps every promised property when no insert goes between two
// characters at one position: replicas that applied the same updates
// agree, all converge, a delete removes its character, positions are
// distinct and inside (0, 1), and a character stays between its original
// neighbours; concurrent inserts at the same place and remote deletes
// happen. Figures pinned.
func TestCausalTextCRDTIsStronglyEventuallyConsistent(t *testing.T) {
	letters2 := params([]int{1, 1})
	letters2.Letters = 2
	for _, c := range []struct {
		p    textcrdt.Params
		want modeltest.Pinned
	}{
		{params([]int{1, 1}), modeltest.Pinned{States: 17, Transitions: 23, Depth: 4}},
		{letters2, modeltest.Pinned{States: 57, Transitions: 77, Depth: 4}},
		{params([]int{1, 1}, 1, 1), modeltest.Pinned{States: 389, Transitions: 709, Depth: 8}},
		{params([]int{2, 0}, 1, 1), modeltest.Pinned{States: 198, Transitions: 399, Depth: 8}},
		{params([]int{3, 0}), modeltest.Pinned{States: 59, Transitions: 115, Depth: 6}},
		{params([]int{1, 1, 0}, 0, 0, 1), modeltest.Pinned{States: 370, Transitions: 859, Depth: 9}},
	} {
		m, res := check(t, c.p, promised())
		modeltest.WantVerdict(t, m, res, nil, unreachable(c.p)...)
		modeltest.WantPinned(t, res, c.want)
	}
}

// unreachable lists the witnesses p cannot reach (WantVerdict then
// expects them unreached).
func unreachable(p textcrdt.Params) []string {
	var names []string
	for _, prop := range textcrdt.Properties() {
		if _, ok := p.Unreachable()[prop.Name]; ok {
			names = append(names, prop.Name)
		}
	}
	return names
}

// Course 8.1's first classic: over reliable broadcast in any order, n1
// gets n0's delete before the insert it deletes, removes nothing, then
// applies the insert and keeps the character for good.
func TestReliableBroadcastKeepsADeletedCharacter(t *testing.T) {
	p := params([]int{1, 1}, 1)
	p.Delivery = textcrdt.Reliable
	m, res := check(t, p, promised())
	modeltest.WantVerdict(t, m, res, map[string]int{textcrdt.PropDeletedGone: 4, textcrdt.PropSEC: 4, textcrdt.PropConvergence: 6})
	modeltest.WantTrace(t, res, textcrdt.PropDeletedGone,
		"request n0 type a at 0", "request n0 delete at 0",
		"deliver n0→n1 delete n0.2: n0.1@1/2 after {n0.1}", "deliver n0→n1 insert n0.1 a@1/2 after {}")
}

// Causal delivery holds that delete back until the insert is applied.
func TestCausalDeliveryHoldsADeleteBack(t *testing.T) {
	proto, err := textcrdt.New(params([]int{1, 1}, 1))
	if err != nil {
		t.Fatal(err)
	}
	half := textcrdt.Mid(textcrdt.Start, textcrdt.End, 0)
	ins := textcrdt.Msg{Kind: textcrdt.Insert, ID: textcrdt.ID(0, 0), P: half}
	del := textcrdt.Msg{Kind: textcrdt.Delete, ID: textcrdt.ID(0, 1), Target: ins.ID, P: half, Deps: 1 << ins.ID}
	s := proto.Init(1)
	s, _ = proto.Step(s, spec.Input[textcrdt.Msg]{Kind: spec.Receive, From: 0, Msg: del})
	if got := proto.FormatState(s); got != `"" applied={} held={n0.2}` {
		t.Fatalf("after the delete alone: %s, want it held", got)
	}
	s, _ = proto.Step(s, spec.Input[textcrdt.Msg]{Kind: spec.Receive, From: 0, Msg: ins})
	if got := proto.FormatState(s); got != `"" applied={n0.1,n0.2}` {
		t.Fatalf("after both: %s, want an empty text", got)
	}
}

// Bounded positions (one bit): the midpoint of 0 and 1/2 rounds down to
// the sentinel 0.
func TestBoundedPositionsRunOut(t *testing.T) {
	p := params([]int{1, 1})
	p.Bits = 1
	m, res := check(t, p, promised())
	modeltest.WantVerdict(t, m, res, map[string]int{textcrdt.PropPositions: 3, textcrdt.PropBetween: 3}, unreachable(p)...)
	modeltest.WantTrace(t, res, textcrdt.PropPositions,
		"request n0 type a at 0", "deliver n0→n1 insert n0.1 a@1/2 after {}", "request n1 type a at 0")
}

// The course's scheme has a hole: two characters typed concurrently at
// one place share a position, and an insert between them takes their
// midpoint, that same position. Here n0's second character collides
// with its first; sec and convergence still hold.
func TestInsertBetweenEqualPositionsCollides(t *testing.T) {
	p := params([]int{2, 1})
	m, res := check(t, p, promised())
	modeltest.WantVerdict(t, m, res, map[string]int{textcrdt.PropPositions: 4}, unreachable(p)...)
	modeltest.WantTrace(t, res, textcrdt.PropPositions,
		"request n0 type a at 0", "request n1 type a at 0", "deliver n1→n0 insert n1.1 a@1/2 after {}", "request n0 type a at 1")
}

// The same hole with three replicas: n2 types between n0's and n1's
// characters, both at 1/2, takes 1/2 and, as n2, goes after both, past
// its right neighbour.
func TestInsertBetweenEqualPositionsLeavesItsNeighbours(t *testing.T) {
	p := params([]int{1, 1, 1})
	m, res := check(t, p, promised())
	modeltest.WantVerdict(t, m, res, map[string]int{textcrdt.PropBetween: 5}, unreachable(p)...)
	modeltest.WantTrace(t, res, textcrdt.PropBetween,
		"request n0 type a at 0", "deliver n0→n2 insert n0.1 a@1/2 after {}", "request n1 type a at 0",
		"deliver n1→n2 insert n1.1 a@1/2 after {}", "request n2 type a at 1")
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 1_229, Transitions: 3_022, Depth: 9})
}

// Without the node tie-break, two characters at one position keep their
// order of arrival: each replica puts the other's after its own.
func TestNoTiebreakIsAmbiguous(t *testing.T) {
	p := params([]int{1, 1})
	p.Mutant = "no-tiebreak"
	m, res := check(t, p, promised())
	modeltest.WantVerdict(t, m, res, map[string]int{textcrdt.PropSEC: 4, textcrdt.PropConvergence: 4}, unreachable(p)...)
}

// Not in the course: two replicas typing two characters each at the
// same place interleave (a x b: x lands inside n0's run "ab"). The CRDT
// does not promise otherwise; run-contiguous says so.
func TestConcurrentRunsInterleave(t *testing.T) {
	var runs []spec.Property[textcrdt.State, textcrdt.Msg]
	for _, p := range textcrdt.Properties() {
		if p.Name == textcrdt.PropRunContiguous {
			runs = append(runs, p)
		}
	}
	p := params([]int{2, 2})
	m, res := check(t, p, runs)
	modeltest.WantVerdict(t, m, res, map[string]int{textcrdt.PropRunContiguous: 4})
	modeltest.WantTrace(t, res, textcrdt.PropRunContiguous,
		"request n0 type a at 0", "request n0 type a at 1", "request n1 type a at 0", "deliver n1→n0 insert n1.1 a@1/2 after {}")
}

func TestMidpointsAreExactAndCanonical(t *testing.T) {
	p := textcrdt.Start
	for range 5 {
		p = textcrdt.Mid(p, textcrdt.End, 0)
	}
	if got := p.String(); got != "31/32" {
		t.Errorf("five midpoints towards 1: %s, want 31/32", got)
	}
	if q := textcrdt.Mid(textcrdt.Mid(textcrdt.Start, textcrdt.End, 0), textcrdt.End, 1); q.String() != "1/2" {
		t.Errorf("3/4 with one bit: %s, want 1/2", q)
	}
	if a, b := textcrdt.Mid(textcrdt.Pos{N: 1, E: 2}, textcrdt.Pos{N: 3, E: 2}, 0), (textcrdt.Pos{N: 1, E: 1}); a != b {
		t.Errorf("mid(1/4, 3/4) = %+v, want %+v (reduced)", a, b)
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []textcrdt.Params{
		{Nodes: 1, Letters: 1},
		{Nodes: 4, Letters: 1},
		{Nodes: 2, Letters: 0},
		{Nodes: 2, Letters: 3},
		{Nodes: 2, Letters: 1, Delivery: 2},
		{Nodes: 2, Letters: 1, Bits: 9},
		{Nodes: 2, Letters: 1, Inserts: [textcrdt.MaxNodes]int{2}, Deletes: [textcrdt.MaxNodes]int{2}},
		{Nodes: 2, Letters: 1, Inserts: [textcrdt.MaxNodes]int{1, 1, 1}},
		{Nodes: 2, Letters: 1, Mutant: "nope"},
	} {
		if _, err := textcrdt.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	for _, d := range textcrdt.Deliveries() {
		p := params([]int{2, 1, 1}, 1, 1)
		p.Delivery, p.Letters = d, 2
		proto, err := textcrdt.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 20)
	}
}
