package crdt

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropNoPhantom: a replica holds only updates that were made, each
	// once: no count above the increments (or decrements) its node made,
	// no map entry that no set wrote.
	PropNoPhantom = "no-phantom"
	// PropAntiEntropy: when nothing more can happen, a final round of
	// anti-entropy (every replica merges every other's state) leaves every
	// replica with the same value, and that value holds every update.
	PropAntiEntropy = "converges-after-anti-entropy"
	// PropConverged: when nothing more can happen, every replica holds
	// the same value without any anti-entropy: best-effort broadcast
	// promises it only when no state is lost.
	PropConverged = "converged"
	// PropMergedTwo: a replica holds updates made by two replicas.
	PropMergedTwo = "merged-two-replicas"
	// PropAllSeen: a replica holds every update, at least two.
	PropAllSeen = "all-updates-seen"
)

// Properties returns the properties of the replicas of pr's type.
func (pr *Protocol) Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropNoPhantom, Doc: "a replica holds only updates that were made, each once (no count above its node's increments, no entry no set wrote)", Kind: spec.Always, State: pr.checkNoPhantom},
		{Name: PropAntiEntropy, Doc: "when nothing more can happen, a final anti-entropy (every replica merges every other's state) leaves all replicas equal, holding every update", Kind: spec.AtQuiescence, State: pr.checkAntiEntropy},
		{Name: PropConverged, Doc: "when nothing more can happen, every replica holds the same value, without anti-entropy (only if no state was lost)", Kind: spec.AtQuiescence, State: pr.checkConverged},
		{Name: PropMergedTwo, Doc: "a replica holds updates made by two replicas", Kind: spec.Sometimes, Reach: pr.mergedTwo},
		{Name: PropAllSeen, Doc: "a replica holds every update, at least two", Kind: spec.Sometimes, Reach: pr.allSeen},
	}
}

// Properties returns the properties of the default type's replicas (the
// names and kinds are every type's).
func Properties() []spec.Property[State, Msg] {
	pr, _ := New(DefaultParams())
	return pr.Properties()
}

// Unreachable names the sometimes properties no run of p can reach.
func (p Params) Unreachable() map[string]string {
	updaters, total := 0, 0
	for _, u := range p.Updates {
		total += u
		if u > 0 {
			updaters++
		}
	}
	out := map[string]string{}
	if updaters < 2 {
		out[PropMergedTwo] = "it needs two replicas that update"
	}
	if total < 2 {
		out[PropAllSeen] = "it needs two updates"
	}
	return out
}

// full is the value that holds every update made so far.
func (pr *Protocol) full(v spec.View[State, Msg]) Value {
	var f Value
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		f.P[i], f.N[i] = s.Incs, s.Decs
		for _, st := range s.Sets[:s.Made] {
			if pr.p.Type == LWWMap && f.Map[st.Key].Less(st.Stamp) {
				f.Map[st.Key] = st.Stamp
			}
		}
	}
	return f
}

func (pr *Protocol) checkNoPhantom(v spec.View[State, Msg]) error {
	f := pr.full(v)
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		for j := range v.Nodes() {
			if s.V.P[j] > f.P[j] || s.V.N[j] > f.N[j] {
				return fmt.Errorf("n%d holds %s, but n%d made %d increments and %d decrements", i, pr.FormatValue(s.V), j, f.P[j], f.N[j])
			}
		}
		for k, e := range s.V.Map {
			if e.C > 0 && !pr.made(v, k, e) {
				return fmt.Errorf("n%d holds %s=%s, which no set wrote", i, KeyNames[k], e)
			}
		}
	}
	return nil
}

// made reports that some replica set key k with timestamp t.
func (pr *Protocol) made(v spec.View[State, Msg], k int, t Stamp) bool {
	s := v.State(spec.NodeID(t.Node))
	for _, st := range s.Sets[:s.Made] {
		if int(st.Key) == k && st.Stamp == t {
			return true
		}
	}
	return false
}

func (pr *Protocol) checkAntiEntropy(v spec.View[State, Msg]) error {
	f := pr.full(v)
	for i := range v.Nodes() {
		if !v.Up(spec.NodeID(i)) {
			continue
		}
		r := v.State(spec.NodeID(i)).V
		for j := range v.Nodes() {
			if j != i && v.Up(spec.NodeID(j)) {
				r = pr.Merge(r, v.State(spec.NodeID(j)).V)
			}
		}
		if r != f {
			return fmt.Errorf("after merging every other replica's state n%d holds %s, but every update made is %s", i, pr.FormatValue(r), pr.FormatValue(f))
		}
	}
	return nil
}

func (pr *Protocol) checkConverged(v spec.View[State, Msg]) error {
	for i := 1; i < v.Nodes(); i++ {
		if a, b := v.State(0).V, v.State(spec.NodeID(i)).V; a != b {
			return fmt.Errorf("n0 holds %s and n%d %s for good: no state is ever resent", pr.FormatValue(a), i, pr.FormatValue(b))
		}
	}
	return nil
}

func (pr *Protocol) mergedTwo(v spec.View[State, Msg]) bool {
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i)).V
		from := map[int]bool{}
		for j := range MaxNodes {
			if s.P[j] > 0 || s.N[j] > 0 {
				from[j] = true
			}
		}
		for _, e := range s.Map {
			if e.C > 0 {
				from[int(e.Node)] = true
			}
		}
		if len(from) >= 2 {
			return true
		}
	}
	return false
}

func (pr *Protocol) allSeen(v spec.View[State, Msg]) bool {
	f, total := pr.full(v), 0
	for i := range v.Nodes() {
		total += int(v.State(spec.NodeID(i)).Made)
	}
	if total < 2 {
		return false
	}
	for i := range v.Nodes() {
		if v.State(spec.NodeID(i)).V == f {
			return true
		}
	}
	return false
}
