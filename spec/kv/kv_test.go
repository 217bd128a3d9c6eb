package kv_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/spectest"
)

var fifo = model.Config{Network: model.FIFO}

// check explores the store under cfg with the properties its scenario
// checks and replays the counterexample, if any, to the same violation.
func check(t *testing.T, p kv.Params, cfg model.Config) modeltest.Result[kv.State, kv.Msg] {
	t.Helper()
	proto, err := kv.New(p)
	if err != nil {
		t.Fatal(err)
	}
	chosen := kv.Properties(proto)[:0:0]
	for _, q := range kv.Properties(proto) {
		if slices.Contains(proto.Checked(), q.Name) {
			chosen = append(chosen, q)
		}
	}
	m, res := modeltest.Check(t, proto, cfg, proto.Workload(), chosen, explore.Options{})
	modeltest.Verdicts(t, m, res)
	return res
}

func scenario(name, mutant string) kv.Params {
	p := kv.DefaultParams()
	p.Scenario, p.Mutant = name, mutant
	return p
}

// TestScenariosAreLinearizableAndExactlyOnce pins the exhausted spaces of
// the scenarios (three nodes, one candidate up to term 1, one heartbeat,
// per-link FIFO) and that every "sometimes" property is reached in them.
func TestScenariosAreLinearizableAndExactlyOnce(t *testing.T) {
	for _, c := range []struct {
		scenario string
		states   int64
		depth    int
	}{
		{"basic", 418_675, 25},
		{"retry", 379_430, 25},
	} {
		res := check(t, scenario(c.scenario, ""), fifo)
		if res.Status != explore.OK {
			t.Fatalf("%s: %v %v", c.scenario, res.Status, res.Violation)
		}
		if res.Stats.States != c.states || res.Stats.MaxDepth != c.depth {
			t.Errorf("%s: %d states depth %d, want %d depth %d", c.scenario, res.Stats.States, res.Stats.MaxDepth, c.states, c.depth)
		}
		if len(res.Sometimes) == 0 {
			t.Errorf("%s: no sometimes property", c.scenario)
		}
		for _, w := range res.Sometimes {
			if !w.Reached {
				t.Errorf("%s: %s never reached", c.scenario, w.Property)
			}
		}
	}
}

// TestMutantsAreCaught: each mutant breaks the property it names, by the
// shortest path.
func TestMutantsAreCaught(t *testing.T) {
	for _, c := range []struct {
		scenario, mutant, breaks string
		steps                    int
	}{
		{"retry", "no-dedup", kv.PropExactlyOnce, 10},
		{"basic", "local-read", kv.PropLinearizable, 7},
	} {
		res := check(t, scenario(c.scenario, c.mutant), fifo)
		v := res.Violation
		if res.Status != explore.Violated || v == nil || v.Property != c.breaks || v.Path.Len() != c.steps {
			t.Errorf("%s: %v %+v, want %s in %d steps", c.mutant, res.Status, v, c.breaks, c.steps)
		}
	}
	for _, m := range kv.Mutants {
		if _, err := kv.New(scenario("basic", m.Name)); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
}

func TestBadParamsAreRejected(t *testing.T) {
	for _, p := range []kv.Params{scenario("nope", ""), scenario("basic", "nope")} {
		if _, err := kv.New(p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	p := kv.DefaultParams()
	p.Raft.N = 1
	if _, err := kv.New(p); err == nil {
		t.Error("a scenario sending to node 1 of 1 accepted")
	}
}

func TestStepIsPure(t *testing.T) {
	proto, err := kv.New(scenario("retry", ""))
	if err != nil {
		t.Fatal(err)
	}
	spectest.Pure(t, proto, proto.Workload(), 40)
}
