package replica

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/spec"
)

// The properties' names.
const (
	PropConvergence = "convergence"
	PropNoOlder     = "no-older-overwrite"
	PropNoCausal    = "no-causal-loss"
	PropMaximal     = "maximal-versions"
)

type (
	view  = spec.View[State, Msg]
	event = spec.Event[Msg]
)

// Properties returns the safety properties of replicated registers and
// the sometimes properties that show their paths are taken. Causality is
// the model's ghost happens-before between the writes (the Wrote
// observations), never a store's own timestamps. maximal-versions comes
// first: where it is checked (MV) it implies the other two at quiescence,
// and a state that breaks all three is reported under it.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name:  PropMaximal,
			Doc:   "at quiescence, every replica holds exactly the maximal writes under happens-before",
			Kind:  spec.AtQuiescence,
			Needs: spec.NeedsHappensBefore,
			State: checkMaximal,
		},
		{
			Name:  PropConvergence,
			Doc:   "at quiescence, every replica that is up holds the same store",
			Kind:  spec.AtQuiescence,
			State: checkConvergence,
		},
		{
			Name: PropNoOlder,
			Doc:  "a replica never replaces a version by an older-timestamped one (or, with vectors, drops one no version it keeps dominates)",
			Kind: spec.OnTransition,
			Step: checkNoOlder,
		},
		{
			Name:  PropNoCausal,
			Doc:   "at quiescence, no replica holds a write that happened before another write",
			Kind:  spec.AtQuiescence,
			Needs: spec.NeedsHappensBefore,
			State: checkNoCausalLoss,
		},
		{
			Name:  "concurrent-writes",
			Doc:   "two writes are concurrent",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHappensBefore,
			Reach: func(v view) bool {
				return anyPair(writes(v), func(a, b event) bool { return a.Clock.Concurrent(b.Clock) })
			},
		},
		{
			Name:  "later-write-replaces",
			Doc:   "a replica holds a write made after another replica's write",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHappensBefore,
			Reach: laterWriteReplaces,
		},
		{
			Name:  "concurrent-write-lost",
			Doc:   "every replica holds write w, and a write concurrent with w was overwritten at its own replica: it is lost",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHappensBefore,
			Reach: concurrentWriteLost,
		},
		{
			Name: "siblings",
			Doc:  "a replica holds two concurrent versions",
			Kind: spec.Sometimes,
			Reach: func(v view) bool {
				for i := range v.Nodes() {
					if v.State(spec.NodeID(i)).NSibs >= 2 {
						return true
					}
				}
				return false
			},
		},
	}
}

// Guarantees names the properties store s promises when no more of a
// write's messages are lost than it resends (and any replica that crashes
// recovers): Naive none; LWW convergence, no-older-overwrite and
// no-causal-loss; Physical the first two only (under clock skew a
// causally later write can lose); MV all four.
func (s Store) Guarantees() []string {
	switch s {
	case LWW:
		return []string{PropConvergence, PropNoOlder, PropNoCausal}
	case Physical:
		return []string{PropConvergence, PropNoOlder}
	case MV:
		return []string{PropMaximal, PropConvergence, PropNoOlder, PropNoCausal}
	}
	return nil
}

// Checked names the properties a check of store s evaluates: convergence
// and no-causal-loss; no-older-overwrite where versions carry timestamps
// (all but Naive, where it could not fail); maximal-versions for MV, the
// one store that promises it; and the witnesses of s. Those s does not
// guarantee are its counterexamples.
func (s Store) Checked() []string {
	var names []string
	if s == MV {
		names = append(names, PropMaximal)
	}
	names = append(names, PropConvergence)
	if s != Naive {
		names = append(names, PropNoOlder)
	}
	names = append(names, PropNoCausal)
	return append(names, s.Witnesses()...)
}

// Witnesses names the sometimes properties a check of store s must reach.
func (s Store) Witnesses() []string {
	names := []string{"concurrent-writes", "later-write-replaces"}
	switch s {
	case LWW, Physical:
		names = append(names, "concurrent-write-lost")
	case MV:
		names = append(names, "siblings")
	}
	return names
}

// Unreachable names the witnesses of store s that no run of p can reach:
// all of them when fewer than two replicas write, since one replica's
// writes are ordered, never concurrent, and none is made after another
// replica's.
func (p Params) Unreachable() []string {
	writers := 0
	for _, w := range p.Writes[:min(p.N, MaxNodes)] {
		if w > 0 {
			writers++
		}
	}
	if writers >= 2 {
		return nil
	}
	return p.Store.Witnesses()
}

func checkConvergence(v view) error {
	first := -1
	for i := range v.Nodes() {
		id := spec.NodeID(i)
		if !v.Up(id) {
			continue
		}
		if first < 0 {
			first = i
			continue
		}
		a, b := v.State(spec.NodeID(first)), v.State(id)
		if a.NSibs != b.NSibs || a.Sibs != b.Sibs {
			return fmt.Errorf("n%d holds %s, n%d holds %s", first, formatVersions(a.Versions(), v.Nodes()), i, formatVersions(b.Versions(), v.Nodes()))
		}
	}
	return nil
}

func checkNoOlder(before, after view) error {
	for i := range after.Nodes() {
		id := spec.NodeID(i)
		b, a := before.State(id), after.State(id)
		if a.NSibs == 0 {
			continue // a deletion (Naive, no-tombstone), not a replacement
		}
		for _, old := range b.Versions() {
			if a.Holds(old.W) {
				continue
			}
			if !slices.ContainsFunc(a.Versions(), func(u Version) bool { return !older(u, old) }) {
				return fmt.Errorf("n%d replaced %s by the older %s", i, old.format(after.Nodes()), formatVersions(a.Versions(), after.Nodes()))
			}
		}
	}
	return nil
}

// writes returns the Wrote events of the history.
func writes(v view) []event {
	var out []event
	for _, e := range v.History() {
		if e.Obs.Kind == Wrote {
			out = append(out, e)
		}
	}
	return out
}

// after returns a write that happened after e, if any.
func after(ws []event, e event) (event, bool) {
	for _, f := range ws {
		if e.HappensBefore(f) {
			return f, true
		}
	}
	return event{}, false
}

// find returns the Wrote event of write w.
func find(ws []event, w uint8) (event, bool) {
	for _, e := range ws {
		if e.Obs.V.W == w {
			return e, true
		}
	}
	return event{}, false
}

func checkNoCausalLoss(v view) error {
	ws := writes(v)
	for i := range v.Nodes() {
		id := spec.NodeID(i)
		if !v.Up(id) {
			continue
		}
		for _, held := range v.State(id).Versions() {
			e, ok := find(ws, held.W)
			if !ok {
				continue
			}
			if f, ok := after(ws, e); ok {
				return fmt.Errorf("n%d ends with %s, but %s was written after it", i, held.format(v.Nodes()), f.Obs.V.format(v.Nodes()))
			}
		}
	}
	return nil
}

func checkMaximal(v view) error {
	ws := writes(v)
	var want []string
	for _, e := range ws {
		if _, ok := after(ws, e); !ok {
			want = append(want, WriteName(e.Obs.V.W))
		}
	}
	slices.Sort(want)
	for i := range v.Nodes() {
		id := spec.NodeID(i)
		if !v.Up(id) {
			continue
		}
		var got []string
		for _, u := range v.State(id).Versions() {
			got = append(got, WriteName(u.W))
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("n%d holds {%s}, but the maximal writes are {%s}", i, strings.Join(got, ","), strings.Join(want, ","))
		}
	}
	return nil
}

// laterWriteReplaces reports a replica holding a write made after another
// replica's write: a causally later write took its place.
func laterWriteReplaces(v view) bool {
	ws := writes(v)
	for i := range v.Nodes() {
		for _, held := range v.State(spec.NodeID(i)).Versions() {
			f, ok := find(ws, held.W)
			if !ok {
				continue
			}
			for _, e := range ws {
				if Writer(e.Obs.V.W) != Writer(f.Obs.V.W) && e.HappensBefore(f) {
					return true
				}
			}
		}
	}
	return false
}

// concurrentWriteLost reports that every replica holds the same single
// write w while a write concurrent with w was overwritten at the replica
// that made it: under last-writer-wins it can never come back.
func concurrentWriteLost(v view) bool {
	s0 := v.State(0)
	if s0.NSibs != 1 {
		return false
	}
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if !v.Up(spec.NodeID(i)) || s.NSibs != 1 || s.Sibs[0].W != s0.Sibs[0].W {
			return false
		}
	}
	ws := writes(v)
	w, ok := find(ws, s0.Sibs[0].W)
	return ok && slices.ContainsFunc(ws, func(e event) bool { return e.Clock.Concurrent(w.Clock) })
}

// anyPair reports whether two events of h satisfy f.
func anyPair(h []event, f func(a, b event) bool) bool {
	for j := range h {
		for i := range j {
			if f(h[i], h[j]) {
				return true
			}
		}
	}
	return false
}
