package ftcommit_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ftcommit"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[ftcommit.State, ftcommit.Msg]

func check(t *testing.T, p ftcommit.Params, cfg model.Config) (*model.Model[ftcommit.State, ftcommit.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := ftcommit.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), ftcommit.Properties(), explore.Options{Workers: 1, KeepGoing: true})
}

// Over total order broadcast every participant counts the same first
// votes and reaches the same outcome; a commit needs every participant's
// own yes; both a commit and an abort on a proxy no happen. Figures
// pinned.
func TestTotalOrderVotesReachOneOutcome(t *testing.T) {
	_, res := check(t, ftcommit.DefaultParams(), model.Config{})
	modeltest.WantOK(t, res)
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 37_051, Transitions: 148_821, Depth: 16})
}

// The course's counterexample: with reliable broadcast instead of total
// order, p1 votes yes and p2 gets it; p1 then suspects p2 and counts its
// own proxy no for p2 at once, and aborts; p2 votes yes, counts its own
// yes before the proxy no reaches it, and commits.
func TestReliableBroadcastOrdersAYesAndAProxyNoDifferently(t *testing.T) {
	m, res := check(t, ftcommit.Params{Participants: 2, Broadcast: ftcommit.Reliable}, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{ftcommit.PropAgreement: 4, ftcommit.PropCommitCountedYes: 4})
	modeltest.WantTrace(t, res, ftcommit.PropAgreement,
		"choose n1 vote yes", "deliver n1→n2 p1 yes", "fire n1 suspect-p2", "choose n2 vote yes")
}

// Counting the last vote delivered rather than the first: a proxy no for
// p2 is stamped before p2's yes; p1 delivers both and switches from abort
// to commit while p2 has delivered only the no and stays aborted.
func TestCountingTheLastVoteBreaksAgreement(t *testing.T) {
	m, res := check(t, ftcommit.Params{Participants: 2, Mutant: ftcommit.MutLastVote}, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{ftcommit.PropAgreement: 10, ftcommit.PropCommitCountedYes: 10})
}

// A participant holds a vote stamped early back until the one before it
// is delivered, then delivers both in stamp order.
func TestAParticipantDeliversInStampOrder(t *testing.T) {
	proto, err := ftcommit.New(ftcommit.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	recv := func(s ftcommit.State, seq uint8, b ftcommit.Ballot) ftcommit.State {
		s, _ = proto.Step(s, spec.Input[ftcommit.Msg]{Kind: spec.Receive, From: ftcommit.Sequencer, Msg: ftcommit.Msg{Kind: ftcommit.Ordered, Seq: seq, Ballot: b}})
		return s
	}
	s := proto.Init(1)
	s = recv(s, 1, ftcommit.Ballot{Voter: 2, By: 2, Vote: ftcommit.Yes})
	if got := proto.FormatState(s); got != "p1 voted none counted [-, -] undecided held=1" {
		t.Fatalf("after #1 alone: %s", got)
	}
	s = recv(s, 0, ftcommit.Ballot{Voter: 2, By: 1, Vote: ftcommit.No})
	if got := proto.FormatState(s); got != "p1 voted none counted [-, no for p2 by p1] abort" {
		t.Fatalf("after #0: %s", got)
	}
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	for _, p := range []ftcommit.Params{
		{Participants: 3},
		{Participants: 3, Broadcast: ftcommit.Reliable},
		{Participants: 3, Mutant: ftcommit.MutLastVote},
	} {
		proto, err := ftcommit.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 30)
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []ftcommit.Params{
		{Participants: 1},
		{Participants: 4},
		{Participants: 2, Broadcast: 2},
		{Participants: 2, Mutant: "nope"},
	} {
		if _, err := ftcommit.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}

// A participant that crashed before voting blocks no one: p1 suspects
// it, votes no for it, and once the sequencer stamps that no, p1 counts
// it and aborts. (The long test checks every crash exhaustively.)
func TestACrashedParticipantIsVotedNoFor(t *testing.T) {
	proto, err := ftcommit.New(ftcommit.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	p1, outs := proto.Step(proto.Init(1), spec.Input[ftcommit.Msg]{Kind: spec.Start})
	if len(outs) != 1 || outs[0].Kind != spec.SetTimer {
		t.Fatalf("start: %v, want the suspicion of p2 armed", outs)
	}
	p1, outs = proto.Step(p1, spec.Input[ftcommit.Msg]{Kind: spec.Fire, Timer: outs[0].Timer})
	if len(outs) != 1 || outs[0].To != ftcommit.Sequencer || outs[0].Msg.Ballot != (ftcommit.Ballot{Voter: 2, By: 1, Vote: ftcommit.No}) {
		t.Fatalf("suspicion: %v, want a no for p2 sent to the sequencer", outs)
	}
	_, stamped := proto.Step(proto.Init(ftcommit.Sequencer), spec.Input[ftcommit.Msg]{Kind: spec.Receive, From: 1, Msg: outs[0].Msg})
	p1, outs = proto.Step(p1, spec.Input[ftcommit.Msg]{Kind: spec.Receive, Msg: stamped[0].Msg})
	if p1.Outcome != ftcommit.Abort || outs[len(outs)-1].Msg.Kind != ftcommit.Decided {
		t.Fatalf("after the stamped no: %s, outputs %v", proto.FormatState(p1), outs)
	}
}
