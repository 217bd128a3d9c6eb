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
	// PropAddWins: an OR-set replica holds an element if it has seen an
	// add of it that no remove it has seen observed: an add wins over a
	// concurrent remove. OR-set only.
	PropAddWins = "add-wins"
	// PropStaysRemoved: an OR-set replica does not hold an element whose
	// adds, all it has seen, were observed by removes it has seen: a
	// removed element stays removed. OR-set only.
	PropStaysRemoved = "stays-removed"
	// PropAddWon: an OR-set replica has seen a remove of an element and
	// holds it still (by an add the remove did not observe).
	PropAddWon = "add-won"
)

// Properties returns the properties of the replicas of pr's type.
func (pr *Protocol) Properties() []spec.Property[State, Msg] {
	props := []spec.Property[State, Msg]{
		{Name: PropNoPhantom, Doc: "a replica holds only updates that were made, each once (no count above its node's increments, no entry no set wrote, no tag no add made)", Kind: spec.Always, State: pr.checkNoPhantom},
		{Name: PropAntiEntropy, Doc: "when nothing more can happen, a final anti-entropy (every replica merges every other's state) leaves all replicas equal, holding every update", Kind: spec.AtQuiescence, State: pr.checkAntiEntropy},
		{Name: PropConverged, Doc: "when nothing more can happen, every replica holds the same value, without anti-entropy (only if no state was lost)", Kind: spec.AtQuiescence, State: pr.checkConverged},
		{Name: PropMergedTwo, Doc: "a replica holds updates made by two replicas", Kind: spec.Sometimes, Reach: pr.mergedTwo},
		{Name: PropAllSeen, Doc: "a replica holds every update, at least two", Kind: spec.Sometimes, Reach: pr.allSeen},
	}
	if pr.p.Type == ORSet {
		// The OR-set's own: checked first, so that a mutant's first
		// counterexample names the law it breaks.
		props = append([]spec.Property[State, Msg]{props[0],
			{Name: PropAddWins, Doc: "an OR-set replica holds an element if it has seen an add of it that no remove it has seen observed", Kind: spec.Always, State: pr.checkAddWins},
			{Name: PropStaysRemoved, Doc: "an OR-set replica does not hold an element whose adds, all it has seen, were observed by removes it has seen", Kind: spec.Always, State: pr.checkStaysRemoved},
		}, props[1:]...)
		props = append(props, spec.Property[State, Msg]{Name: PropAddWon, Doc: "an OR-set replica has seen a remove of an element and holds it still, by an add the remove did not observe", Kind: spec.Sometimes, Reach: pr.addWon})
	}
	return props
}

// Properties returns every property of any type: the OR-set's, which
// come first after no-phantom and end with its witness, and the others
// every type shares. A protocol's own are pr.Properties().
func Properties() []spec.Property[State, Msg] {
	p := DefaultParams()
	p.Type = ORSet
	pr, _ := New(p)
	return pr.Properties()
}

// ORSetOnly reports that the property named name belongs to the OR-set
// alone.
func ORSetOnly(name string) bool {
	return name == PropAddWins || name == PropStaysRemoved || name == PropAddWon
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
	if p.Type == ORSet && updaters < 2 {
		out[PropAddWon] = "it needs two replicas that update"
	}
	return out
}

// full is the value that holds every update made so far.
func (pr *Protocol) full(v spec.View[State, Msg]) Value {
	var f Value
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		f.P[i], f.N[i] = s.Incs, s.Decs
		for k, st := range s.Sets[:s.Made] {
			switch {
			case pr.p.Type == LWWMap && f.Map[st.Key].Less(st.Stamp):
				f.Map[st.Key] = st.Stamp
			case pr.p.Type == ORSet:
				f.Seen |= 1 << Tag(spec.NodeID(i), k)
				if st.Stamp.C == 1 {
					f.Tags[st.Key] |= st.Observed
				} else {
					f.Tombs[st.Key] |= st.Observed
				}
			}
		}
	}
	return f
}

// seenOf returns, for element k of an OR-set value v, the tags of the
// adds v has seen and the tags observed by the removes v has seen (from
// the ghost record of every update made).
func seenOf(v spec.View[State, Msg], val Value, k int) (adds, observed uint8) {
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		for j, st := range s.Sets[:s.Made] {
			if int(st.Key) != k || val.Seen>>Tag(spec.NodeID(i), j)&1 == 0 {
				continue
			}
			if st.Stamp.C == 1 {
				adds |= st.Observed
			} else {
				observed |= st.Observed
			}
		}
	}
	return adds, observed
}

func (pr *Protocol) checkAddWins(v spec.View[State, Msg]) error {
	if pr.p.Type != ORSet {
		return nil
	}
	for i := range v.Nodes() {
		val := v.State(spec.NodeID(i)).V
		for k := range pr.p.Keys {
			adds, observed := seenOf(v, val, k)
			if live := adds &^ observed; live != 0 && !Present(val, k) {
				return fmt.Errorf("n%d has seen add %s of %s, which no remove observed, yet holds %s", i, formatTags(live, 0), KeyNames[k], pr.FormatValue(val))
			}
		}
	}
	return nil
}

func (pr *Protocol) checkStaysRemoved(v spec.View[State, Msg]) error {
	if pr.p.Type != ORSet {
		return nil
	}
	for i := range v.Nodes() {
		val := v.State(spec.NodeID(i)).V
		for k := range pr.p.Keys {
			adds, observed := seenOf(v, val, k)
			if adds != 0 && adds&^observed == 0 && Present(val, k) {
				return fmt.Errorf("n%d has seen removes of %s that observed every add of it it has seen (%s), yet holds %s", i, KeyNames[k], formatTags(adds, 0), pr.FormatValue(val))
			}
		}
	}
	return nil
}

func (pr *Protocol) addWon(v spec.View[State, Msg]) bool {
	for i := range v.Nodes() {
		val := v.State(spec.NodeID(i)).V
		for k := range pr.p.Keys {
			if !Present(val, k) {
				continue
			}
			for j := range v.Nodes() {
				s := v.State(spec.NodeID(j))
				for n, st := range s.Sets[:s.Made] {
					if int(st.Key) == k && st.Stamp.C == 2 && val.Seen>>Tag(spec.NodeID(j), n)&1 == 1 {
						return true
					}
				}
			}
		}
	}
	return false
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
		for k, tags := range s.V.Tags {
			if extra := tags &^ f.Tags[k]; extra != 0 {
				return fmt.Errorf("n%d holds tag %s of %s, which no add made", i, formatTags(extra, 0), KeyNames[k])
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
		for t := range MaxNodes * MaxUpdates {
			if s.Seen>>t&1 == 1 {
				from[t/MaxUpdates] = true
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
