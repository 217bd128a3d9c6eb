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
// show the interesting executions happen; then validity and agreement
// again, as liveness properties (liveness.go).
//
// Causality is the course's, at the level of broadcasts: m1 precedes m2 if
// m2's sender broadcast or delivered m1 (or a successor of m1) before
// broadcasting m2. Receiving a message and holding it back creates no
// causality: a node learns of m1 only by delivering it.
func Properties() []spec.Property[State, Msg] {
	local := spec.NeedsLocalOrder
	return append([]spec.Property[State, Msg]{
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
	}, liveProperties()...)
}

// record is what each node delivered, read from the history without
// allocating: the message IDs in delivery order, and as a set. A message
// delivered twice appears twice in order (no-duplication reports it).
type record struct {
	order [MaxNodes][2 * MaxMsgs]int8
	count [MaxNodes]int
	set   [MaxNodes]uint16
}

func deliveries(v view) *record {
	var r record
	for _, e := range v.History() {
		if e.Obs.Kind != Delivered {
			continue
		}
		i := e.Node
		if r.count[i] < len(r.order[i]) {
			r.order[i][r.count[i]] = int8(e.Obs.ID())
			r.count[i]++
		}
		r.set[i] |= 1 << e.Obs.ID()
	}
	return &r
}

// delivered returns node i's deliveries in order.
func (r *record) delivered(i int) []int8 { return r.order[i][:r.count[i]] }

// broadcastSet is the set of messages broadcast so far.
func broadcastSet(v view) uint16 {
	var sent uint16
	for _, e := range v.History() {
		if e.Obs.Kind == Broadcasted {
			sent |= 1 << e.Obs.ID()
		}
	}
	return sent
}

// mid names message ID m.
func mid(m int) string { return name(int8(m/MaxPerNode), int8(m%MaxPerNode+1)) }

func checkNoDuplication(v view) error {
	r := deliveries(v)
	for i := range v.Nodes() {
		var seen uint16
		for _, m := range r.delivered(i) {
			if seen&(1<<m) != 0 {
				return fmt.Errorf("n%d delivered %s twice", i, mid(int(m)))
			}
			seen |= 1 << m
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

func checkValidity(v view) error {
	r := deliveries(v)
	for _, b := range v.History() {
		if b.Obs.Kind != Broadcasted || !v.Correct(b.Node) {
			continue
		}
		for j := range v.Nodes() {
			if v.Correct(spec.NodeID(j)) && r.set[j]&(1<<b.Obs.ID()) == 0 {
				return fmt.Errorf("correct n%d broadcast %s, but correct n%d never delivered it", b.Node, mname(b), j)
			}
		}
	}
	return nil
}

func checkAgreement(v view) error {
	r := deliveries(v)
	for i := range v.Nodes() {
		if !v.Correct(spec.NodeID(i)) {
			continue
		}
		for j := range v.Nodes() {
			if !v.Correct(spec.NodeID(j)) {
				continue
			}
			if missing := r.set[i] &^ r.set[j]; missing != 0 {
				return fmt.Errorf("correct n%d delivered %s, but correct n%d never did", i, mid(lowest(missing)), j)
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
	r := deliveries(v)
	for i := range v.Nodes() {
		var last [MaxNodes]int8
		for _, m := range r.delivered(i) {
			o, seq := m/MaxPerNode, m%MaxPerNode+1
			if seq != last[o]+1 {
				return fmt.Errorf("n%d delivered %s before %s of the same origin", i, mid(int(m)), name(o, last[o]+1))
			}
			last[o] = seq
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
	r := deliveries(v)
	for i := range v.Nodes() {
		var done uint16
		for _, m := range r.delivered(i) {
			if missing := past[m] &^ done; missing != 0 {
				return fmt.Errorf("n%d delivered %s before %s, which causally precedes it", i, mid(int(m)), mid(lowest(missing)))
			}
			done |= 1 << m
		}
	}
	return nil
}

func checkTotal(v view) error {
	r := deliveries(v)
	var pos [MaxNodes][MaxMsgs]int // 1 + position of each message's first delivery
	for i := range v.Nodes() {
		for k, m := range r.delivered(i) {
			if pos[i][m] == 0 {
				pos[i][m] = k + 1
			}
		}
	}
	for i := range v.Nodes() {
		for j := i + 1; j < v.Nodes(); j++ {
			both := r.set[i] & r.set[j]
			for _, a := range r.delivered(i) {
				for _, b := range r.delivered(i) {
					if both&(1<<a) == 0 || both&(1<<b) == 0 {
						continue
					}
					if pos[i][a] < pos[i][b] && pos[j][a] > pos[j][b] {
						return fmt.Errorf("n%d delivered %s before %s, n%d the other way round", i, mid(int(a)), mid(int(b)), j)
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
	all := broadcastSet(v)
	if all == 0 {
		return false
	}
	r := deliveries(v)
	for i := range v.Nodes() {
		if r.set[i] != all {
			return false
		}
	}
	return true
}

// mname names the message an event is about.
func mname(e event) string { return name(e.Obs.Origin, e.Obs.Seq) }
