package byzantine_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/byzantine"
	"github.com/distsys/distsys/spec/spectest"
)

func TestStepIsPure(t *testing.T) {
	t.Parallel()
	for _, p := range []byzantine.Params{
		{N: 3}, {N: 4}, {N: 3, Tie: byzantine.TieCommander}, {N: 3, Tie: byzantine.TieAttack}, {N: 3, Tie: byzantine.TieRelay},
		{N: 4, Mutant: "no-relay"}, {N: 4, Mutant: "ignore-own-order"},
	} {
		proto, err := byzantine.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 30)
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, c := range []struct {
		p     byzantine.Params
		field string
	}{
		{byzantine.Params{N: 2}, "N = 2"},
		{byzantine.Params{N: 5}, "N = 5"},
		{byzantine.Params{N: 4, Tie: 4}, "Tie = 4"},
		{byzantine.Params{N: 4, Mutant: "nope"}, `Mutant = "nope"`},
	} {
		_, err := byzantine.New(c.p)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", c.p, err, c.field)
		}
	}
}

// A traitorous commander may send each lieutenant either order; a
// traitorous lieutenant may relay either order to the other lieutenants,
// and cannot speak as the commander.
func TestForgeriesAreTheOrdersEachTraitorCanGive(t *testing.T) {
	proto, _ := byzantine.New(byzantine.DefaultParams())
	if got := proto.Forgeries(0, 2); len(got) != 2 || got[0] != (byzantine.Msg{Kind: byzantine.Order, Val: byzantine.Attack}) || got[1].Val != byzantine.Retreat {
		t.Errorf("commander's forgeries to n2: %v", got)
	}
	if got := proto.Forgeries(3, 1); len(got) != 2 || got[0].Kind != byzantine.Relay {
		t.Errorf("lieutenant's forgeries to n1: %v", got)
	}
	if got := proto.Forgeries(3, 0); got != nil {
		t.Errorf("forgeries to the commander: %v", got)
	}
	if got := proto.Forgeries(2, 2); got != nil {
		t.Errorf("forgeries to itself: %v", got)
	}
}

// A lieutenant keeps the first value each general gives it, relays the
// commander's order once, and decides by majority with missing values as
// retreat.
func TestLieutenantKeepsFirstValuesAndVotes(t *testing.T) {
	proto, _ := byzantine.New(byzantine.DefaultParams())
	recv := func(s byzantine.State, from spec.NodeID, m byzantine.Msg) (byzantine.State, []spec.Output[byzantine.Msg]) {
		return proto.Step(s, spec.Input[byzantine.Msg]{Kind: spec.Receive, From: from, Msg: m})
	}
	s := proto.Init(1)
	if s.Decision != byzantine.Retreat {
		t.Errorf("a lieutenant that heard nothing decides %s", s.Decision)
	}
	s, outs := recv(s, 0, byzantine.Msg{Kind: byzantine.Order, Val: byzantine.Attack})
	if len(outs) != 2 || outs[0].To != 2 || outs[1].To != 3 || outs[0].Msg.Kind != byzantine.Relay {
		t.Fatalf("relays: %v", outs)
	}
	if s.Decision != byzantine.Retreat {
		t.Errorf("attack from the commander alone, two values missing: decides %s", s.Decision)
	}
	s, outs = recv(s, 0, byzantine.Msg{Kind: byzantine.Order, Val: byzantine.Retreat})
	if s.Order != byzantine.Attack || outs != nil {
		t.Errorf("a second order changed %s or was relayed: %v", proto.FormatState(s), outs)
	}
	s, _ = recv(s, 3, byzantine.Msg{Kind: byzantine.Relay, Val: byzantine.Attack})
	if s.Decision != byzantine.Attack {
		t.Errorf("two attacks of three: decides %s", s.Decision)
	}
	s, _ = recv(s, 3, byzantine.Msg{Kind: byzantine.Relay, Val: byzantine.Retreat})
	if got := proto.FormatState(s); got != "lieutenant order=attack heard=[self - attack] decides attack" {
		t.Errorf("FormatState: %s", got)
	}
}

// With three generals a lieutenant holds two values; when they differ,
// the tie rule decides: retreat, attack, the commander's word or the
// other lieutenant's.
func TestTieRulesBreakASplitVote(t *testing.T) {
	split := byzantine.State{Me: 1, Order: byzantine.Attack}
	split.Heard[2] = byzantine.Retreat
	want := map[byzantine.Tie]byzantine.Value{
		byzantine.TieRetreat:   byzantine.Retreat,
		byzantine.TieCommander: byzantine.Attack,
		byzantine.TieAttack:    byzantine.Attack,
		byzantine.TieRelay:     byzantine.Retreat,
	}
	for tie := range byzantine.Tie(len(byzantine.TieNames)) {
		proto, err := byzantine.New(byzantine.Params{N: 3, Tie: tie})
		if err != nil {
			t.Fatal(err)
		}
		if got := proto.Decide(split); got != want[tie] {
			t.Errorf("tie %s: order attack, relay retreat: decides %s, want %s", tie, got, want[tie])
		}
	}
}

// With four generals a lieutenant holds three values, an odd number, so
// there is always a majority and the tie rule never decides: over every
// state a lieutenant can be in, every rule decides alike.
func TestFourGeneralsNeverTie(t *testing.T) {
	values := []byzantine.Value{byzantine.None, byzantine.Attack, byzantine.Retreat}
	var protos []*byzantine.Protocol
	for tie := range byzantine.Tie(len(byzantine.TieNames)) {
		p, err := byzantine.New(byzantine.Params{N: 4, Tie: tie})
		if err != nil {
			t.Fatal(err)
		}
		protos = append(protos, p)
	}
	states := 0
	for me := spec.NodeID(1); me < 4; me++ {
		for _, order := range values {
			for _, h1 := range values {
				for _, h2 := range values {
					s := byzantine.State{Me: me, Order: order}
					others := []spec.NodeID{1, 2, 3}
					others = append(others[:me-1], others[me:]...)
					s.Heard[others[0]], s.Heard[others[1]] = h1, h2
					states++
					for _, p := range protos[1:] {
						if a, b := protos[0].Decide(s), p.Decide(s); a != b {
							t.Errorf("%s: tie %s decides %s, tie %s %s", protos[0].FormatState(s), protos[0].Params().Tie, a, p.Params().Tie, b)
						}
					}
				}
			}
		}
	}
	if states != 81 {
		t.Errorf("%d lieutenant states, want 3·27", states)
	}
}
