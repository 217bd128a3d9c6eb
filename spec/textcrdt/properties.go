package textcrdt

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropSEC: strong eventual consistency's safety half: two replicas
	// that applied the same set of updates hold the same text.
	PropSEC = "sec"
	// PropConvergence: when nothing more can happen, no update is held
	// back and every replica holds the same text.
	PropConvergence = "convergence"
	// PropDeletedGone: a replica that applied a delete does not hold the
	// character it deleted.
	PropDeletedGone = "deleted-gone"
	// PropPositions: every character's position lies strictly between
	// the sentinels 0 and 1, and no two characters of a replica share a
	// position and a writer.
	PropPositions = "positions"
	// PropBetween: an inserted character stays between its original
	// neighbours (see checkBetween).
	PropBetween = "between"
	// PropRunContiguous: a run a replica typed stays contiguous. Not a
	// guarantee of this CRDT: checked only when asked (see checkRuns).
	PropRunContiguous = "run-contiguous"
	// PropSamePlace: a replica holds two characters at the same position
	// (typed concurrently at the same place).
	PropSamePlace = "same-place"
	// PropRemoteDelete: a replica applied a delete made by another.
	PropRemoteDelete = "remote-delete"
)

// Properties returns the replicas' guarantees, the run-contiguous
// limitation, and the witnesses.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropSEC, Doc: "replicas that applied the same set of updates hold the same text", Kind: spec.Always, State: checkSEC},
		{Name: PropConvergence, Doc: "when nothing more can happen, no update is held back and every replica holds the same text", Kind: spec.AtQuiescence, State: checkConvergence},
		{Name: PropDeletedGone, Doc: "a replica that applied a delete does not hold the character it deleted", Kind: spec.Always, State: checkDeletedGone},
		{Name: PropPositions, Doc: "every position lies strictly between the sentinels 0 and 1, and no two characters of a replica share a position and a writer", Kind: spec.Always, State: checkPositions},
		{Name: PropBetween, Doc: "at every replica, an inserted character lies after the character that was its left neighbour when it was typed and before its right one, whenever they are there", Kind: spec.Always, State: checkBetween},
		{Name: PropRunContiguous, Doc: "(not promised) a character a replica typed right after one of its own stays next to it, unless a character typed by a replica that had seen it went between", Kind: spec.Always, State: checkRuns},
		{Name: PropSamePlace, Doc: "a replica holds two characters at the same position: concurrent inserts at the same place happened", Kind: spec.Sometimes, Reach: samePlace},
		{Name: PropRemoteDelete, Doc: "a replica applied a delete made by another replica", Kind: spec.Sometimes, Reach: remoteDelete},
	}
}

// Promised names the properties a check evaluates by default: all but
// run-contiguous, a limitation of the course's CRDT rather than a
// guarantee.
func Promised() []string {
	var names []string
	for _, p := range Properties() {
		if p.Name != PropRunContiguous {
			names = append(names, p.Name)
		}
	}
	return names
}

// Unreachable names the sometimes properties no run of p can reach, each
// with the reason.
func (p Params) Unreachable() map[string]string {
	inserters, inserts, deletes := 0, 0, 0
	for i := range MaxNodes {
		if p.Inserts[i] > 0 {
			inserters++
		}
		inserts += p.Inserts[i]
		deletes += p.Deletes[i]
	}
	u := map[string]string{}
	switch {
	case inserts < 2:
		u[PropSamePlace] = "it needs two inserts"
	case inserters < 2 && p.Bits == 0:
		u[PropSamePlace] = "it needs two replicas that type (or bounded positions)"
	}
	if deletes == 0 {
		u[PropRemoteDelete] = "it needs a delete"
	}
	if len(u) == 0 {
		return nil
	}
	return u
}

// ops returns every update made so far, by any replica, by ID (ok marks
// those made).
func ops(v spec.View[State, Msg]) (all [maxIDs]Op, ok uint16) {
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		for _, o := range s.Mine[:s.Made] {
			all[o.ID], ok = o, ok|1<<o.ID
		}
	}
	return all, ok
}

// index is character id's index in s's text, or -1.
func index(s State, id uint8) int {
	for i, x := range s.Text[:s.Len] {
		if x == id {
			return i
		}
	}
	return -1
}

func checkSEC(v spec.View[State, Msg]) error {
	for i := range v.Nodes() {
		for j := i + 1; j < v.Nodes(); j++ {
			a, b := v.State(spec.NodeID(i)), v.State(spec.NodeID(j))
			if a.Applied == b.Applied && !sameText(a, b) {
				return fmt.Errorf("n%d and n%d applied the same updates but differ: %s vs %s", i, j, describe(a), describe(b))
			}
		}
	}
	return nil
}

func checkConvergence(v spec.View[State, Msg]) error {
	for i := range v.Nodes() {
		if s := v.State(spec.NodeID(i)); s.Held != 0 {
			return fmt.Errorf("n%d holds %s back for good", i, FormatIDs(s.Held))
		}
	}
	for i := 1; i < v.Nodes(); i++ {
		if a, b := v.State(0), v.State(spec.NodeID(i)); !sameText(a, b) {
			return fmt.Errorf("n0 and n%d differ for good: %s vs %s", i, describe(a), describe(b))
		}
	}
	return nil
}

// sameText reports that a and b hold the same characters in the same
// order.
func sameText(a, b State) bool { return a.Len == b.Len && a.Text == b.Text }

func checkDeletedGone(v spec.View[State, Msg]) error {
	all, made := ops(v)
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for id := range uint8(maxIDs) {
			if o := all[id]; made>>id&1 == 1 && o.Kind == Delete && s.Applied>>id&1 == 1 && index(s, o.Target) >= 0 {
				return fmt.Errorf("n%d applied %s, the delete of %s, yet holds it: %s", r, Name(id), Name(o.Target), describe(s))
			}
		}
	}
	return nil
}

func checkPositions(v spec.View[State, Msg]) error {
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for i, a := range s.Text[:s.Len] {
			if p := s.Pos[a]; p.Cmp(Start) <= 0 || p.Cmp(End) >= 0 {
				return fmt.Errorf("n%d holds %s at %s, not strictly between the sentinels 0 and 1", r, Name(a), p)
			}
			for _, b := range s.Text[i+1 : s.Len] {
				if s.Pos[a] == s.Pos[b] && NodeOf(a) == NodeOf(b) {
					return fmt.Errorf("n%d holds %s and %s, both of n%d, at the same position %s: their order is ambiguous", r, Name(a), Name(b), NodeOf(a), s.Pos[a])
				}
			}
		}
	}
	return nil
}

// checkBetween: for every insert e, typed between characters l and r
// (either may be a sentinel), every replica that holds e and l holds l
// before e, and every replica that holds e and r holds e before r.
func checkBetween(v spec.View[State, Msg]) error {
	all, made := ops(v)
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for id := range uint8(maxIDs) {
			o := all[id]
			if made>>id&1 == 0 || o.Kind != Insert {
				continue
			}
			at := index(s, id)
			if at < 0 {
				continue
			}
			if l := o.Left; l != none && index(s, l) > at {
				return fmt.Errorf("n%d holds %s before %s, its left neighbour when typed: %s", r, Name(id), Name(l), describe(s))
			}
			if rt := o.Right; rt != none && index(s, rt) >= 0 && index(s, rt) < at {
				return fmt.Errorf("n%d holds %s after %s, its right neighbour when typed: %s", r, Name(id), Name(rt), describe(s))
			}
		}
	}
	return nil
}

// checkRuns: if replica i typed e right after a character l of its own
// (l was e's left neighbour when e was typed), then at every replica
// holding both, every character between l and e was typed by a replica
// that had applied e (put there on purpose, after the run). The course's
// CRDT does not promise it: two replicas typing at the same place
// interleave their runs.
func checkRuns(v spec.View[State, Msg]) error {
	all, made := ops(v)
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for id := range uint8(maxIDs) {
			o := all[id]
			if made>>id&1 == 0 || o.Kind != Insert || o.Left == none || NodeOf(o.Left) != NodeOf(id) {
				continue
			}
			l, e := index(s, o.Left), index(s, id)
			if l < 0 || e < 0 {
				continue
			}
			for _, x := range s.Text[min(l, e)+1 : max(l, e)] {
				if all[x].Deps>>id&1 == 0 {
					return fmt.Errorf("n%d holds %s, typed without seeing %s, inside n%d's run %s %s: %s", r, Name(x), Name(id), NodeOf(id), Name(o.Left), Name(id), describe(s))
				}
			}
		}
	}
	return nil
}

func samePlace(v spec.View[State, Msg]) bool {
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for i := 1; i < int(s.Len); i++ {
			if s.Pos[s.Text[i-1]] == s.Pos[s.Text[i]] {
				return true
			}
		}
	}
	return false
}

func remoteDelete(v spec.View[State, Msg]) bool {
	all, made := ops(v)
	for r := range v.Nodes() {
		s := v.State(spec.NodeID(r))
		for id := range uint8(maxIDs) {
			if made>>id&1 == 1 && all[id].Kind == Delete && NodeOf(id) != spec.NodeID(r) && s.Applied>>id&1 == 1 {
				return true
			}
		}
	}
	return false
}

// describe is `"ab" (n0.1@1/2 n1.1@1/2)`.
func describe(s State) string {
	d := fmt.Sprintf("%q (", s.String())
	for i, id := range s.Text[:s.Len] {
		if i > 0 {
			d += " "
		}
		d += Name(id) + "@" + s.Pos[id].String()
	}
	return d + ")"
}
