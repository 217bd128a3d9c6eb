// Package ftcommit is fault-tolerant two-phase commit after Paxos Commit,
// course section 7.1, as node protocols: participants (nodes 1..n) that
// vote by total order broadcast, and no coordinator. Each participant
// chooses its vote and broadcasts it. A participant whose failure
// detector suspects participant r (a timer the checker fires at any
// time) broadcasts a no on r's behalf. On delivery only the first vote
// for each participant counts: any counted no aborts, and once every
// participant's counted vote is yes the participant commits. Since every
// participant delivers the same votes in the same order, all count the
// same first votes and reach the same outcome; a crashed participant is
// voted no for and blocks no one.
//
// Total order broadcast is a sequencer (node 0), which stands for a
// fault-tolerant total order service (the course's is built on
// consensus): a participant sends its vote to the sequencer, which stamps
// it with the next sequence number and sends it to every participant; a
// participant holds a vote back until every lower stamp is delivered.
// The sequencer stamps a duplicate only once. If the sequencer itself
// crashes nothing is delivered any more: that fault is outside the
// protocol's promise.
//
// Broadcast (Params.Broadcast, modelcheck's -broadcast):
//
//   - total: through the sequencer, as above.
//   - reliable: a vote goes straight to every participant and is
//     delivered on arrival. A participant's own yes and a proxy no for it
//     reach two participants in opposite orders: one counts yes and
//     commits, the other counts no and aborts (the course's
//     counterexample).
//
// Properties: "agreement" (always: no two participants decided
// differently), "commit-means-counted-yes" (always: once a participant
// committed, every counted vote anywhere is yes), "validity" (always: a
// commit only if every participant voted yes itself), "all-decide" (at
// quiescence, with the sequencer up: every participant that is up has
// decided). Witnesses: "committed", "proxy-abort". The mutant last-vote
// counts the last vote delivered instead of the first.
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one worker, keeping going after violations):
//
//	n  broadcast  system model     states  transitions  depth  violated (steps)
//	2  total      reliable         37,051      148,821     16  -
//	2  reliable   reliable            121          221      8  agreement 4, commit-means-counted-yes 4
//	2  last-vote  reliable         37,051      148,701     16  agreement 10, commit-means-counted-yes 10
//
// With -tags long (long_test.go), two participants over total order: one
// crash-stop of any node, 408,935 states, 1,527,220 transitions, depth
// 17; one duplication, 483,244 states, 2,345,539 transitions, depth 18.
//
// Example shows a proxy no delivered before the voter's own yes.
package ftcommit
