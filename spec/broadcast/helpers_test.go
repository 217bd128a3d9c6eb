package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
)

type (
	state  = broadcast.State
	msg    = broadcast.Msg
	world  = *model.World[state, msg]
	result = explore.Result[world, model.Action]
)

// checked is a search and the model it explored.
type checked struct {
	m *model.Model[state, msg]
	result
}

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
// going after a violation so that every property gets a verdict.
func check(t *testing.T, p broadcast.Params, cfg model.Config, props ...string) checked {
	t.Helper()
	proto, err := broadcast.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, res := modeltest.Check(t, proto, cfg, proto.Workload(), only(props...), explore.Options{Workers: 1, KeepGoing: true})
	return checked{m, res}
}

// expect asserts the verdict of the check what: the search was not cut
// short, exactly the properties in broken are violated, with
// counterexamples of exactly those lengths (each replayed to the same
// violation), exactly the sometimes properties in unreached are never
// reached, and the status says so.
func expect(t *testing.T, what string, res checked, broken map[string]int, unreached ...string) {
	t.Helper()
	t.Run(what, func(t *testing.T) {
		t.Helper()
		modeltest.WantVerdict(t, res.m, res.result, broken, unreached...)
	})
}

// oneSender names the sometimes properties a check with a single sender
// cannot reach: no broadcast follows the delivery of another node's, and
// none is concurrent with another. Such a check is VIOLATED on them, as
// the CLI says; what it shows is the safety properties' verdicts.
var oneSender = []string{"causal-chain", "concurrent-broadcasts"}

func params(a broadcast.Algorithm, sends ...int) broadcast.Params {
	p := broadcast.DefaultParams(a)
	if len(sends) > 0 {
		p.Sends = [broadcast.MaxNodes]int{}
		copy(p.Sends[:], sends)
	}
	return p
}
