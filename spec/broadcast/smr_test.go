package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

// Reference: course 5.3, "what each broadcast needs from the updates". Each
// replica applies what it delivers to a state machine; "convergence" says
// two replicas that delivered the same messages are in the same state.
// Nodes 0 and 1 each broadcast one update, concurrently, on reliable
// unordered links:
//
//   - a register (the last write wins locally) needs total order: over
//     reliable or causal broadcast the two replicas apply the two writes in
//     opposite orders;
//   - a counter and an add-only set commute, so any reliable broadcast
//     will do;
//   - a set with removal (node 0 adds x, node 1 removes it) has a
//     concurrent add and remove that do not commute: causal order does not
//     help, total order does.
//
// A cell is the length of the shortest divergence, or 0 for convergence.
// Each check also requires the two broadcasts to be concurrent and
// delivered everywhere in some execution (sometimes properties), so that
// a convergence is not the vacuous one of updates never applied.
func TestStateMachineReplicationNeeds(t *testing.T) {
	algorithms := []broadcast.Algorithm{broadcast.Eager, broadcast.Causal, broadcast.Sequencer}
	table := []struct {
		machine broadcast.Machine
		want    [3]int // per algorithm above
	}{
		{broadcast.Register, [3]int{4, 4, 0}},
		{broadcast.Counter, [3]int{0, 0, 0}},
		{broadcast.AddSet, [3]int{0, 0, 0}},
		{broadcast.Set, [3]int{4, 4, 0}},
	}
	for _, row := range table {
		for i, a := range algorithms {
			t.Run(row.machine.String()+"/"+a.String(), func(t *testing.T) {
				p := params(a, 1, 1)
				p.Machine = row.machine
				res := check(t, p, model.Config{}, broadcast.PropConvergence, "concurrent-broadcasts", "all-delivered")
				want := map[string]int{}
				if row.want[i] > 0 {
					want[broadcast.PropConvergence] = row.want[i]
				}
				expect(t, row.machine.String()+" over "+a.String(), res, want)
			})
		}
	}
}
