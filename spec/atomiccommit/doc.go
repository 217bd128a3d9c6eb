// Package atomiccommit is two-phase commit as the course states it (7.1),
// as node protocols run under a system model: a coordinator (node 0) and
// participants (nodes 1..n). The coordinator sends Prepare and waits for
// the votes; each participant chooses its vote: yes makes it prepared
// (its writes staged durably, its locks held) until the outcome arrives,
// no aborts it at once. The coordinator commits when every participant
// voted yes and aborts on a no or when its wait times out; it logs the
// decision before sending it to all. A prepared participant never decides
// alone: when its wait for the outcome times out it asks the coordinator.
// Recovering, the coordinator resends its logged decision, or aborts if
// it logged none; a participant that had not voted aborts, a prepared
// one waits again.
//
// Properties: "unanimous" (no participant commits while another aborts),
// "commit-needs-all-yes", "prepared-never-decides-alone" (a participant
// that voted yes and decided took the coordinator's logged decision), and
// "none-in-doubt" at quiescence, which 2PC itself breaks once the
// coordinator may crash: a participant that voted yes waits for ever (the
// course's blocking counterexample). Sometimes properties show both
// outcomes. LiveProperties are the course's liveness claims, for a check
// on fair lassos (every message delivered, every armed timer fired, every
// vote cast): "prepared-eventually-decides" (every prepared participant
// that is up eventually decides) and "all-yes-commits" (with all yes
// votes, every participant commits unless the coordinator's vote timeout
// fired first). Both hold without faults (18,638 lasso states for two
// participants); a coordinator's crash-stop breaks both, in 10 steps: a
// prepared participant waits for ever on a fair loop. Mutants: a prepared participant that decides on its timeout
// (the course's other counterexample), a coordinator that commits on its
// timeout, and one whose decision is not logged.
package atomiccommit
