// Package cas is the linearizable compare-and-swap register of course
// section 7.2: replicas of one register with read, write and
// compare-and-swap(old, new), every operation run through total order
// broadcast and applied on delivery.
//
// A client sends its operation to one replica, which records the call and
// asks the sequencer (n0, a replica too) to number it. The sequencer
// gives each operation the next number and sends it to every replica.
// A replica holds a numbered operation back until it has applied every
// lower number, then applies it; the replica the client chose replies
// with the result once it has applied the operation. Every replica thus
// applies the same operations in the same order, and an operation takes
// effect at the moment the sequencer numbers it, between call and reply.
// Nothing resends a message: reliable links are assumed (no drops); a
// duplicated request is numbered once and a duplicated number applied
// once.
//
// Reads (Params.Reads, modelcheck's -reads):
//
//   - tob: a read is ordered and answered like any other operation.
//   - local: a replica answers a read at once from its own copy. That is
//     the course's Cx2: a replica that has applied a write lets client A
//     read the new value; then client B reads the old value at a replica
//     that has not. No sequential order explains both reads.
//
// Scenarios (Params.Scenario, -scenario) fix the workload: "cas" (n1
// cas(0→1) and n2 cas(0→2) race, n0 reads), "reads" (two replicas, a
// write and two reads), "pair" (two replicas, a CAS, a read and a write),
// "mixed" (three replicas, two CASes, a read and a write).
//
// Properties: "linearizable" (always: the calls and replies so far have a
// legal sequential order that respects real time; a search over the
// ghost history), "same-order" (always: of two replicas' applied
// sequences one is a prefix of the other), "all-applied" (at quiescence:
// every replica applied every ordered operation). Witnesses:
// "cas-succeeded", "cas-failed". The mutant no-holdback applies a
// numbered operation the moment it arrives: replicas apply two
// operations in different orders (same-order), and answers stop being
// linearizable.
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one worker, keeping going after violations):
//
//	scenario  reads  system model   states  transitions  depth  violated (steps)
//	cas       tob    reliable        2,869        7,862     11  -
//	pair      tob    reliable          224          358      8  -
//	pair      tob    1 duplication   1,413        3,145     10  -
//	reads     tob    reliable          224          358      8  -
//	reads     local  reliable           37           40      5  linearizable 4
//	pair      tob    no-holdback       365          431      8  same-order 4, linearizable 4
//
// With -tags long (long_test.go): "mixed" through TOB, 103,605 states,
// 365,833 transitions, depth 15; "cas" under a duplication, 27,040 states,
// 95,152 transitions, depth 13.
//
// Example shows two racing CASes: one wins.
package cas
