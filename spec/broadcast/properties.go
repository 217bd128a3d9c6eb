package broadcast

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names, shared by every algorithm.
const (
	PropNoDuplication = "no-duplication"
	PropNoCreation    = "no-creation"
	PropValidity      = "validity"
	PropAgreement     = "agreement"
	PropFIFO          = "fifo-order"
	PropCausal        = "causal-order"
	PropTotal         = "total-order"
	PropConvergence   = "convergence"
)

type (
	view  = spec.View[State, Msg]
	event = spec.Event[Msg]
)

// Properties are the delivery guarantees of the whole hierarchy, defined
// once over what nodes observe (their Broadcasted and Delivered events, in
// each node's order; never the algorithms' own metadata), plus the
// convergence of a replicated state machine and sometimes properties that
// show the interesting executions happen.
//
// Causality is the course's, at the level of broadcasts: m1 precedes m2 if
// m2's sender broadcast or delivered m1 (or a successor of m1) before
// broadcasting m2. Receiving a message and holding it back creates no
// causality: a node learns of m1 only by delivering it.
func Properties() []spec.Property[State, Msg] {
	local := spec.NeedsLocalOrder
	return []spec.Property[State, Msg]{
		{Name: PropNoDuplication, Kind: spec.Always, Needs: local, State: checkNoDuplication,
			Doc: "no node delivers a message twice"},
		{Name: PropNoCreation, Kind: spec.Always, Needs: local, State: checkNoCreation,
			Doc: "a node delivers only messages that were broadcast"},
		{Name: PropValidity, Kind: spec.AtQuiescence, Needs: local, State: checkValidity,
			Doc: "every message a correct node broadcast is delivered by every correct node"},
		{Name: PropAgreement, Kind: spec.AtQuiescence, Needs: local, State: checkAgreement,
			Doc: "a message one correct node delivered is delivered by every correct node"},
		{Name: PropFIFO, Kind: spec.Always, Needs: local, State: checkFIFO,
			Doc: "each node delivers the messages of one origin in the order they were broadcast"},
		{Name: PropCausal, Kind: spec.Always, Needs: local, State: checkCausal,
			Doc: "if m2's sender broadcast or delivered m1 before broadcasting m2 (transitively), a node delivers m2 only after m1"},
		{Name: PropTotal, Kind: spec.Always, Needs: local, State: checkTotal,
			Doc: "any two nodes deliver any two messages they both delivered in the same order"},
		{Name: PropConvergence, Kind: spec.Always, State: checkConvergence,
			Doc: "two nodes that delivered the same messages have equal state-machine states"},
		{Name: "causal-chain", Kind: spec.Sometimes, Needs: local, Reach: reachCausalChain,
			Doc: "a message causally follows another node's message"},
		{Name: "concurrent-broadcasts", Kind: spec.Sometimes, Needs: local, Reach: reachConcurrent,
			Doc: "two broadcast messages are causally unrelated"},
		{Name: "all-delivered", Kind: spec.Sometimes, Needs: local, Reach: reachAllDelivered,
			Doc: "every node delivered every message"},
	}
}

// deliveries lists, per node, the messages it delivered in order.
func deliveries(v view) [MaxNodes][]event {
	var per [MaxNodes][]event
	for _, e := range v.History() {
		if e.Obs.Kind == Delivered {
			per[e.Node] = append(per[e.Node], e)
		}
	}
	return per
}

// broadcasts maps message IDs to their Broadcasted events.
func broadcasts(v view) (map[int]event, []event) {
	by := map[int]event{}
	var order []event
	for _, e := range v.History() {
		if e.Obs.Kind == Broadcasted {
			by[e.Obs.ID()] = e
			order = append(order, e)
		}
	}
	return by, order
}

func mname(e event) string { return name(e.Obs.Origin, e.Obs.Seq) }

func checkNoDuplication(v view) error {
	for i, ds := range deliveries(v) {
		var seen uint16
		for _, e := range ds {
			if seen&(1<<e.Obs.ID()) != 0 {
				return fmt.Errorf("n%d delivered %s twice", i, mname(e))
			}
			seen |= 1 << e.Obs.ID()
		}
	}
	return nil
}

func checkNoCreation(v view) error {
	var sent uint16
	for _, e := range v.History() {
		switch e.Obs.Kind {
		case Broadcasted:
			sent |= 1 << e.Obs.ID()
		case Delivered:
			if sent&(1<<e.Obs.ID()) == 0 {
				return fmt.Errorf("n%d delivered %s, which was never broadcast", e.Node, mname(e))
			}
		}
	}
	return nil
}

// deliveredSets is the set of messages each node delivered.
func deliveredSets(v view) [MaxNodes]uint16 {
	var sets [MaxNodes]uint16
	for i, ds := range deliveries(v) {
		for _, e := range ds {
			sets[i] |= 1 << e.Obs.ID()
		}
	}
	return sets
}

func checkValidity(v view) error {
	sets := deliveredSets(v)
	_, order := broadcasts(v)
	for _, b := range order {
		if !v.Correct(b.Node) {
			continue
		}
		for j := range v.Nodes() {
			if v.Correct(spec.NodeID(j)) && sets[j]&(1<<b.Obs.ID()) == 0 {
				return fmt.Errorf("correct n%d broadcast %s, but correct n%d never delivered it", b.Node, mname(b), j)
			}
		}
	}
	return nil
}

func checkAgreement(v view) error {
	sets := deliveredSets(v)
	for i := range v.Nodes() {
		if !v.Correct(spec.NodeID(i)) {
			continue
		}
		for j := range v.Nodes() {
			if !v.Correct(spec.NodeID(j)) {
				continue
			}
			if missing := sets[i] &^ sets[j]; missing != 0 {
				m := lowest(missing)
				return fmt.Errorf("correct n%d delivered %s, but correct n%d never did", i, name(int8(m/MaxPerNode), int8(m%MaxPerNode+1)), j)
			}
		}
	}
	return nil
}

func lowest(set uint16) int {
	for m := 0; ; m++ {
		if set&(1<<m) != 0 {
			return m
		}
	}
}

func checkFIFO(v view) error {
	for i, ds := range deliveries(v) {
		var last [MaxNodes]int8
		for _, e := range ds {
			o := e.Obs.Origin
			if e.Obs.Seq != last[o]+1 {
				return fmt.Errorf("n%d delivered %s before %s of the same origin", i, mname(e), name(o, last[o]+1))
			}
			last[o] = e.Obs.Seq
		}
	}
	return nil
}

// causalPasts computes, for every broadcast message, the messages that
// causally precede it: those its sender had broadcast or delivered when it
// broadcast it, with, transitively, their own predecessors. It relies on
// every broadcast coming before its deliveries in the history, which holds
// in any execution.
func causalPasts(h []event) (past [MaxMsgs]uint16, sent uint16) {
	var know [MaxNodes]uint16 // what each node has broadcast or delivered, closed
	for _, e := range h {
		m := e.Obs.ID()
		switch e.Obs.Kind {
		case Broadcasted:
			past[m] = know[e.Node]
			sent |= 1 << m
			know[e.Node] |= 1 << m
		case Delivered:
			know[e.Node] |= 1<<m | past[m]
		}
	}
	return past, sent
}

func checkCausal(v view) error {
	past, _ := causalPasts(v.History())
	for i, ds := range deliveries(v) {
		var done uint16
		for _, e := range ds {
			if missing := past[e.Obs.ID()] &^ done; missing != 0 {
				m := lowest(missing)
				return fmt.Errorf("n%d delivered %s before %s, which causally precedes it", i, mname(e), name(int8(m/MaxPerNode), int8(m%MaxPerNode+1)))
			}
			done |= 1 << e.Obs.ID()
		}
	}
	return nil
}

func checkTotal(v view) error {
	per := deliveries(v)
	var pos [MaxNodes][MaxMsgs]int // 1 + position of each delivery
	for i, ds := range per {
		for k, e := range ds {
			pos[i][e.Obs.ID()] = k + 1
		}
	}
	for i := range v.Nodes() {
		for j := i + 1; j < v.Nodes(); j++ {
			for _, a := range per[i] {
				for _, b := range per[i] {
					x, y := a.Obs.ID(), b.Obs.ID()
					if pos[i][x] < pos[i][y] && pos[j][x] > 0 && pos[j][y] > 0 && pos[j][x] > pos[j][y] {
						return fmt.Errorf("n%d delivered %s before %s, n%d the other way round", i, mname(a), mname(b), j)
					}
				}
			}
		}
	}
	return nil
}

func checkConvergence(v view) error {
	for i := range v.Nodes() {
		si := v.State(spec.NodeID(i))
		for j := i + 1; j < v.Nodes(); j++ {
			sj := v.State(spec.NodeID(j))
			if si.Delivered == sj.Delivered && si.Machine != sj.Machine {
				return fmt.Errorf("n%d and n%d delivered the same messages but their state machines differ", i, j)
			}
		}
	}
	return nil
}

func reachCausalChain(v view) bool {
	past, sent := causalPasts(v.History())
	for m := range MaxMsgs {
		origin := m / MaxPerNode
		mine := uint16(1<<MaxPerNode-1) << (origin * MaxPerNode)
		if sent&(1<<m) != 0 && past[m]&^mine != 0 {
			return true
		}
	}
	return false
}

func reachConcurrent(v view) bool {
	past, sent := causalPasts(v.History())
	for a := range MaxMsgs {
		for b := a + 1; b < MaxMsgs; b++ {
			if sent&(1<<a) != 0 && sent&(1<<b) != 0 && past[a]&(1<<b) == 0 && past[b]&(1<<a) == 0 {
				return true
			}
		}
	}
	return false
}

func reachAllDelivered(v view) bool {
	_, order := broadcasts(v)
	if len(order) == 0 {
		return false
	}
	var all uint16
	for _, b := range order {
		all |= 1 << b.Obs.ID()
	}
	sets := deliveredSets(v)
	for _, set := range sets[:v.Nodes()] {
		if set != all {
			return false
		}
	}
	return true
}
