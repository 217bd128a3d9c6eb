package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
)

type (
	state  = broadcast.State
	msg    = broadcast.Msg
	world  = *model.World[state, msg]
	result = explore.Result[world, model.Action]
)

// only returns the named properties (all of them if none is named).
func only(names ...string) []spec.Property[state, msg] {
	all := broadcast.Properties()
	if len(names) == 0 {
		return all
	}
	var out []spec.Property[state, msg]
	for _, p := range all {
		for _, n := range names {
			if p.Name == n {
				out = append(out, p)
			}
		}
	}
	return out
}

// check explores p's protocol under cfg with the named properties, keeping
// going after a violation so that every property gets a verdict, and
// checks that every counterexample replays by its labels to the same
// violation.
func check(t *testing.T, p broadcast.Params, cfg model.Config, props ...string) result {
	t.Helper()
	proto, err := broadcast.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(proto, cfg, proto.Workload(), only(props...))
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		var labels []string
		for _, s := range v.Path.Steps {
			labels = append(labels, s.Label)
		}
		again, err := explore.ReplayLabels(m, 0, labels)
		if err != nil {
			t.Fatalf("%s: counterexample does not replay: %v", v.Property, err)
		}
		for _, q := range m.Properties() {
			if q.Name == v.Property && explore.Recheck(q, again) == nil {
				t.Fatalf("%s: the replayed counterexample no longer violates it", v.Property)
			}
		}
	}
	return res
}

// verdicts maps each violated property to its counterexample's length.
func verdicts(res result) map[string]int {
	out := map[string]int{}
	for _, v := range res.Violations {
		out[v.Property] = v.Path.Len()
	}
	return out
}

// expect asserts that exactly the properties in broken are violated, with
// counterexamples of exactly those lengths, and that the search was not cut
// short.
func expect(t *testing.T, what string, res result, broken map[string]int) {
	t.Helper()
	if res.Stopped != "" {
		t.Fatalf("%s: stopped by %s", what, res.Stopped)
	}
	got := verdicts(res)
	for p, n := range broken {
		if got[p] != n {
			t.Errorf("%s: %s violated in %d steps, want %d", what, p, got[p], n)
		}
	}
	for p, n := range got {
		if _, ok := broken[p]; !ok {
			t.Errorf("%s: %s unexpectedly violated in %d steps", what, p, n)
		}
	}
}

func params(a broadcast.Algorithm, sends ...int) broadcast.Params {
	p := broadcast.DefaultParams(a)
	if len(sends) > 0 {
		p.Sends = [broadcast.MaxNodes]int{}
		copy(p.Sends[:], sends)
	}
	return p
}
