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
type call struct {
	op       Op
	invoked  int
	replied  int
	result   int8
	included bool
}

// calls reads the history's operations, in the order called.
func calls(v view) []call {
	var cs []call
	for k, e := range v.History() {
		switch e.Obs.Kind {
		case Called:
			cs = append(cs, call{op: e.Obs.Op, invoked: k, replied: -1})
		case Done:
			for i := range cs {
				if cs[i].op.ID == e.Obs.Op.ID && cs[i].replied < 0 {
					cs[i].replied, cs[i].result = k, e.Obs.Result
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
	if linearize(cs, 0, len(cs)) {
		return nil
	}
	var b strings.Builder
	for _, c := range cs {
		if c.replied >= 0 {
			fmt.Fprintf(&b, " %s→%s", c.op, c.op.Result(c.result))
		} else {
			fmt.Fprintf(&b, " %s→(pending)", c.op)
		}
	}
	return fmt.Errorf("no sequential order explains the replies:%s", b.String())
}

// linearize reports whether the calls not yet placed can follow, from a
// register holding v; left counts them.
func linearize(cs []call, v int8, left int) bool {
	if left == 0 {
		return true
	}
	answered := false
	for i := range cs {
		c := &cs[i]
		if c.included {
			continue
		}
		answered = answered || c.replied >= 0
		if !first(cs, i) {
			continue
		}
		next, r := c.op.Apply(v)
		if c.replied >= 0 && r != c.result {
			continue
		}
		c.included = true
		ok := linearize(cs, next, left-1)
		c.included = false
		if ok {
			return true
		}
	}
	// Only unanswered calls left: they may never take effect.
	return !answered
}

// first reports that no call still to place was answered before call i
// was called: real time lets i go next.
func first(cs []call, i int) bool {
	for j, c := range cs {
		if j != i && !c.included && c.replied >= 0 && c.replied < cs[i].invoked {
			return false
		}
	}
	return true
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
