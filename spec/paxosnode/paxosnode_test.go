package paxosnode_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/paxosnode"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[paxosnode.State, paxosnode.Msg]

func check(t *testing.T, p paxosnode.Params, cfg model.Config, keepGoing bool) (*model.Model[paxosnode.State, paxosnode.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := paxosnode.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), proto.Properties(), explore.Options{Workers: 1, KeepGoing: keepGoing})
}

func params(proposers, tries int, mutant string) paxosnode.Params {
	return paxosnode.Params{Proposers: proposers, Acceptors: 3, Tries: tries, Mutant: mutant}
}

// Two duelling proposers (the second's ballot preempts the first's), and
// one proposer retrying on its timer, keep agreement and validity and
// terminate; a value is learned. Figures pinned.
func TestPaxosAgreesAndTerminatesWithoutFaults(t *testing.T) {
	for _, c := range []struct {
		p    paxosnode.Params
		want modeltest.Pinned
	}{
		{params(2, 1, ""), modeltest.Pinned{States: 111_670, Transitions: 552_245, Depth: 24}},
		{params(1, 2, ""), modeltest.Pinned{States: 79_682, Transitions: 416_988, Depth: 23}},
	} {
		_, res := check(t, c.p, model.Config{}, false)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// A proposer that ignores the accepted vote the promises report proposes
// its own value over one already chosen (course 6.1: the value of the
// highest ballot reported must be kept).
func TestIgnoringTheReportedVoteChoosesTwoValues(t *testing.T) {
	m, res := check(t, params(2, 1, paxosnode.MutAnyValue), model.Config{}, false)
	modeltest.WantVerdict(t, m, res, map[string]int{paxosnode.PropAgreement: 18})
}

// Quorums of one acceptor out of three need not intersect: each proposer
// gets its own value chosen by a different acceptor (n3 accepts ballot 1
// without having promised it: Accept needs no earlier promise).
func TestAMinorityQuorumChoosesTwoValues(t *testing.T) {
	m, res := check(t, params(2, 1, paxosnode.MutMinorityQuorum), model.Config{}, false)
	modeltest.WantVerdict(t, m, res, map[string]int{paxosnode.PropAgreement: 10})
	modeltest.WantTrace(t, res, paxosnode.PropAgreement,
		"request n0 propose v1", "deliver n0→n2 Prepare(1)", "deliver n2→n0 Promise(1, none)", "deliver n0→n3 Accept(1, v1)",
		"deliver n3→n0 Accepted(1, v1)", "request n1 propose v2", "deliver n1→n4 Prepare(2)", "deliver n4→n1 Promise(2, none)",
		"deliver n1→n4 Accept(2, v2)", "deliver n4→n1 Accepted(2, v2)")
}

// When the proposer of the highest ballot crashes for good after its
// Prepare, its promises preempt the other's ballot, and with no ballot
// left nothing is ever chosen: agreement and validity hold, termination
// needs a proposer that keeps retrying.
func TestACrashedProposerCanLeaveNothingChosen(t *testing.T) {
	m, res := check(t, params(2, 1, ""), model.Config{Crashes: 1}, false)
	modeltest.WantVerdict(t, m, res, map[string]int{paxosnode.PropTerminates: 12})
}

func TestNewRejectsBadParameters(t *testing.T) {
	for _, p := range []paxosnode.Params{
		{Proposers: 0, Acceptors: 3, Tries: 1}, {Proposers: 4, Acceptors: 3, Tries: 1},
		{Proposers: 2, Acceptors: 0, Tries: 1}, {Proposers: 2, Acceptors: 6, Tries: 1},
		{Proposers: 2, Acceptors: 3, Learners: 4, Tries: 1}, {Proposers: 2, Acceptors: 3, Tries: 0},
		{Proposers: 2, Acceptors: 3, Tries: 4}, {Proposers: 2, Acceptors: 3, Tries: 1, Mutant: "nope"},
	} {
		if _, err := paxosnode.New(p); err == nil {
			t.Errorf("New(%+v): no error", p)
		}
	}
}

// Step is deterministic, never mutates its argument, and encodes states
// and messages injectively, on random executions of every variant, with
// learners.
func TestStepIsPure(t *testing.T) {
	for _, mutant := range []string{"", paxosnode.MutVolatilePromise, paxosnode.MutAnyValue, paxosnode.MutMinorityQuorum} {
		proto, err := paxosnode.New(paxosnode.Params{Proposers: 2, Acceptors: 3, Learners: 2, Tries: 2, Mutant: mutant})
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 40)
	}
}

// An acceptor keeps its promise across a crash, and refuses a ballot
// below it; with the volatile-promise mutant it forgets the promise and
// accepts the lower ballot over the one it accepted.
func TestAnAcceptorKeepsItsPromiseAcrossACrash(t *testing.T) {
	for _, c := range []struct {
		mutant string
		want   paxosnode.Vote
	}{{"", paxosnode.Vote{Bal: 2, Val: 2}}, {paxosnode.MutVolatilePromise, paxosnode.Vote{Bal: 1, Val: 1}}} {
		proto, err := paxosnode.New(paxosnode.Params{Proposers: 2, Acceptors: 3, Tries: 1, Mutant: c.mutant})
		if err != nil {
			t.Fatal(err)
		}
		recv := func(s paxosnode.State, from spec.NodeID, m paxosnode.Msg) paxosnode.State {
			s, _ = proto.Step(s, spec.Input[paxosnode.Msg]{Kind: spec.Receive, From: from, Msg: m})
			return s
		}
		s := proto.Init(2)
		s = recv(s, 1, paxosnode.Msg{Kind: paxosnode.Prepare, Bal: 2})
		s = recv(s, 1, paxosnode.Msg{Kind: paxosnode.Accept, Bal: 2, Val: 2})
		s = proto.Crash(s)
		s, _ = proto.Step(s, spec.Input[paxosnode.Msg]{Kind: spec.Recover})
		s = recv(s, 0, paxosnode.Msg{Kind: paxosnode.Accept, Bal: 1, Val: 1})
		if s.Accepted != c.want {
			t.Errorf("mutant %q: accepted %v after the crash, want %v", c.mutant, s.Accepted, c.want)
		}
	}
}

// Validity fails on a learned value no proposer was asked for; agreement
// on two proposers that learned different values (the checks can fail).
func TestTheSafetyChecksCanFail(t *testing.T) {
	proto, err := paxosnode.New(paxosnode.Params{Proposers: 2, Acceptors: 1, Learners: 1, Tries: 1})
	if err != nil {
		t.Fatal(err)
	}
	props := map[string]spec.Property[paxosnode.State, paxosnode.Msg]{}
	for _, p := range proto.Properties() {
		props[p.Name] = p
	}
	v := view{proto.Init(0), proto.Init(1), proto.Init(2), proto.Init(3)}
	v[3].Learned = 1 << 2
	if props[paxosnode.PropValidity].State(v) == nil {
		t.Error("validity holds on l3 learning v2, which no proposer was asked to propose")
	}
	v[1].Own = 2
	if err := props[paxosnode.PropValidity].State(v); err != nil {
		t.Errorf("validity: %v, though p1 was asked to propose v2", err)
	}
	v[0].Own, v[0].Chosen = 1, 1
	if props[paxosnode.PropAgreement].State(v) == nil {
		t.Error("agreement holds on p0 learning v1 and l3 learning v2")
	}
}

// view is a spec.View of fixed states, all up and correct.
type view []paxosnode.State

func (v view) Nodes() int                           { return len(v) }
func (v view) State(i spec.NodeID) paxosnode.State  { return v[i] }
func (v view) Up(spec.NodeID) bool                  { return true }
func (v view) Correct(spec.NodeID) bool             { return true }
func (v view) History() []spec.Event[paxosnode.Msg] { return nil }

// With the acceptors interchangeable the checker keeps one world per
// orbit, and the verdicts and counterexample lengths stay the same.
func TestSymmetryOfTheAcceptors(t *testing.T) {
	for _, c := range []struct {
		p    paxosnode.Params
		want int64
	}{
		{params(2, 1, ""), 19_622},
		{params(2, 1, paxosnode.MutMinorityQuorum), -1},
	} {
		_, base := check(t, c.p, model.Config{}, false)
		_, res := check(t, c.p, model.Config{Symmetry: true}, false)
		if res.Status != base.Status || len(res.Violations) != len(base.Violations) || res.Stats.States >= base.Stats.States {
			t.Errorf("%+v: %v %d states with symmetry, %v %d without", c.p, res.Status, res.Stats.States, base.Status, base.Stats.States)
			continue
		}
		for i, v := range res.Violations {
			if v.Property != base.Violations[i].Property || v.Path.Len() != base.Violations[i].Path.Len() {
				t.Errorf("%+v: %s in %d steps with symmetry, %s in %d without", c.p, v.Property, v.Path.Len(), base.Violations[i].Property, base.Violations[i].Path.Len())
			}
		}
		if c.want >= 0 && res.Stats.States != c.want {
			t.Errorf("%+v: %d orbits, pinned %d", c.p, res.Stats.States, c.want)
		}
	}
}
