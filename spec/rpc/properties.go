package rpc

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// The properties' names.
const (
	PropAtMostOnce  = "at-most-once"
	PropAtLeastOnce = "at-least-once"
	PropExactlyOnce = "exactly-once"
)

type view = spec.View[State, Msg]

// Properties returns the three delivery guarantees, which every check
// evaluates, and the sometimes properties that show a semantics' paths are
// taken (Witnesses says which apply to which semantics). They read the
// observations in each node's order (spec.NeedsLocalOrder): what the
// application issued, what the server executed, what returned.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name:  PropAtMostOnce,
			Doc:   "no call takes effect twice: an execution after the first changes nothing",
			Kind:  spec.Always,
			Needs: spec.NeedsLocalOrder,
			State: checkAtMostOnce,
		},
		{
			Name:  PropAtLeastOnce,
			Doc:   "at quiescence, with server and client up, every issued call has been executed",
			Kind:  spec.AtQuiescence,
			Needs: spec.NeedsLocalOrder,
			State: checkAtLeastOnce,
		},
		{
			Name:  PropExactlyOnce,
			Doc:   "at quiescence, with server and client up, the register is what executing each call once, in order, gives",
			Kind:  spec.AtQuiescence,
			Needs: spec.NeedsLocalOrder,
			State: checkExactlyOnce,
		},
		{
			Name:  "call-returns",
			Doc:   "some call returns to the application",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsLocalOrder,
			Reach: func(v view) bool { return count(v.History(), Returned) > 0 },
		},
		{
			Name: "call-retried",
			Doc:  "the client resends a call on a timeout",
			Kind: spec.Sometimes,
			Reach: func(v view) bool {
				return v.State(Client).Tries > 0
			},
		},
		{
			Name:  "duplicate-answered",
			Doc:   "the server answers a duplicate from its table without executing it",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsLocalOrder,
			Reach: func(v view) bool { return count(v.History(), Answered) > 0 },
		},
		{
			Name:  "reexecuted-without-effect",
			Doc:   "the server executes a call again and the register does not change",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsLocalOrder,
			Reach: reexecutedWithoutEffect,
		},
	}
}

// Guarantees names the properties semantics s promises (under the system
// models the package documentation lists).
func (s Semantics) Guarantees() []string {
	switch s {
	case AtMostOnce:
		return []string{PropAtMostOnce}
	case AtLeastOnce:
		return []string{PropAtLeastOnce}
	}
	return []string{PropAtMostOnce, PropAtLeastOnce, PropExactlyOnce}
}

// Witnesses names the sometimes properties that a check of semantics s
// must reach: the paths that make its guarantees non-vacuous.
func (s Semantics) Witnesses() []string {
	switch s {
	case AtMostOnce:
		return []string{"call-returns"}
	case AtLeastOnce:
		return []string{"call-returns", "call-retried"}
	case ExactlyOnce:
		return []string{"call-returns", "call-retried", "duplicate-answered"}
	}
	return []string{"call-returns", "call-retried", "reexecuted-without-effect"}
}

// Checked names the properties a check of s evaluates: the three
// guarantees (those s does not promise are the counterexamples) and the
// witnesses of s.
func (s Semantics) Checked() []string {
	return append([]string{PropAtMostOnce, PropAtLeastOnce, PropExactlyOnce}, s.Witnesses()...)
}

// effects counts, per call, the executions that took effect: the first
// execution of a call always does; a later one does if it changed the
// register (executing an idempotent call twice in a row does not).
func effects(h []spec.Event[Msg]) (n [MaxOps + 1]int, reexecuted bool) {
	var seen [MaxOps + 1]bool
	for _, e := range h {
		if e.Obs.Kind != Applied || int(e.Obs.Call) > MaxOps {
			continue
		}
		c := e.Obs.Call
		switch {
		case !seen[c]:
			seen[c] = true
			n[c]++
		case e.Obs.Before != e.Obs.After:
			n[c]++
		default:
			reexecuted = true
		}
	}
	return n, reexecuted
}

func checkAtMostOnce(v view) error {
	n, _ := effects(v.History())
	for c, k := range n {
		if k > 1 {
			return fmt.Errorf("call %d took effect %d times", c, k)
		}
	}
	return nil
}

// bothUp reports whether the guarantees that need progress apply: a
// crashed server executes nothing and a crashed client resends nothing.
func bothUp(v view) bool { return v.Up(Server) && v.Up(Client) }

func checkAtLeastOnce(v view) error {
	if !bothUp(v) {
		return nil
	}
	h := v.History()
	n, _ := effects(h)
	for _, e := range h {
		if e.Obs.Kind == Invoked && n[e.Obs.Call] == 0 {
			return fmt.Errorf("call %d was issued but never executed", e.Obs.Call)
		}
	}
	return nil
}

// checkExactlyOnce compares the register with its value after each issued
// call executed once, in order: calls 1..k increment it to k, and set it
// to k, alike.
func checkExactlyOnce(v view) error {
	if !bothUp(v) {
		return nil
	}
	want := count(v.History(), Invoked)
	if x := v.State(Server).X; int(x) != want {
		return fmt.Errorf("the register is %d, but %d %s, each executed once, give %d", x, want, plural(want, "call", "calls"), want)
	}
	return nil
}

func reexecutedWithoutEffect(v view) bool {
	_, again := effects(v.History())
	return again
}

// count counts the observations of kind k in h.
func count(h []spec.Event[Msg], k MsgKind) int {
	n := 0
	for _, e := range h {
		if e.Obs.Kind == k {
			n++
		}
	}
	return n
}
