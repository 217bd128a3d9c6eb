package kv_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/spectest"
)

var fifo = model.Config{Network: model.FIFO}

// check explores the store under cfg with the properties its scenario
// checks, and extra ones.
func check(t *testing.T, p kv.Params, cfg model.Config, extra ...spec.Property[kv.State, kv.Msg]) (*model.Model[kv.State, kv.Msg], modeltest.Result[kv.State, kv.Msg]) {
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
	return modeltest.Check(t, proto, cfg, proto.Workload(), append(chosen, extra...), explore.Options{})
}

func scenario(name, mutant string) kv.Params {
	p := kv.DefaultParams()
	p.Scenario, p.Mutant = name, mutant
	return p
}

// TestScenariosAreLinearizableAndExactlyOnce pins the exhausted spaces of
// the scenarios with no heartbeat (three nodes, one candidate up to term
// 1, per-link FIFO), and that every "sometimes" property is reached in
// them: the leader answers the put and the forwarded get, and skips the
// retried swap. The default bounds, with a heartbeat, run with -tags long
// (TestScenariosAtTheDefaultBounds).
func TestScenariosAreLinearizableAndExactlyOnce(t *testing.T) {
	for _, c := range []struct {
		scenario string
		states   int64
		depth    int
	}{
		{"basic", 27_263, 20},
		{"retry", 24_519, 20},
	} {
		p := scenario(c.scenario, "")
		p.Raft.MaxBeats = 0
		m, res := check(t, p, fifo)
		modeltest.WantVerdict(t, m, res, nil)
		if res.Stats.States != c.states || res.Stats.MaxDepth != c.depth {
			t.Errorf("%s: %d states depth %d, want %d depth %d", c.scenario, res.Stats.States, res.Stats.MaxDepth, c.states, c.depth)
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
		m, res := check(t, scenario(c.scenario, c.mutant), fifo)
		if n := len(modeltest.WantViolated(t, m, res, c.breaks)); n != c.steps {
			t.Errorf("%s: %s violated in %d steps, want %d", c.mutant, c.breaks, n, c.steps)
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
