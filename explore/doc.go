// Package explore is an exhaustive explorer for any finite transition
// system. It knows nothing of nodes or messages: a System gives initial
// states, enumerates the edges out of a state (each flagged as a fault or
// not), fingerprints states and labels actions.
//
// Check walks the system breadth-first (parallel, shortest
// counterexamples), depth-first, or by seeded random walks, evaluating
// named properties of four kinds: always (every state), on-transition (every
// edge), at-quiescence (states where only faults can change anything) and
// sometimes (must be reached). The result is OK only when the bounded space
// is exhausted and every sometimes property was reached; Violated comes
// with the execution that breaks the property; Incomplete names the bound
// (states, depth, time, cancellation) that stopped the search. A bounded or
// timed-out search is never OK.
//
// The visited set stores 64-bit fingerprints exactly, 7 bytes each (the
// top byte names the shard), sharded so that each shard grows on its own
// and, with several workers, has one writer at a time; each state also
// costs 8 bytes of parent link (its parent's index and which successor it
// was).
// Paths are rebuilt by replaying those ordinals, so states themselves are
// kept only while they wait in the frontier.
package explore
