package mvmap

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropSEC: strong eventual consistency's safety half: two replicas
	// that applied the same set of updates hold the same map.
	PropSEC = "sec"
	// PropConvergence: when nothing more can happen, no update is held
	// back and every replica holds the same map.
	PropConvergence = "convergence"
	// PropNoLostEdit: when nothing more can happen, a value is missing
	// from a replica only if a set that saw it overwrote it.
	PropNoLostEdit = "no-lost-edit"
	// PropOverwrittenGone: a replica that applied a set holds none of the
	// values that set overwrote.
	PropOverwrittenGone = "overwritten-gone"
	// PropConcurrentKept: a replica's key holds two values (a read after
	// concurrent sets returns both).
	PropConcurrentKept = "concurrent-kept"
	// PropOverwrote: a set overwrote a value.
	PropOverwrote = "overwrote"
)

// Properties returns the replicas' guarantees and their witnesses.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropSEC, Doc: "replicas that applied the same set of updates hold the same map", Kind: spec.Always, State: checkSEC},
		{Name: PropConvergence, Doc: "when nothing more can happen, no update is held back and every replica holds the same map", Kind: spec.AtQuiescence, State: checkConvergence},
		{Name: PropNoLostEdit, Doc: "when nothing more can happen, a value is missing from a replica only if a set that saw it overwrote it", Kind: spec.AtQuiescence, State: checkNoLostEdit},
		{Name: PropOverwrittenGone, Doc: "a replica that applied a set holds none of the values that set overwrote", Kind: spec.Always, State: checkOverwrittenGone},
		{Name: PropConcurrentKept, Doc: "a replica's key holds two values: a read after concurrent sets returns both", Kind: spec.Sometimes, Reach: concurrentKept},
		{Name: PropOverwrote, Doc: "a set overwrote a value", Kind: spec.Sometimes, Reach: overwrote},
	}
}

// Unreachable names the sometimes properties no run of p can reach, each
// with the reason.
func (p Params) Unreachable() map[string]string {
	editors, sets := 0, 0
	for _, e := range p.Edits {
		sets += e
		if e > 0 {
			editors++
		}
	}
	u := map[string]string{}
	if editors < 2 {
		u[PropConcurrentKept] = "it needs two replicas that set"
	}
	if sets < 2 {
		u[PropOverwrote] = "it needs two sets"
	}
	if len(u) == 0 {
		return nil
	}
	return u
}

// made returns every set made so far, by any replica.
func made(v spec.View[State, Msg]) []Set {
	var all []Set
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		all = append(all, s.Mine[:s.Made]...)
	}
	return all
}

func checkSEC(v spec.View[State, Msg]) error {
	for i := range v.Nodes() {
		for j := i + 1; j < v.Nodes(); j++ {
			a, b := v.State(spec.NodeID(i)), v.State(spec.NodeID(j))
			if a.Applied == b.Applied && a.Vals != b.Vals {
				return fmt.Errorf("n%d and n%d applied the same updates but differ: %s vs %s", i, j, formatMap(a.Vals), formatMap(b.Vals))
			}
		}
	}
	return nil
}

func checkConvergence(v spec.View[State, Msg]) error {
	for i := range v.Nodes() {
		if s := v.State(spec.NodeID(i)); s.Held != 0 {
			return fmt.Errorf("n%d holds %s back for good", i, FormatValues(s.Held))
		}
	}
	for i := 1; i < v.Nodes(); i++ {
		if a, b := v.State(0), v.State(spec.NodeID(i)); a.Vals != b.Vals {
			return fmt.Errorf("n0 and n%d differ for good: %s vs %s", i, formatMap(a.Vals), formatMap(b.Vals))
		}
	}
	return nil
}

func checkNoLostEdit(v spec.View[State, Msg]) error {
	all := made(v)
	var over [MaxKeys]uint8
	for _, e := range all {
		over[e.Key] |= e.Over
	}
	for _, e := range all {
		if over[e.Key]>>e.ID&1 == 1 {
			continue
		}
		for r := range v.Nodes() {
			if have := v.State(spec.NodeID(r)).Vals[e.Key]; have>>e.ID&1 == 0 {
				return fmt.Errorf("%s=%s is lost: n%d ends with %s=%s, and no set that saw it overwrote it",
					KeyNames[e.Key], Value(e.ID), r, KeyNames[e.Key], FormatValues(have))
			}
		}
	}
	return nil
}

func checkOverwrittenGone(v spec.View[State, Msg]) error {
	all := made(v)
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for _, e := range all {
			if s.Applied>>e.ID&1 == 1 && s.Vals[e.Key]&e.Over != 0 {
				return fmt.Errorf("n%d applied %s=%s, which overwrote %s, yet holds %s=%s",
					r, KeyNames[e.Key], Value(e.ID), FormatValues(e.Over), KeyNames[e.Key], FormatValues(s.Vals[e.Key]))
			}
		}
	}
	return nil
}

func concurrentKept(v spec.View[State, Msg]) bool {
	for i := range v.Nodes() {
		for _, vals := range v.State(spec.NodeID(i)).Vals {
			if vals&(vals-1) != 0 {
				return true
			}
		}
	}
	return false
}

func overwrote(v spec.View[State, Msg]) bool {
	for _, e := range made(v) {
		if e.Over != 0 {
			return true
		}
	}
	return false
}

// formatMap is "x={w0.1} y={w1.1}", leaving out the keys after x that
// hold nothing.
func formatMap(vals [MaxKeys]uint8) string {
	s := KeyNames[0] + "=" + FormatValues(vals[0])
	for k := 1; k < MaxKeys; k++ {
		if vals[k] != 0 {
			s += " " + KeyNames[k] + "=" + FormatValues(vals[k])
		}
	}
	return s
}
