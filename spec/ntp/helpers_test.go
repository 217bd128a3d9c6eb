package ntp_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/ntp"
)

type result = explore.Result[ntp.State, ntp.Action]

// properties are the grid's properties as the explorer takes them.
func properties(g *ntp.Grid) []explore.Property[ntp.State, ntp.Action] {
	reached := func(c ntp.Correction) func(ntp.State) bool {
		return func(s ntp.State) bool { return g.Corrected(s, c) }
	}
	return []explore.Property[ntp.State, ntp.Action]{
		explore.Invariant[ntp.State, ntp.Action](ntp.PropErrorWithinHalfDelay, g.ErrorWithinHalfDelay),
		explore.TransitionInvariant(ntp.PropMonotonic, g.Monotonic),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropTimeOfDayBackwards, g.TimeOfDayBackwards),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropBoundTight, g.BoundTight),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropSlewed, reached(ntp.Slew)),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropStepped, reached(ntp.Step)),
		explore.Reachable[ntp.State, ntp.Action](ntp.PropPanicked, reached(ntp.Panic)),
	}
}

// grid is a grid with the properties it is checked against, as
// modeltest's helpers take it.
type grid struct {
	*ntp.Grid
	props []explore.Property[ntp.State, ntp.Action]
}

// Properties returns the properties the grid is checked against.
func (g grid) Properties() []explore.Property[ntp.State, ntp.Action] { return g.props }

// check explores the grid of p on one worker, keeping going after
// violations.
func check(t *testing.T, p ntp.Params) (grid, result) {
	t.Helper()
	g, err := ntp.New(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check[ntp.State, ntp.Action](g, properties(g), explore.Options{Workers: 1, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v: %v, %d states, %d transitions, depth %d, %v", p, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed)
	return grid{g, properties(g)}, res
}
