package protocols_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec"
)

// A run is OK only when it did what its workload is for; a violation
// outranks everything; every gap is named.
func TestARunsStatusSaysWhatItChecked(t *testing.T) {
	ok := func() *protocols.Result {
		return &protocols.Result{Rounds: 4, Ops: 8, Answered: 7, TimedOut: 1, Properties: []protocols.PropertyResult{
			{Property: "safe", Kind: spec.Always, Held: 4},
			{Property: "at-rest", Kind: spec.AtQuiescence, Held: 3, NotEvaluated: 1},
			{Property: "happens", Kind: spec.Sometimes, Expected: true, Reached: 1, NotReached: 3},
			{Property: "lucky", Kind: spec.Sometimes, NotReached: 4},
		}}
	}
	if r := ok(); r.Status() != protocols.OK || len(r.Gaps()) != 0 {
		t.Errorf("a run that did its work: %v %q", r.Status(), r.Gaps())
	}
	// A liveness property is never evaluated on a run, by design: that is
	// no gap in the run (the checker checks it on fair lassos).
	live := ok()
	live.Properties = append(live.Properties, protocols.PropertyResult{Property: "eventually", Kind: spec.LeadsTo, NotEvaluated: 4})
	if live.Status() != protocols.OK || len(live.Gaps()) != 0 {
		t.Errorf("a run with a liveness property: %v %q", live.Status(), live.Gaps())
	}
	for name, c := range map[string]struct {
		edit func(*protocols.Result)
		want string
	}{
		"nothing answered": {func(r *protocols.Result) { r.Answered, r.TimedOut = 0, 8 }, "no operation was answered (8 issued: 8 timed out, 0 refused)"},
		"expected unreached": {func(r *protocols.Result) { r.Properties[2].Reached, r.Properties[2].NotReached = 0, 4 },
			"happens (sometimes) was reached in no round"},
		"never evaluated": {func(r *protocols.Result) { r.Properties[1].Held, r.Properties[1].NotEvaluated = 0, 4 },
			"at-rest (at-quiescence) was evaluated in no round: none ended quiescent"},
	} {
		r := ok()
		c.edit(r)
		if g := r.Gaps(); r.Status() != protocols.Incomplete || len(g) != 1 || g[0] != c.want && !strings.HasPrefix(g[0], c.want) {
			t.Errorf("%s: %v %q, want INCOMPLETE with %q", name, r.Status(), g, c.want)
		}
		r.Properties[0].Violated = 1
		if r.Status() != protocols.Violated {
			t.Errorf("%s and a violation: %v", name, r.Status())
		}
	}
}

// Every runnable protocol's default run, simulated, does what its
// workload is for: it is OK, not merely free of violations.
func TestEveryProtocolsDefaultRunIsOK(t *testing.T) {
	t.Parallel()
	for _, name := range protocols.Names() {
		e, _ := protocols.Lookup(name)
		params := defaults(t, name, nil)
		for _, b := range e.Bounds {
			params[b] = -1
		}
		res, err := e.Run(params, "", protocols.Options{Seed: 1, Ops: 40, Simulate: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status() != protocols.OK {
			t.Errorf("%s: %v: %q (replay %v, errors %v)", name, res.Status(), res.Gaps(), res.Replay, res.Errs)
		}
	}
}
