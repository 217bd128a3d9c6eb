// Package twogenerals is the two generals problem of course section 2.1:
// two generals, A (node 0) and B (node 1), must both attack or both not,
// and can talk only through messengers who may be lost on the way.
//
// The protocol is the bounded acknowledgement chain every attempt ends up
// as. A is told its plan (a request: attack or retreat). To attack, it
// sends messenger 1 to B; whoever receives messenger i < K sends messenger
// i+1 back, so messenger 2 acknowledges 1, 3 acknowledges 2, and so on, K
// messengers in all (Params.K, 1..4). A general attacks once it has
// received every messenger addressed to it (A also needs its plan to be
// attack). Messengers are never resent. Params.Need replaces the decision
// rule by any pair of thresholds "attack after n messengers".
//
// Guarantees: on a reliable link, agreement and validity hold for every K.
// On a lossy link no K works: the sender of the last messenger attacks as
// it sends it (nothing more will come to it), and if that messenger is lost
// its receiver never attacks. This is the impossibility shown by exhaustive
// search rather than by prose: for each K the checker finds the execution,
// and for each K every threshold rule fails too (TestEveryThresholdRuleFails:
// 6, 9, 12 and 16 rules for K = 1..4 — one general attacks alone, B attacks
// without the order, or the generals never both attack). No amount of
// acknowledgement gives the two generals common knowledge.
//
// Properties (Properties):
//
//   - agreement (at quiescence): A attacks iff B attacks; a general still
//     waiting when nothing more can happen counts as not attacking.
//   - validity (always): if A's plan is to retreat, nobody attacks.
//   - both-attack, both-retreat (sometimes): both outcomes are reached, so
//     agreement is not met by never attacking.
//
// Mutants (Mutants), both caught on a reliable link (K = 2):
//
//   - wait-for-one-more: the receiver of the last messenger waits for one
//     more; breaks agreement in 3 steps.
//   - attack-without-order: B attacks before hearing anything; breaks
//     validity in 1 step (A's plan is to retreat).
//
// Pinned figures (exhaustive breadth-first search; a lossy link may lose
// one messenger; the counterexample is A's plan, K-1 deliveries and the
// loss of messenger K):
//
//	K  reliable link: result  states  depth   lossy link: result  states  counterexample  who attacks alone
//	1                 ok           4      2               violated     5  2 steps         A
//	2                 ok           5      3               violated     7  3 steps         B
//	3                 ok           6      4               violated     9  4 steps         A
//	4                 ok           7      5               violated    11  5 steps         B
//
// Each check takes well under a millisecond. The table k → counterexample
// length is K+1 steps: the plan, K-1 deliveries and the loss. "modelcheck
// generals" prints it from the checks themselves; "modelcheck check
// twogenerals -k 3 -drops 1" shows one counterexample step by step.
package twogenerals
