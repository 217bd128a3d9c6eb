package rpc_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/rpc"
	"github.com/distsys/distsys/spec/spectest"
)

func TestStepIsPure(t *testing.T) {
	t.Parallel()
	params := []rpc.Params{}
	for _, s := range rpc.AllSemantics() {
		params = append(params, rpc.Params{Semantics: s, Ops: rpc.MaxOps, Retries: rpc.MaxRetries})
	}
	for _, m := range rpc.Mutants {
		p := rpc.DefaultParams()
		p.Mutant = m.Name
		params = append(params, p)
	}
	for _, p := range params {
		proto, err := rpc.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 40)
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, c := range []struct {
		change func(*rpc.Params)
		field  string
	}{
		{func(p *rpc.Params) { p.Semantics = 9 }, "Semantics = 9"},
		{func(p *rpc.Params) { p.Ops = 0 }, "Ops = 0"},
		{func(p *rpc.Params) { p.Ops = rpc.MaxOps + 1 }, "Ops = 4"},
		{func(p *rpc.Params) { p.Retries = -1 }, "Retries = -1"},
		{func(p *rpc.Params) { p.Retries = rpc.MaxRetries + 1 }, "Retries = 4"},
		{func(p *rpc.Params) { p.Mutant = "no-such" }, `Mutant = "no-such"`},
		{func(p *rpc.Params) { p.Semantics, p.Mutant = rpc.AtLeastOnce, "volatile-dedup" }, "not of at-least-once"},
		{func(p *rpc.Params) { p.Semantics, p.Mutant = rpc.AtMostOnce, "volatile-client" }, "not of at-most-once"},
	} {
		p := rpc.DefaultParams()
		c.change(&p)
		_, err := rpc.New(p)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", p, err, c.field)
		}
	}
	for _, m := range rpc.Mutants {
		p := rpc.DefaultParams()
		p.Mutant = m.Name
		if _, err := rpc.New(p); err != nil {
			t.Errorf("mutant %s on the default semantics: %v", m.Name, err)
		}
	}
}

func TestMutantsBreakKnownProperties(t *testing.T) {
	names := map[string]spec.Kind{}
	for _, p := range rpc.Properties() {
		names[p.Name] = p.Kind
	}
	for _, m := range rpc.Mutants {
		if k, ok := names[m.Breaks]; m.Doc == "" || !ok || k == spec.Sometimes {
			t.Errorf("mutant %+v: no doc, or breaks an unknown or sometimes property", m)
		}
	}
}

// Each semantics checks the three guarantees and names only sometimes
// properties as its witnesses; the guarantees it promises are among them.
func TestSemanticsNameTheirPropertiesAndWitnesses(t *testing.T) {
	kinds := map[string]spec.Kind{}
	for _, p := range rpc.Properties() {
		kinds[p.Name] = p.Kind
	}
	for _, s := range rpc.AllSemantics() {
		for _, g := range s.Guarantees() {
			if k, ok := kinds[g]; !ok || k == spec.Sometimes || !slices.Contains(s.Checked(), g) {
				t.Errorf("%s guarantees %q: not a checked safety property", s, g)
			}
		}
		for _, w := range s.Witnesses() {
			if kinds[w] != spec.Sometimes {
				t.Errorf("%s: witness %q is not a sometimes property", s, w)
			}
		}
	}
	var names []string
	for _, s := range rpc.AllSemantics() {
		names = append(names, s.String())
	}
	if got := strings.Join(names, " "); got != "at-most-once at-least-once exactly-once idempotent" {
		t.Errorf("semantics %q", got)
	}
}

// Reference: course 5.1, idempotence means f(f(x)) = f(x): received twice,
// an increment counts twice, a set does not, and the table answers the
// second copy without executing it.
func TestSecondCopyOfACall(t *testing.T) {
	for _, c := range []struct {
		sem  rpc.Semantics
		want int8
	}{{rpc.AtLeastOnce, 2}, {rpc.Idempotent, 1}, {rpc.ExactlyOnce, 1}} {
		proto, _ := rpc.New(rpc.Params{Semantics: c.sem, Ops: 1, Retries: 1})
		s := proto.Init(rpc.Server)
		call := rpc.Msg{Kind: rpc.Call, Call: 1, ID: 1}
		if c.sem == rpc.Idempotent {
			call.Op = rpc.Set
		}
		for range 2 {
			s, _ = proto.Step(s, spec.Input[rpc.Msg]{Kind: spec.Receive, From: rpc.Client, Msg: call})
		}
		if s.X != c.want {
			t.Errorf("%s: a call received twice leaves x=%d, want %d", c.sem, s.X, c.want)
		}
	}
}
