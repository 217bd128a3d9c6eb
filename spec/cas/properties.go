package cas

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropLinearizable: the calls and replies so far have a legal
	// sequential order that respects real time.
	PropLinearizable = "linearizable"
	// PropSameOrder: of any two replicas' applied sequences, one is a
	// prefix of the other.
	PropSameOrder = "same-order"
	// PropAllApplied: when nothing more can happen, every replica applied
	// every ordered operation, and holds none back.
	PropAllApplied = "all-applied"
	// PropCasSucceeded: some CAS returned true.
	PropCasSucceeded = "cas-succeeded"
	// PropCasFailed: some CAS returned false.
	PropCasFailed = "cas-failed"
)

type view = spec.View[State, Msg]

// Properties are the register's guarantees and witnesses.
func (pr *Protocol) Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropLinearizable, Kind: spec.Always, Needs: spec.NeedsHistory, State: checkLinearizable,
			Doc: "the calls and replies so far have a legal sequential order that respects real time"},
		{Name: PropSameOrder, Kind: spec.Always, State: checkSameOrder,
			Doc: "of any two replicas' applied sequences, one is a prefix of the other"},
		{Name: PropAllApplied, Kind: spec.AtQuiescence, State: pr.checkAllApplied,
			Doc: "when nothing more can happen, every replica applied every ordered operation and holds none back"},
		{Name: PropCasSucceeded, Kind: spec.Sometimes, Needs: spec.NeedsHistory, Reach: casReturned(1),
			Doc: "some CAS returns true"},
		{Name: PropCasFailed, Kind: spec.Sometimes, Needs: spec.NeedsHistory, Reach: casReturned(0),
			Doc: "some CAS returns false"},
	}
}

// Unreachable names the sometimes properties no run of p can reach, each
// with the reason.
func (p Params) Unreachable() map[string]string {
	if p.Scenario < 0 || p.Scenario >= len(Scenarios) {
		return nil
	}
	for _, op := range Scenarios[p.Scenario].Ops {
		if op.Kind == Cas {
			return nil
		}
	}
	return map[string]string{PropCasSucceeded: "the scenario makes no CAS", PropCasFailed: "the scenario makes no CAS"}
}

// call is one operation in the history: the positions of its call and
// reply (-1: none yet), and its result.
type call = spec.Call[Op, int8]

// calls reads the history's operations, in the order called.
func calls(v view) []call {
	var cs []call
	for k, e := range v.History() {
		switch e.Obs.Kind {
		case Called:
			cs = append(cs, call{Op: e.Obs.Op, Invoked: k, Replied: -1})
		case Done:
			for i := range cs {
				if cs[i].Op.ID == e.Obs.Op.ID && cs[i].Replied < 0 {
					cs[i].Replied, cs[i].Result = k, e.Obs.Result
				}
			}
		}
	}
	return cs
}

// checkLinearizable searches for a sequential order of every answered
// call and any subset of the unanswered ones (they may or may not have
// taken effect) in which no call comes before one answered before it was
// called, and each answered call returns what its client saw.
func checkLinearizable(v view) error {
	cs := calls(v)
	if spec.Linearizable(cs, int8(0), func(v int8, op Op) (int8, int8) { return op.Apply(v) }) {
		return nil
	}
	var b strings.Builder
	for _, c := range cs {
		if c.Replied >= 0 {
			fmt.Fprintf(&b, " %s→%s", c.Op, c.Op.Result(c.Result))
		} else {
			fmt.Fprintf(&b, " %s→(pending)", c.Op)
		}
	}
	return fmt.Errorf("no sequential order explains the replies:%s", b.String())
}

func checkSameOrder(v view) error {
	for i := range v.Nodes() {
		for j := i + 1; j < v.Nodes(); j++ {
			a, b := v.State(spec.NodeID(i)), v.State(spec.NodeID(j))
			n := min(a.Applied, b.Applied)
			if !slices.Equal(a.Log[:n], b.Log[:n]) {
				return fmt.Errorf("n%d applied %s, n%d applied %s", i, formatLog(a), j, formatLog(b))
			}
		}
	}
	return nil
}

func (pr *Protocol) checkAllApplied(v view) error {
	ordered := 0
	for _, op := range pr.sc.Ops {
		if op.Kind != Read || pr.p.Reads == TOBReads {
			ordered++
		}
	}
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if s.Held != 0 || int(s.Applied) != ordered {
			return fmt.Errorf("n%d applied %s of %d operations and holds %d back", i, formatLog(s), ordered, popcount(s.Held))
		}
	}
	return nil
}

func casReturned(r int8) func(view) bool {
	return func(v view) bool {
		for _, e := range v.History() {
			if e.Obs.Kind == Done && e.Obs.Op.Kind == Cas && e.Obs.Result == r {
				return true
			}
		}
		return false
	}
}

func formatLog(s State) string {
	var parts []string
	for _, id := range s.Log[:s.Applied] {
		parts = append(parts, fmt.Sprintf("#%d", id))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func popcount(m uint8) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}
