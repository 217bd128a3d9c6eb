// Package textcrdt is the text CRDT of course section 8.1 (not RGA):
// replicas of a text whose characters carry positions, rationals
// strictly between the sentinels 0 and 1, ordered by position and, for
// equal positions, by the replica that typed them. Typing at an index
// takes the midpoint of the neighbours' positions (the sentinels' at the
// ends); deleting removes the character with that position and writer.
// Both are applied locally at once and broadcast.
//
// Positions are exact: dyadic rationals N/2^E kept reduced (a midpoint
// of dyadics is dyadic), so equal positions have equal encodings. With
// Params.Bits = B (modelcheck's -bits) a midpoint is rounded down to B
// bits, as floating-point positions would be.
//
// Delivery (Params.Delivery, modelcheck's -delivery):
//
//   - causal: an update carries the updates its writer had applied (its
//     causal past), and a replica holds it back until it has applied them
//     all, so a delete never arrives before its insert;
//   - reliable: every update reaches every replica, applied on arrival in
//     any order.
//
// Properties: "sec" (always: replicas that applied the same set of
// updates hold the same text), "convergence" (at quiescence: nothing held
// back, all texts equal), "deleted-gone" (always: a replica that applied a
// delete does not hold its character), "positions" (always: positions lie
// strictly inside (0, 1) and no two characters of a replica share a
// position and writer), "between" (always: at every replica, a character
// lies after the character that was its left neighbour when it was typed
// and before its right one, whenever they are there). Witnesses:
// "same-place" (two characters share a position: concurrent inserts at
// one place), "remote-delete".
//
// "run-contiguous" is not promised, and a check leaves it out unless
// asked (-runs 1 checks it alone, -all with the rest): a character a
// replica typed right after one of its own stays next to it, unless a
// replica that had seen it typed something between. The course's CRDT
// breaks it: two replicas typing "ab" and "xy" at one place end with
// "axby", since the positions tie pairwise and the node breaks each tie.
//
// The checker also finds a hole in the course's scheme itself: after two
// concurrent inserts at one place share a position p, an insert between
// them takes their midpoint, p again. Its position then ties with a
// neighbour of its own writer ("positions"), or it lands outside its
// neighbours ("between": with three replicas, n2 types between n0's and
// n1's characters at 1/2 and goes after both). Sec and convergence still
// hold: every replica orders the same keys the same way (ties of equal
// keys by arrival, which causal delivery makes agree here). So the
// checks that hold are those where no insert goes between equal
// positions: two replicas typing once each, or one replica typing.
//
// Pinned figures (exhaustive breadth-first search, unordered reliable
// network, one worker, keeping going after violations):
//
//	replicas  inserts  deletes  letters  other           states  transitions  depth  violated (steps)
//	2         1,1      -        1        -                   17           23      4  -
//	2         1,1      -        2        -                   57           77      4  -
//	2         1,1      1,1      1        -                  389          709      8  -
//	2         2,0      1,1      1        -                  198          399      8  -
//	2         3,0      -        1        -                   59          115      6  -
//	3         1,1,0    0,0,1    1        -                  370          859      9  -
//	2         1,1      1,0      1        -delivery reliable               -   sec 4, deleted-gone 4, convergence 6
//	2         1,1      -        1        -bits 1                          -   positions 3, between 3
//	2         2,1      -        1        -                                -   positions 4 (the hole above)
//	3         1,1,1    -        1        -                1,229        3,022      9  between 5 (the hole above)
//	2         1,1      -        1        no-tiebreak                      -   sec 4, convergence 4
//	2         2,2      -        1        run-contiguous                   -   run-contiguous 4
//
// With -tags long (long_test.go): three replicas typing once and deleting
// once each but the third, 46,530 states; one replica typing three
// letters of two and another deleting twice, 8,735 states.
//
// Example shows two concurrent inserts at one place ordered by writer.
package textcrdt
