package kv

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	PropLinearizable = "linearizable"
	PropExactlyOnce  = "exactly-once"
	// PropRetryDeduplicated is the "sometimes" property that a retry is
	// really deduplicated in the checked paths.
	PropRetryDeduplicated = "retry-deduplicated"
)

type view = spec.View[State, Msg]

// Properties are the store's guarantees: every history of invocations and
// replies is linearizable, and each operation takes effect at most once on
// every replica, retries included. Linearizability needs real time, so the
// history keeps the global order.
func Properties(p *Protocol) []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropLinearizable, Kind: spec.Always, Needs: spec.NeedsHistory, State: p.checkLinearizable,
			Doc: "the operations' invocations and replies have a legal sequential order that respects real time"},
		{Name: PropExactlyOnce, Kind: spec.Always, Needs: spec.NeedsHistory, State: p.checkExactlyOnce,
			Doc: "no replica applies an operation twice, however often it was sent, and every reply to one request id gives the same result"},
		{Name: "all-replied", Kind: spec.Sometimes, Needs: spec.NeedsHistory, Reach: p.reachAllReplied,
			Doc: "every operation is answered"},
		{Name: PropRetryDeduplicated, Kind: spec.Sometimes, Needs: spec.NeedsHistory, Reach: reachDeduplicated,
			Doc: "a replica skips the second log entry of a retried request (scenarios with a retry)"},
	}
}

// Checked names the properties a check of p evaluates: all of them, but
// "retry-deduplicated" only where the scenario retries.
func (p *Protocol) Checked() []string {
	var names []string
	for _, q := range Properties(p) {
		if q.Name != PropRetryDeduplicated || p.HasRetry() {
			names = append(names, q.Name)
		}
	}
	return names
}

// HasRetry reports whether the scenario sends an operation twice.
func (p *Protocol) HasRetry() bool {
	var seen uint8
	for _, op := range p.ops {
		if seen&(1<<op.ID) != 0 {
			return true
		}
		seen |= 1 << op.ID
	}
	return false
}

func (p *Protocol) checkExactlyOnce(v view) error {
	var applied [16]uint8 // by node, the operations applied
	var replied uint8     // the operations answered
	var result [MaxOps + 1]int8
	for _, e := range v.History() {
		if e.Obs.Cmd != "" {
			continue // a run-time command: outside the scenario (porcupine checks them at run time)
		}
		if e.Obs.KV == Replied {
			id := e.Obs.ID
			if replied&(1<<id) != 0 && result[id] != e.Obs.Result {
				op := p.byID[id]
				return fmt.Errorf("%s answered %s, then %s: a retry was executed again", op, op.Result(result[id]), op.Result(e.Obs.Result))
			}
			replied |= 1 << id
			result[id] = e.Obs.Result
			continue
		}
		if e.Obs.KV != Applied {
			continue
		}
		if applied[e.Node]&(1<<e.Obs.ID) != 0 {
			return fmt.Errorf("n%d applied operation #%d twice", e.Node, e.Obs.ID)
		}
		applied[e.Node] |= 1 << e.Obs.ID
	}
	return nil
}

// call is one operation in the history: its first invocation and first
// reply, by position in the history.
type call = spec.Call[Op, int8]

// calls reads the history's operations.
func (p *Protocol) calls(v view) []call {
	var cs []call
	index := map[int8]int{}
	for k, e := range v.History() {
		if e.Obs.Cmd != "" {
			continue // a run-time command
		}
		switch e.Obs.KV {
		case Invoked:
			if _, ok := index[e.Obs.ID]; !ok {
				index[e.Obs.ID] = len(cs)
				cs = append(cs, call{Op: p.byID[e.Obs.ID], Invoked: k, Replied: -1})
			}
		case Replied:
			if c := &cs[index[e.Obs.ID]]; c.Replied < 0 {
				c.Replied, c.Result = k, e.Obs.Result
			}
		}
	}
	return cs
}

// checkLinearizable searches for a sequential order of the operations —
// every answered one, and any subset of the unanswered ones (they may or
// may not have taken effect) — in which each runs after every operation
// answered before it was invoked, and each answered operation returns
// what its client saw.
func (p *Protocol) checkLinearizable(v view) error {
	cs := p.calls(v)
	if spec.Linearizable(cs, Store{}, apply) {
		return nil
	}
	desc := ""
	for _, c := range cs {
		if c.Replied >= 0 {
			desc += fmt.Sprintf(" %s→%s", c.Op, c.Op.Result(c.Result))
		} else {
			desc += fmt.Sprintf(" %s→(pending)", c.Op)
		}
	}
	return fmt.Errorf("no sequential order explains the replies:%s", desc)
}

func (p *Protocol) reachAllReplied(v view) bool {
	cs := p.calls(v)
	if len(cs) < len(distinctIDs(p.ops)) {
		return false
	}
	for _, c := range cs {
		if c.Replied < 0 {
			return false
		}
	}
	return true
}

func distinctIDs(ops []Op) map[int8]bool {
	ids := map[int8]bool{}
	for _, o := range ops {
		ids[o.ID] = true
	}
	return ids
}

func reachDeduplicated(v view) bool {
	for _, e := range v.History() {
		if e.Obs.KV == Deduplicated {
			return true
		}
	}
	return false
}
