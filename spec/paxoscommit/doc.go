// Package paxoscommit is Gray and Lamport's Paxos Commit (course 7.1,
// "fault-tolerant two-phase commit") written directly as a transition
// system, state for state the TLA+ specification PaxosCommit
// (tlaplus/Examples, specifications/transaction_commit/PaxosCommit.tla).
// Each resource manager (RM) is working, prepared, committed or aborted, as
// in TwoPhase, but its vote is decided by its own instance of Paxos among
// the acceptors: an RM prepares or aborts by sending the ballot-0 phase2a
// of its instance; a leader may start any higher ballot of any instance
// (phase1a), and once a majority of acceptors answered (phase1b) proposes
// the value of the highest vote they report, or aborted if none (phase2a);
// acceptors vote as in Paxos (phase2b); a leader sends Commit once every
// instance has decided prepared, Abort once any has decided aborted; RMs
// obey. msgs only grows.
//
// The guarantees checked: "consistent", TCommit's TCConsistent (no RM
// commits while another aborts), which PaxosCommit implements; and
// "type-ok", PCTypeOK. The sometimes properties "all-committed" and
// "all-aborted" show both outcomes are reached. Mutants: majorities that
// need not intersect, a leader that proposes prepared when no vote was
// reported, one that ignores the reported votes, and one that starts
// ballot 0 (outside the type).
//
// Majorities are the sets of exactly ⌊n/2⌋+1 acceptors, as PaxosCommit.cfg
// writes them. Next yields a step once for every way TLC's evaluation of
// PCNext finds it (a Phase2a once per majority that enables it, Decide
// once per ballot and majority that witness each instance's decision),
// self-loops included, so the transition count is TLC's "states
// generated". With PaxosCommit.cfg's constants (RMs r1, r2; acceptors a1,
// a2, a3; ballots {0, 1}) the counts equal TLC's published ones
// (tlaplus/Examples manifest.json: 1,321,761 distinct states, 16,959,159
// generated, depth 28, which TLC counts from 1):
//
//	RMs  acceptors  ballots  distinct states  transitions  depth  orbits (RM and acceptor symmetry)
//	  2          3     0..1        1,321,761   16,959,159     27  119,992
//	  1          3     0..1            1,461        9,936     14
//	  2          3     0..0              545        4,413     11
//	  2          1     0..1            1,425        9,961     15
package paxoscommit
