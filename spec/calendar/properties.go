package calendar

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropSEC: strong eventual consistency's safety half, that any two
	// deliveries commute: two replicas that applied the same set of
	// updates hold the same entry.
	PropSEC = "sec"
	// PropConvergence: when nothing more can happen, every replica holds
	// the same entry.
	PropConvergence = "convergence"
	// PropNoLostEdit: when nothing more can happen, no acknowledged edit
	// is lost unless a later edit of the same field replaced it; in
	// particular of two concurrent edits of different fields both stay.
	PropNoLostEdit = "no-lost-edit"
	// PropEditsMerged: a replica holds two fields last written by two
	// different replicas.
	PropEditsMerged = "edits-merged"
	// PropAllApplied: a replica applied every edit made so far, at least
	// two.
	PropAllApplied = "all-applied"
)

// Properties returns the replicas' guarantees and their witnesses.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropSEC, Doc: "any two deliveries commute: replicas that applied the same set of updates hold the same entry", Kind: spec.Always, State: checkSEC},
		{Name: PropConvergence, Doc: "when nothing more can happen, every replica holds the same entry", Kind: spec.AtQuiescence, State: checkConvergence},
		{Name: PropNoLostEdit, Doc: "when nothing more can happen, every acknowledged edit is in every replica unless a later edit of the same field replaced it (so of concurrent edits of different fields, none is lost)", Kind: spec.AtQuiescence, State: checkNoLostEdit},
		{Name: PropEditsMerged, Doc: "a replica holds two fields last written by two different replicas", Kind: spec.Sometimes, Reach: editsMerged},
		{Name: PropAllApplied, Doc: "a replica applied every edit made so far, at least two", Kind: spec.Sometimes, Reach: allApplied},
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
	if editors < 2 || p.Fields < 2 {
		return map[string]string{PropEditsMerged: "it needs two replicas that edit and two fields"}
	}
	return nil
}

// visible is what a user of replica s sees (and the entry's timestamp).
func visible(s State) ([MaxFields]Stamp, Stamp) { return s.Fields, s.Entry }

func checkSEC(v spec.View[State, Msg]) error {
	for i := range v.Nodes() {
		for j := i + 1; j < v.Nodes(); j++ {
			a, b := v.State(spec.NodeID(i)), v.State(spec.NodeID(j))
			if a.Applied != b.Applied {
				continue
			}
			fa, ea := visible(a)
			fb, eb := visible(b)
			if fa != fb || ea != eb {
				return fmt.Errorf("n%d and n%d applied the same updates but differ: %s vs %s", i, j, formatFields(fa), formatFields(fb))
			}
		}
	}
	return nil
}

func checkConvergence(v spec.View[State, Msg]) error {
	for i := 1; i < v.Nodes(); i++ {
		if a, b := v.State(0), v.State(spec.NodeID(i)); a.Fields != b.Fields {
			return fmt.Errorf("n0 and n%d differ for good: %s vs %s", i, formatFields(a.Fields), formatFields(b.Fields))
		}
	}
	return nil
}

func checkNoLostEdit(v spec.View[State, Msg]) error {
	for i := range v.Nodes() {
		w := v.State(spec.NodeID(i))
		for _, e := range w.Mine[:w.Made] {
			for r := range v.Nodes() {
				if have := v.State(spec.NodeID(r)).Fields[e.Field]; have.Less(e.Stamp) {
					return fmt.Errorf("n%d's acknowledged edit %s=%s is lost: n%d ends with %s=%s, and no later edit of %s replaced it",
						i, FieldNames[e.Field], e.Stamp, r, FieldNames[e.Field], have, FieldNames[e.Field])
				}
			}
		}
	}
	return nil
}

func editsMerged(v spec.View[State, Msg]) bool {
	for i := range v.Nodes() {
		f := v.State(spec.NodeID(i)).Fields
		for a := range MaxFields {
			for b := a + 1; b < MaxFields; b++ {
				if f[a].C > 0 && f[b].C > 0 && f[a].Node != f[b].Node {
					return true
				}
			}
		}
	}
	return false
}

func allApplied(v spec.View[State, Msg]) bool {
	var all uint8
	for i := range v.Nodes() {
		all |= v.State(spec.NodeID(i)).Applied
	}
	for i := range v.Nodes() {
		if v.State(spec.NodeID(i)).Applied == all && bits.OnesCount8(all) >= 2 {
			return true
		}
	}
	return false
}

// formatFields is "title=w0.1 time=-", leaving out the fields after the
// last one written.
func formatFields(f [MaxFields]Stamp) string {
	n := 1
	for i := range MaxFields {
		if f[i].C > 0 {
			n = i + 1
		}
	}
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%s", FieldNames[i], f[i])
	}
	return b.String()
}
