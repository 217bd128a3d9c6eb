package model_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// Forgeries: a byzantine node 0 may send the value to either peer.
func (f fan) Forgeries(from, to spec.NodeID) []fanMsg {
	if to == from {
		return nil
	}
	return []fanMsg{{kind: 'v'}}
}

// A byzantine sender need not tell everyone: it sends the value to one
// peer only, and the correct nodes disagree. Its own state never counts.
func TestByzantineNodeSendsWhatItLikes(t *testing.T) {
	res := checkFan(t, fan{}, model.Config{Byzantine: 1})
	pinned(t, "byzantine n0", res, explore.Violated, "agreement", 7)
	var got []string
	for _, s := range res.Violation.Path.Steps {
		got = append(got, s.Label)
	}
	if strings.Join(got, "|") != "forge n0→n1 v|deliver n0→n1 v" {
		t.Errorf("counterexample %q", got)
	}
	// A byzantine node runs no Step and no request: it never delivers.
	m, _ := model.New[fanState, fanMsg](fan{}, model.Config{Byzantine: 1}, fanWork, nil)
	w := m.Init()[0]
	if w.Correct(0) || !w.Correct(1) || w.State(0).delivered {
		t.Errorf("correct %v %v, byzantine delivered %v", w.Correct(0), w.Correct(1), w.State(0).delivered)
	}
	if _, err := model.New[pingState, pingMsg](ping{n: 2}, model.Config{Byzantine: 1}, pingWork(), nil); err == nil || !strings.Contains(err.Error(), "spec.Adversary") {
		t.Errorf("a protocol without Forgeries: %v", err)
	}
	if _, err := model.New[fanState, fanMsg](fan{}, model.Config{Byzantine: 1 << 5}, fanWork, nil); err == nil {
		t.Error("byzantine node out of range accepted")
	}
}

// After the stabilisation step, a timer fires only when nothing is in
// flight: n0's retry timer cannot beat the pong any more.
func TestPartialSynchronyLetsMessagesBeatTimeouts(t *testing.T) {
	m := newModel(t, model.Config{PartialSync: true}, props()...)
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	pinned(t, "partial sync", checked[pingState, pingMsg]{m, res}, explore.OK, "", 96)
	seen, stack, stableWorlds := map[uint64]bool{}, m.Init(), 0
	for len(stack) > 0 {
		w := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[m.Fingerprint(w)] {
			continue
		}
		seen[m.Fingerprint(w)] = true
		for _, e := range explore.Edges[world, model.Action](m, w, nil) {
			if w.Stable() && w.InFlightCount() > 0 && e.Action.Kind == model.Fire {
				t.Fatalf("a timer fires after stabilisation with %d messages in flight", w.InFlightCount())
			}
			stack = append(stack, e.State)
		}
		if w.Stable() {
			stableWorlds++
		}
	}
	if stableWorlds == 0 {
		t.Fatal("no stable world: the test does not test")
	}
}
