// Package calendar is replicas of one calendar entry with fields (title,
// time, place), edited concurrently and kept in step by broadcasting each
// edit: the op-based LWW map of course section 8.1, and the anomaly of
// 7.3 that motivates it. Every edit is applied and acknowledged locally at
// once, stamped with a unique Lamport timestamp (counter, node id), and
// sent to every other replica over the model's network, which without
// drops is reliable broadcast (Params.LWW, modelcheck's -lww):
//
//   - field: the entry is a map from field to (timestamp, value), an update
//     names one field, and a replica replaces the field's value iff it is
//     absent or older. Any two deliveries commute.
//   - entry: last writer wins on the whole entry: an update carries every
//     field as its writer knew it, under one timestamp. Of two concurrent
//     edits of different fields, the later-stamped entry wins whole and the
//     other edit is gone.
//
// The value an edit writes is named by its timestamp (w<node>.<counter>).
// Nothing resends an update: a drop, or a replica down when an update
// arrives, breaks convergence (reliable broadcast is assumed; the
// state-based map of package crdt is what survives loss).
//
// Properties: "sec" (always; strong eventual consistency's safety: two
// replicas that applied the same set of updates hold the same entry),
// "convergence" and "no-lost-edit" (at quiescence: every acknowledged
// edit is in every replica unless a later edit of the same field replaced
// it). Witnesses: "edits-merged" (a replica holds fields last written by
// two replicas), "all-applied". Per-field LWW keeps all three, also under
// a duplication; whole-entry LWW keeps sec and convergence but loses an
// edit (the calendar anomaly, 4 steps). The mutants drop the node id
// from the order: no-tiebreak compares counters only, so two concurrent
// edits of one field with one counter are each kept by their own replica;
// replace-on-tie (timestamps that are not unique, a tie replacing) keeps
// the one delivered last. Either way sec fails in 4 steps.
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one worker, keeping going after violations):
//
//	lww    edits  fields system model     states  transitions  depth  violated (steps)
//	field  1,1    2      reliable             41           49      4  -
//	entry  1,1    2      reliable             41           49      4  no-lost-edit 4
//	field  2,1    2      reliable            233          369      6  -
//	field  1,1,1  2      reliable          3,225        8,479      9  -
//	field  1,1    2      1 duplication       145          213      6  -
//	field  1,1    2      no-tiebreak          41           49      4  sec 4, convergence 4, no-lost-edit 4
//	field  1,1    2      replace-on-tie       41           49      4  sec 4, convergence 4, no-lost-edit 4
//
// With -tags long (long_test.go): two edits each on two replicas, 1,769
// states (10,057 under a duplication); three replicas, three fields,
// 10,405; edits 2,1,1, 46,809; edits 2,2,1, 863,513 states, 3,642,943
// transitions, depth 15.
package calendar
