package twogenerals_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/twogenerals"
)

// On a reliable link every K works: the messengers all arrive, both
// generals attack when A plans to and neither does when it does not.
func TestReliableLinkAgreesForEveryK(t *testing.T) {
	t.Parallel()
	want := map[int]pinned{1: {4, 4, 2}, 2: {5, 5, 3}, 3: {6, 6, 4}, 4: {7, 7, 5}}
	for k := 1; k <= twogenerals.MaxMessages; k++ {
		_, res := check(t, twogenerals.Params{K: k}, model.Config{})
		wantOK(t, res)
		wantPinned(t, res, want[k])
	}
}

// lostLast is the pinned table of course 2.1 (k → the shortest
// counterexample on a link that may lose one messenger): A's plan, k-1
// deliveries, and the loss of messenger k, after which its sender attacks
// and its receiver waits forever.
var lostLast = []struct {
	k, steps int
	alone    string // who attacks alone
	states   int64
}{
	{1, 2, "A", 5},
	{2, 3, "B", 7},
	{3, 4, "A", 9},
	{4, 5, "B", 11},
}

// Reference: course 2.1, "Two generals": every bounded k-messenger
// protocol has an execution, dropping the last messenger, in which one
// general attacks alone. The checker finds it for each k.
func TestLosingTheLastMessengerLeavesOneGeneralAlone(t *testing.T) {
	t.Parallel()
	for _, row := range lostLast {
		for _, drops := range []int{1, row.k} {
			m, res := check(t, twogenerals.Params{K: row.k}, model.Config{Drops: drops})
			labels := wantViolated(t, m, res, twogenerals.PropAgreement)
			if len(labels) != row.steps {
				t.Errorf("k=%d, %d drops: counterexample of %d steps, pinned %d", row.k, drops, len(labels), row.steps)
			}
			if want := fmt.Sprintf("drop n%d→n%d Messenger%d", 1-row.k%2, row.k%2, row.k); labels[len(labels)-1] != want {
				t.Errorf("k=%d: last step %q, want %q", row.k, labels[len(labels)-1], want)
			}
			if !strings.HasPrefix(res.Violation.Reason, row.alone+" attacks alone") {
				t.Errorf("k=%d: %s, want %s attacking alone", row.k, res.Violation.Reason, row.alone)
			}
			if drops == 1 && res.Stats.States != row.states {
				t.Errorf("k=%d: %d states, pinned %d", row.k, res.Stats.States, row.states)
			}
		}
	}
}

// ruleTable pins, per k, how the threshold rules fail: the one rule that
// never attacks at all (both thresholds out of reach, or B's) fails
// both-attack, B attacking with no messenger fails validity, every other
// rule lets one general attack alone.
var ruleTable = map[int]string{
	1: "6 rules: 3 agreement, 2 validity, 1 both-attack",
	2: "9 rules: 5 agreement, 3 validity, 1 both-attack",
	3: "12 rules: 8 agreement, 3 validity, 1 both-attack",
	4: "16 rules: 11 agreement, 4 validity, 1 both-attack",
}

// The impossibility by exhaustive search over decision rules: for each k,
// every pair of thresholds "attack after receiving n messengers" (from 0 to
// one more than can arrive) fails on a link that may lose one messenger —
// one general attacks alone, B attacks without the order, or the generals
// never both attack even when nothing is lost.
func TestEveryThresholdRuleFails(t *testing.T) {
	t.Parallel()
	for k := 1; k <= twogenerals.MaxMessages; k++ {
		rules, how := 0, map[string]int{}
		for needA := 0; needA <= twogenerals.Addressed(k, twogenerals.A)+1; needA++ {
			for needB := 0; needB <= twogenerals.Addressed(k, twogenerals.B)+1; needB++ {
				proto, err := twogenerals.New(twogenerals.Params{K: k, Need: []int{needA, needB}})
				if err != nil {
					t.Fatal(err)
				}
				m, err := model.New(proto, model.Config{Drops: 1}, proto.Workload(), twogenerals.Properties())
				if err != nil {
					t.Fatal(err)
				}
				res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
				if err != nil {
					t.Fatal(err)
				}
				rules++
				if res.Status != explore.Violated {
					t.Errorf("k=%d, need A %d B %d: %v: a rule survives a lossy link", k, needA, needB, res.Status)
					continue
				}
				how[res.Violation.Property]++
			}
		}
		got := fmt.Sprintf("%d rules: %d agreement, %d validity, %d both-attack", rules,
			how[twogenerals.PropAgreement], how[twogenerals.PropValidity], how[twogenerals.PropBothAttack])
		t.Logf("k=%d: %s", k, got)
		if got != ruleTable[k] {
			t.Errorf("k=%d: %s, pinned %s", k, got, ruleTable[k])
		}
	}
}

func TestMutantsAreCaughtOnAReliableLink(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"wait-for-one-more":    {"request n0 plan(attack)", "deliver n0→n1 Messenger1", "deliver n1→n0 Messenger2"},
		"attack-without-order": {"request n0 plan(retreat)"},
	}
	for _, mu := range twogenerals.Mutants {
		p := twogenerals.DefaultParams()
		p.Mutant = mu.Name
		m, res := check(t, p, model.Config{})
		labels := wantViolated(t, m, res, mu.Breaks)
		if strings.Join(labels, "|") != strings.Join(want[mu.Name], "|") {
			t.Errorf("%s: counterexample %q, want %q", mu.Name, labels, want[mu.Name])
		}
	}
}
