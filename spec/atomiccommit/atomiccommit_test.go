package atomiccommit_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/atomiccommit"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[atomiccommit.State, atomiccommit.Msg]

func check(t *testing.T, p atomiccommit.Params, cfg model.Config, keepGoing bool) (*model.Model[atomiccommit.State, atomiccommit.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := atomiccommit.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), atomiccommit.Properties(), explore.Options{Workers: 1, KeepGoing: keepGoing})
}

var recoverOne = model.Config{Crashes: 1, CrashMode: model.CrashRecover}

// Without crashes, and with one crash-recovery of any node, 2PC keeps
// every guarantee, never leaves anyone in doubt, and reaches both
// outcomes. Figures pinned.
func TestTwoPhaseCommitHoldsUnderCrashRecovery(t *testing.T) {
	for _, c := range []struct {
		participants int
		cfg          model.Config
		want         modeltest.Pinned
	}{
		{2, model.Config{}, modeltest.Pinned{States: 1_034, Transitions: 2_864, Depth: 14}},
		{3, model.Config{}, modeltest.Pinned{States: 30_494, Transitions: 124_409, Depth: 20}},
		{2, recoverOne, modeltest.Pinned{States: 10_016, Transitions: 34_774, Depth: 18}},
	} {
		_, res := check(t, atomiccommit.Params{Queries: 1, Participants: c.participants}, c.cfg, false)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// The course's blocking counterexample: the coordinator crashes for good
// after Prepare; p1 voted yes and may neither commit nor abort: when
// nothing more can happen it is still prepared. Its query goes to a
// coordinator that is gone. Every safety property still holds.
func TestACoordinatorCrashBlocksAPreparedParticipant(t *testing.T) {
	m, res := check(t, atomiccommit.Params{Queries: 1, Participants: 2}, model.Config{Crashes: 1}, true)
	modeltest.WantVerdict(t, m, res, map[string]int{atomiccommit.PropNoneInDoubt: 10})
	modeltest.WantTrace(t, res, atomiccommit.PropNoneInDoubt,
		"request n0 begin", "deliver n0→n1 Prepare", "deliver n0→n2 Prepare", "choose n1 VoteYes", "deliver n1→n0 VoteYes",
		"fire n1 decision-timeout", "deliver n1→n0 Query", "choose n2 VoteNo", "crash n0",
		"deliver n2→n0 VoteNo (lost: n0 is down)")
}

// A participant that decides on its timeout breaks atomicity (course 7.1):
// it aborts alone in 4 steps, and in 9 the coordinator, which heard yes
// from both, commits the other.
func TestDecidingOnTimeoutBreaksAtomicity(t *testing.T) {
	m, res := check(t, atomiccommit.Params{Queries: 1, Participants: 2, Mutant: atomiccommit.MutDecideOnTimeout}, model.Config{}, true)
	modeltest.WantVerdict(t, m, res, map[string]int{atomiccommit.PropDecidesAlone: 4, atomiccommit.PropUnanimous: 9})
	modeltest.WantTrace(t, res, atomiccommit.PropUnanimous,
		"request n0 begin", "deliver n0→n1 Prepare", "deliver n0→n2 Prepare", "choose n1 VoteYes", "deliver n1→n0 VoteYes",
		"fire n1 decision-timeout", "choose n2 VoteYes", "deliver n2→n0 VoteYes", "deliver n0→n2 Commit")
}

// A coordinator that commits when its wait for the votes times out
// commits with votes missing (2 steps) and splits the outcome (7 steps).
func TestCommittingOnTimeoutCommitsWithoutTheVotes(t *testing.T) {
	m, res := check(t, atomiccommit.Params{Queries: 1, Participants: 2, Mutant: atomiccommit.MutCommitOnTimeout}, model.Config{}, true)
	modeltest.WantVerdict(t, m, res, map[string]int{atomiccommit.PropCommitNeedsYes: 2, atomiccommit.PropUnanimous: 7})
}

// A coordinator whose decision is not logged aborts, after a crash, a
// transaction it had committed: p1 committed, p2 aborts (11 steps).
// Without crashes the mutant is the correct protocol.
func TestAnUnloggedDecisionIsLostInACrash(t *testing.T) {
	m, res := check(t, atomiccommit.Params{Queries: 1, Participants: 2, Mutant: atomiccommit.MutVolatileDecision}, recoverOne, true)
	modeltest.WantVerdict(t, m, res, map[string]int{atomiccommit.PropDecidesAlone: 6, atomiccommit.PropUnanimous: 11})
	modeltest.WantTrace(t, res, atomiccommit.PropUnanimous,
		"request n0 begin", "deliver n0→n1 Prepare", "deliver n0→n2 Prepare", "choose n1 VoteYes", "deliver n1→n0 VoteYes",
		"choose n2 VoteYes", "deliver n2→n0 VoteYes", "deliver n0→n1 Commit", "crash n0", "recover n0",
		"deliver n0→n2 Abort")
	_, res = check(t, atomiccommit.Params{Queries: 1, Participants: 2, Mutant: atomiccommit.MutVolatileDecision}, model.Config{}, false)
	modeltest.WantOK(t, res)
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 1_034, Transitions: 2_864, Depth: 14})
}

func TestNewRejectsBadParameters(t *testing.T) {
	for _, p := range []atomiccommit.Params{{Participants: 0}, {Participants: 5}, {Participants: 2, Mutant: "nope"}} {
		if _, err := atomiccommit.New(p); err == nil {
			t.Errorf("New(%+v): no error", p)
		}
	}
}

// Step is deterministic, never mutates its argument, and encodes states
// and messages injectively, on random executions of every variant.
func TestStepIsPure(t *testing.T) {
	for _, mutant := range []string{"", atomiccommit.MutDecideOnTimeout, atomiccommit.MutCommitOnTimeout, atomiccommit.MutVolatileDecision} {
		proto, err := atomiccommit.New(atomiccommit.Params{Queries: 1, Participants: 3, Mutant: mutant})
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 40)
	}
}

// A participant asks as often as Queries allows, and no more: with two
// queries, p1 asks twice while the coordinator waits for p2's vote.
func TestAPreparedParticipantQueriesUpToItsBound(t *testing.T) {
	proto, err := atomiccommit.New(atomiccommit.Params{Participants: 2, Queries: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := proto.Init(1)
	s, _ = proto.Step(s, spec.Input[atomiccommit.Msg]{Kind: spec.Receive, From: 0, Msg: atomiccommit.Msg{Kind: atomiccommit.Prepare}})
	s, _ = proto.Step(s, spec.Input[atomiccommit.Msg]{Kind: spec.Choose, Msg: atomiccommit.Msg{Kind: atomiccommit.VoteYes}})
	fire := spec.Input[atomiccommit.Msg]{Kind: spec.Fire, Timer: atomiccommit.DecisionTimeout}
	var queries []int
	for range 3 {
		var outs []spec.Output[atomiccommit.Msg]
		s, outs = proto.Step(s, fire)
		queries = append(queries, len(outs))
	}
	// A query and the timer re-armed; the last query; nothing.
	if queries[0] != 2 || queries[1] != 1 || queries[2] != 0 || s.Phase != atomiccommit.Prepared {
		t.Errorf("outputs per timeout %v, phase %s", queries, s.Phase)
	}
}

// With the participants interchangeable the checker keeps one world per
// orbit, and the verdicts and counterexample lengths stay the same.
func TestSymmetryOfTheParticipants(t *testing.T) {
	for _, c := range []struct {
		p    atomiccommit.Params
		cfg  model.Config
		want int64
	}{
		{atomiccommit.Params{Queries: 1, Participants: 3}, model.Config{}, 5_612},
		{atomiccommit.Params{Queries: 1, Participants: 2}, recoverOne, 5_075},
		{atomiccommit.Params{Queries: 1, Participants: 2, Mutant: atomiccommit.MutDecideOnTimeout}, model.Config{}, -1},
		{atomiccommit.Params{Queries: 1, Participants: 2}, model.Config{Crashes: 1}, -1},
	} {
		_, base := check(t, c.p, c.cfg, true)
		sym := c.cfg
		sym.Symmetry = true
		_, res := check(t, c.p, sym, true)
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
