package ot

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropSameText: a client with no unsequenced edit, at revision r,
	// holds the text of the server's first r edits applied to Initial.
	PropSameText = "same-revision-same-text"
	// PropConvergence: when nothing more can happen, the server has
	// sequenced every edit and every client holds the server's text.
	PropConvergence = "convergence"
	// PropEditsKept: when nothing more can happen, every replica holds
	// exactly the initial characters and those the inserts typed, less
	// those the deletes meant to delete (each character once).
	PropEditsKept = "edits-kept"
	// PropInsertBetween: when nothing more can happen, an inserted
	// character stands between the characters its author saw on its left
	// and right, wherever they are still held.
	PropInsertBetween = "insert-between"
	// PropConcurrent: an edit arrived concurrent with one applied first.
	PropConcurrent = "concurrent"
	// PropTransformed: a transformation moved or voided an edit.
	PropTransformed = "transformed"
)

// Properties returns the protocol's guarantees and its witnesses.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropSameText, Doc: "a client with no unsequenced edit, at revision r, holds the text of the server's first r edits", Kind: spec.Always, State: checkSameText},
		{Name: PropConvergence, Doc: "when nothing more can happen, the server has sequenced every edit and every client holds the server's text", Kind: spec.AtQuiescence, State: checkConvergence},
		{Name: PropEditsKept, Doc: "when nothing more can happen, a replica holds the initial and inserted characters less the deleted ones, each once: no edit lost, none applied twice, no delete hits another character", Kind: spec.AtQuiescence, State: checkEditsKept},
		{Name: PropInsertBetween, Doc: "when nothing more can happen, an inserted character stands between the characters its author saw on its left and right, wherever they are still held", Kind: spec.AtQuiescence, State: checkInsertBetween},
		{Name: PropConcurrent, Doc: "an edit arrived concurrent with one applied first", Kind: spec.Sometimes, Reach: func(v spec.View[State, Msg]) bool { return anyNode(v, func(s State) bool { return s.Concurrent }) }},
		{Name: PropTransformed, Doc: "a transformation moved or voided an edit", Kind: spec.Sometimes, Reach: func(v spec.View[State, Msg]) bool { return anyNode(v, func(s State) bool { return s.Shifted }) }},
	}
}

// Unreachable names the sometimes properties no run of p can reach, each
// with the reason.
func (p Params) Unreachable() map[string]string {
	editors := 0
	for _, e := range p.Edits {
		if e > 0 {
			editors++
		}
	}
	if editors >= 2 {
		return nil
	}
	why := "it needs two clients that edit"
	return map[string]string{PropConcurrent: why, PropTransformed: why}
}

func anyNode(v spec.View[State, Msg], f func(State) bool) bool {
	for i := range v.Nodes() {
		if f(v.State(spec.NodeID(i))) {
			return true
		}
	}
	return false
}

// textAt is the server's text after its first r edits.
func textAt(server State, r uint8) string {
	t := Initial
	for _, op := range server.Log[:r] {
		t = Apply(t, op)
	}
	return t
}

func synced(s State) bool { return !s.HasSent && s.Buffered == 0 }

// unstarted reports the zero State: the runtime's view holds it for a
// node until the node's first step. A node that took a step has the
// initial characters' IDs, or applied an edit that deleted them.
func unstarted(s State) bool { return s.IDs == "" && s.Applied == 0 }

func checkSameText(v spec.View[State, Msg]) error {
	server := v.State(Server)
	for i := 1; i < v.Nodes(); i++ {
		s := v.State(spec.NodeID(i))
		if !synced(s) || s.Rev > server.Rev || unstarted(s) {
			continue
		}
		if want := textAt(server, s.Rev); s.Text != want {
			return fmt.Errorf("c%d holds %q at revision %d, the server held %q", i, s.Text, s.Rev, want)
		}
	}
	return nil
}

func checkConvergence(v spec.View[State, Msg]) error {
	server := v.State(Server)
	made := 0
	for i := 1; i < v.Nodes(); i++ {
		made += int(v.State(spec.NodeID(i)).Made)
	}
	if int(server.Rev) != made {
		return fmt.Errorf("the server sequenced %d of %d edits for good", server.Rev, made)
	}
	for i := 1; i < v.Nodes(); i++ {
		s := v.State(spec.NodeID(i))
		if unstarted(s) && server.Rev == 0 {
			continue
		}
		if s.Rev != server.Rev || s.Text != server.Text {
			return fmt.Errorf("c%d ends with %q at revision %d, the server with %q at revision %d", i, s.Text, s.Rev, server.Text, server.Rev)
		}
	}
	return nil
}

// edits returns every edit made so far, by any client.
func edits(v spec.View[State, Msg]) []Edit {
	var all []Edit
	for i := 1; i < v.Nodes(); i++ {
		s := v.State(spec.NodeID(i))
		all = append(all, s.Mine[:s.Made]...)
	}
	return all
}

func checkEditsKept(v spec.View[State, Msg]) error {
	all := edits(v)
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if unstarted(s) {
			continue
		}
		var want [firstOpID + maxOps]bool
		for c := range len(Initial) {
			want[c] = true
		}
		for _, kind := range []OpKind{Ins, Del} {
			for _, e := range all {
				if s.Applied>>(e.ID-firstOpID)&1 == 1 && e.Kind == kind {
					want[e.ID] = kind == Ins
					if kind == Del {
						want[e.Left] = false
					}
				}
			}
		}
		var have [firstOpID + maxOps]bool
		for _, c := range []byte(s.IDs) {
			if have[c] {
				return fmt.Errorf("%s holds %q, with %s twice", name(i), s.Text, charName(c))
			}
			have[c] = true
		}
		for c := range want {
			switch {
			case want[c] && !have[c]:
				return fmt.Errorf("%s holds %q, without %s", name(i), s.Text, charName(uint8(c)))
			case have[c] && !want[c]:
				return fmt.Errorf("%s holds %q, with %s, which a delete applied there meant to remove", name(i), s.Text, charName(uint8(c)))
			}
		}
	}
	return nil
}

func checkInsertBetween(v spec.View[State, Msg]) error {
	all := edits(v)
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if unstarted(s) {
			continue
		}
		var at [firstOpID + maxOps]int
		for c := range at {
			at[c] = -1
		}
		for k, c := range []byte(s.IDs) {
			at[c] = k
		}
		for _, e := range all {
			if e.Kind != Ins || at[e.ID] < 0 {
				continue
			}
			if e.Left != Edge && at[e.Left] > at[e.ID] || e.Right != Edge && at[e.Right] >= 0 && at[e.Right] < at[e.ID] {
				return fmt.Errorf("%s holds %q: %s is not between the characters its author saw around it", name(i), s.Text, charName(e.ID))
			}
		}
	}
	return nil
}

func name(i int) string {
	if i == int(Server) {
		return "the server"
	}
	return fmt.Sprintf("c%d", i)
}

// charName is "the initial C" or "c1's first insert".
func charName(id uint8) string {
	if id < firstOpID {
		return fmt.Sprintf("the initial %c", Initial[id])
	}
	k := int(id-firstOpID) % MaxEdits
	return fmt.Sprintf("c%d's %s edit", int(id-firstOpID)/MaxEdits+1, [MaxEdits]string{"first", "second"}[k])
}
