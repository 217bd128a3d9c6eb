// Package crdt is state-based CRDTs over best-effort broadcast (course
// 8.1): replicas that update locally and send their whole state to every
// peer once, never resending it, over a network that may lose, duplicate
// and reorder messages (the model's -drops and -dups). A replica merges
// what it receives with ⊔, which is commutative, associative and
// idempotent (Merge; a unit test enumerates a bounded domain of each
// type), so duplicates and reordering do no harm and a lost state is made
// good by any later exchange. Types (Params.Type, modelcheck's -crdt):
// the LWW map (keys to unique Lamport timestamps (counter, node), the
// value a set writes named by its timestamp; ⊔ keeps per key the greater
// timestamp), the G-Counter (a count per node; ⊔ the maximum per node)
// the PN-Counter (two G-Counters, increments and decrements) and the
// observed-remove set.
//
// The OR-set is in tombstone form. An add of element e tags it with the
// replica's next unique tag (node, k): "a<node>.<k>". A remove of e
// tombstones the tags of e the replica holds — the adds it observed — and
// nothing else, so an add it had not seen survives it. e is in the set
// while one of its tags is not tombstoned; ⊔ is the union of tags and of
// tombstones. Tags and tombstones are never collected (no causal
// context), which the bounded runs afford. Its properties come first:
// "add-wins" (always: a replica holds e if it has seen an add of e that
// no remove it has seen observed: an add wins over a concurrent remove)
// and "stays-removed" (always: a replica does not hold e when every add
// of e it has seen was observed by a remove it has seen); they read a
// ghost mask, Value.Seen, of the updates a value includes. Witness:
// "add-won" (a replica has seen a remove of e and holds e still).
// Elements are x and y (Params.Keys); an update is an add or a remove of
// either, the checker tries each.
//
// Properties: "no-phantom" (always: a replica holds only updates made,
// each once), "converges-after-anti-entropy" (at quiescence: a final round
// of anti-entropy, in which every replica merges every other's state,
// leaves them all equal and holding every update — the round is the
// property's, since over a lossy network any round of the protocol's own
// could be lost as well), "converged" (at quiescence, without
// anti-entropy: true only when no state was lost, so a drop breaks it —
// best-effort broadcast alone does not converge). Witnesses:
// "merged-two-replicas", "all-updates-seen".
//
// Mutants: sum-merge (a counter adds counts: not idempotent, so a state
// received twice counts twice and no-phantom fails) and
// merge-no-tiebreak (the map compares counters only and keeps its own
// entry on a tie: not commutative, and the replicas differ after the final
// anti-entropy); for the OR-set, remove-all-tags (a remove tombstones
// every tag the element may ever have: n1's remove, concurrent with n0's
// add, hides it once both meet — add-wins, 3 steps) and
// keep-own-tombstones (⊔ unions the tags but keeps only the receiver's
// tombstones: not commutative; n1 removes x having seen n0's only add,
// and n0 keeps x after merging n1's state — stays-removed, 4 steps).
//
// Mutants: sum-merge breaks converges-after-anti-entropy first (2
// steps); with -dups 1 and only n0 incrementing, a duplicated state
// counts twice at n1 (no-phantom, 4 steps).
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one worker, keeping going after violations; crdt_test.go holds them):
//
//	type       updates  system model      mutant             states  transitions  depth  violated (steps)
//	lwwmap     1,1      reliable          -                      41           49      4  -
//	lwwmap     1,1      1 duplication     -                     143          211      6  -
//	lwwmap     2,1      1 duplication     -                   1,051        2,165      8  -
//	lwwmap     1,1      1 drop            -                      69           93      4  converged 4
//	lwwmap     1,1      1 drop, 1 dup     -                     249          441      6  converged 4
//	lwwmap     2,1      1 drop, 1 dup     -                   2,073        5,177      8  converged 6
//	lwwmap     1,1      reliable          merge-no-tiebreak      41           49      4  converges-after-anti-entropy 4, converged 4
//	gcounter   1,1      reliable          -                      11           15      4  -
//	gcounter   1,1      1 duplication     -                      36           57      6  -
//	gcounter   1,1,1    1 duplication     -                   3,503       11,971     11  -
//	gcounter   1,1      1 drop, 1 dup     -                      58          115      6  converged 4
//	gcounter   1,0      1 duplication     sum-merge               6            6      4  converges-after-anti-entropy 2, no-phantom 4, converged 4
//	pncounter  1,1      reliable          -                      33           49      4  -
//	pncounter  1,1      1 duplication     -                     121          205      6  -
//	pncounter  2,1      1 duplication     -                     818        1,966      8  -
//	pncounter  1,1      1 drop, 1 dup     -                     197          421      6  converged 4
//	lwwmap     1,1      1 crash (recover) -                     253          429      6  converged 6
//	orset x    1,1      reliable          -                      35           49      4  -
//	orset x,y  1,1      reliable          -                     117          177      4  -
//	orset x    1,1      1 duplication     -                     127          207      6  -
//	orset x,y  1,1      1 duplication     -                     453          781      6  -
//	orset x    2,1      1 duplication     -                     930        2,100      8  -
//	orset x    1,1,1    reliable          -                   3,459        9,481      9  -
//	orset x    1,1      1 drop, 1 dup     -                     211          427      6  converged 4
//	orset x    1,1      reliable          remove-all-tags        35           49      4  add-wins 3, converges-after-anti-entropy 4
//	orset x    1,1      reliable          keep-own-tombstones    35           49      4  stays-removed 4, converges-after-anti-entropy 4, converged 4
//
// ⊔'s laws are checked over 81 OR-set values too (element x over four
// tags, each absent, added, or added and tombstoned): 531,441 triples.
//
// With -tags long (long_test.go): the LWW map on three replicas under a
// drop and a duplication, 72,389 states (converged 9); the G-Counter with
// updates 2,2,1 under the same, 1,775,028 states, 11,321,540 transitions,
// depth 17 (converged 15). The OR-set on three replicas and two
// elements, 25,421 states; 2,1 updates on two elements under a
// duplication, 6,359; 2,2 updates on one element under a duplication,
// 8,328 states, 23,229 transitions, depth 10.
package crdt
