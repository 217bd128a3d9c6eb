package byzantine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/byzantine"
)

// traitorLies is reached when a loyal lieutenant holds both orders, each
// from someone: the traitor really did lie to it.
var traitorLies = spec.Property[byzantine.State, byzantine.Msg]{
	Name: "traitor-lies", Kind: spec.Sometimes,
	Reach: func(v spec.View[byzantine.State, byzantine.Msg]) bool {
		for j := 1; j < v.Nodes(); j++ {
			s := v.State(spec.NodeID(j))
			if !v.Correct(spec.NodeID(j)) {
				continue
			}
			seen := map[byzantine.Value]bool{s.Order: true}
			for _, h := range s.Heard {
				seen[h] = true
			}
			if seen[byzantine.Attack] && seen[byzantine.Retreat] {
				return true
			}
		}
		return false
	},
}

// Reference: course 2.2, theorem: with n ≥ 3f+1 generals the loyal ones
// agree, and obey a loyal commander, whatever f traitors do. Here n = 4,
// f = 1, every general in turn the traitor. The tie rule is the default:
// with four generals a lieutenant holds three values, no tie arises, and
// every rule decides alike (TestFourGeneralsNeverTie).
func TestFourGeneralsSurviveAnyOneTraitor(t *testing.T) {
	t.Parallel()
	want := map[int]pinned{
		-1: {251, 753, 10},
		0:  {21952, 112897, 18},
		1:  {10100, 49441, 16},
		2:  {10100, 49441, 16},
		3:  {10100, 49441, 16},
	}
	for tr := -1; tr < 4; tr++ {
		t.Run(fmt.Sprintf("traitor-%d", tr), func(t *testing.T) {
			t.Parallel()
			var extra []spec.Property[byzantine.State, byzantine.Msg]
			if tr >= 0 {
				extra = append(extra, traitorLies)
			}
			_, res := check(t, byzantine.Params{N: 4}, traitor(tr), 1, extra...)
			wantOK(t, res)
			wantPinned(t, res, want[tr])
		})
	}
}

// Reference: course 2.2, Cx with 3 generals and 1 traitor: a lieutenant
// cannot tell "the commander is lying" from "the other lieutenant is
// lying". A lieutenant holds two values, and whichever of the four ways it
// breaks their tie, some traitor wins: with "retreat" a silent lieutenant
// outvotes a loyal commander's attack; with "attack" a lieutenant relaying
// attack overrules a loyal retreat; trusting the commander, a commander
// that tells each lieutenant something else splits them; trusting the
// relay, both. The table pins, per tie rule and traitor, the property
// broken and the counterexample's length ("" holds); every violation says
// that n = 3 is below 3f+1.
func TestThreeGeneralsLoseToOneTraitor(t *testing.T) {
	t.Parallel()
	type outcome struct {
		breaks string
		steps  int
		states int64
	}
	table := map[byzantine.Tie][3]outcome{
		byzantine.TieRetreat:   {{"", 0, 256}, {byzantine.PropValidity, 4, 66}, {byzantine.PropValidity, 4, 66}},
		byzantine.TieCommander: {{byzantine.PropAgreement, 3, 38}, {"", 0, 130}, {"", 0, 130}},
		byzantine.TieAttack:    {{"", 0, 256}, {byzantine.PropValidity, 6, 121}, {byzantine.PropValidity, 6, 121}},
		byzantine.TieRelay:     {{byzantine.PropAgreement, 3, 38}, {byzantine.PropValidity, 4, 66}, {byzantine.PropValidity, 4, 66}},
	}
	if len(table) != len(byzantine.TieNames) {
		t.Fatalf("%d tie rules pinned, %d exist", len(table), len(byzantine.TieNames))
	}
	for tie, row := range table {
		lost := false
		for tr, want := range row {
			m, res := check(t, byzantine.Params{N: 3, Tie: tie}, traitor(tr), 1)
			if want.breaks == "" {
				wantOK(t, res)
			} else {
				lost = true
				if labels := wantViolated(t, m, res, want.breaks); len(labels) != want.steps {
					t.Errorf("tie %s, traitor n%d: %d steps, pinned %d", tie, tr, len(labels), want.steps)
				}
				if w := fmt.Sprintf("n = 3 < 3f+1 = 4 with traitor n%d", tr); !strings.Contains(res.Violation.Reason, w) {
					t.Errorf("tie %s, traitor n%d: %q does not say %q", tie, tr, res.Violation.Reason, w)
				}
			}
			if res.Stats.States != want.states {
				t.Errorf("tie %s, traitor n%d: %d states, pinned %d", tie, tr, res.Stats.States, want.states)
			}
		}
		if !lost {
			t.Errorf("tie %s: no traitor wins with three generals", tie)
		}
	}
	// Without a traitor three generals are fine.
	_, res := check(t, byzantine.Params{N: 3}, model.Config{}, 1)
	wantOK(t, res)
	wantPinned(t, res, pinned{19, 27, 5})
}

func TestMutantsAreCaughtWithFourGenerals(t *testing.T) {
	t.Parallel()
	steps := map[string]int{"no-relay": 2, "ignore-own-order": 8}
	for _, mu := range byzantine.Mutants {
		var tr int
		if _, err := fmt.Sscanf(mu.Shows, "-byzantine %d", &tr); err != nil {
			t.Fatalf("%s: Shows %q: %v", mu.Name, mu.Shows, err)
		}
		m, res := check(t, byzantine.Params{N: 4, Mutant: mu.Name}, traitor(tr), 1)
		if n := len(wantViolated(t, m, res, mu.Breaks)); n != steps[mu.Name] {
			t.Errorf("%s: %d steps, pinned %d", mu.Name, n, steps[mu.Name])
		}
	}
}
