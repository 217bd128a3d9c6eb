// Package mvmap is the multi-value map over causal broadcast of course
// section 8.1's exercise: replicas of a map whose keys are multi-value
// registers. A set of key k is applied locally at once, acknowledged, and
// broadcast; it carries the values k held at its writer, the ones it
// overwrites (w<node>.<n> names node's n-th set and the value it writes).
// A replica that applies it adds the new value and removes exactly the
// values the set overwrote, so of two concurrent sets (neither saw the
// other) both values stay, and a read returns both.
//
// Delivery (Params.Delivery, modelcheck's -delivery):
//
//   - causal: an update carries the sets its writer had applied (its
//     causal past), and a replica holds it back until it has applied them
//     all. A value is therefore always applied before any set that
//     overwrites it, and any two concurrent updates commute.
//   - reliable: every update reaches every replica, applied on arrival in
//     any order. A set that overwrites v can arrive before v at a third
//     replica, which then keeps v for good: it applied the same updates
//     as the others but holds an extra value.
//
// Nothing resends an update: reliable broadcast is assumed (no drops).
//
// Properties: "sec" (always: replicas that applied the same set of
// updates hold the same map), "overwritten-gone" (always: a replica that
// applied a set holds none of the values it overwrote), "convergence" and
// "no-lost-edit" (at quiescence: nothing is held back, all maps are equal,
// and a value is missing only where a set that saw it overwrote it).
// Witnesses: "concurrent-kept" (a key holds two values), "overwrote".
// The mutant drop-unseen removes every value the key holds when a set
// is delivered, seen by its writer or not: concurrent sets lose a value.
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one worker, keeping going after violations):
//
//	delivery  sets   keys  system model   states  transitions  depth  violated (steps)
//	causal    1,1    1     reliable           13           15      4  -
//	causal    1,1,0  1     reliable           41           75      6  -
//	causal    1,1,1  1     reliable          509        1,240      9  -
//	causal    2,1    2     reliable          211          357      6  -
//	causal    2,2    1     reliable          165          273      8  -
//	causal    1,1    1     1 duplication      42           59      6  -
//	reliable  1,1,0  1     reliable           45           77      6  sec 5, overwritten-gone 5, convergence 6
//	causal    1,1    1     drop-unseen        13           15      4  sec 4, convergence 4, no-lost-edit 4
//
// With -tags long (long_test.go): two sets each under a duplication, 885
// states; three replicas setting 2, 2 and 1 times, 43,437 states, 161,992
// transitions, depth 15.
//
// Example shows two concurrent sets both kept.
package mvmap
