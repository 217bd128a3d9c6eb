package crdt

// Merge is the join ⊔ of two values of the protocol's type: per key the
// entry with the greater timestamp (LWW map), per node the greater count
// (counters). It is commutative, associative and idempotent, so a replica
// may receive states in any order, more than once, and a lost one is made
// good by any later one. The mutants break it: sum-merge adds counts
// (not idempotent: a state received twice counts twice); merge-no-tiebreak
// compares timestamps by counter only and keeps its own entry on a tie
// (not commutative); keep-own-tombstones merges the OR-set's tags but not
// the incoming tombstones (not commutative: a remove is undone by the
// tags of an older state).
func (pr *Protocol) Merge(a, b Value) Value {
	switch pr.p.Type {
	case LWWMap:
		for k := range MaxKeys {
			if pr.older(a.Map[k], b.Map[k]) {
				a.Map[k] = b.Map[k]
			}
		}
	case ORSet:
		for k := range MaxKeys {
			a.Tags[k] |= b.Tags[k]
			if pr.mu != keepOwnTombs {
				a.Tombs[k] |= b.Tombs[k]
			}
		}
		a.Seen |= b.Seen
	case GCounter, PNCounter:
		for i := range MaxNodes {
			if pr.mu == sumMerge {
				a.P[i] += b.P[i]
				a.N[i] += b.N[i]
				continue
			}
			a.P[i] = max(a.P[i], b.P[i])
			a.N[i] = max(a.N[i], b.N[i])
		}
	}
	return a
}

// older reports that an entry stamped have gives way to one stamped
// incoming.
func (pr *Protocol) older(have, incoming Stamp) bool {
	if pr.mu == mergeNoTiebreak {
		return have.C < incoming.C
	}
	return have.Less(incoming)
}
