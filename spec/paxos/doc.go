// Package paxos is the Paxos consensus algorithm (course 6.1, single-decree
// "synod") written directly as a transition system, state for state the
// TLA+ specification Paxos of Lamport's lecture "The Paxos Algorithm, or
// How to Win a Turing Award" (tlaplus/Examples,
// specifications/PaxosHowToWinATuringAward/Paxos.tla). Each acceptor keeps
// maxBal (the highest ballot it joined), and maxVBal/maxVal (its vote in
// the highest ballot it voted in); msgs is the set of every message ever
// sent and only grows: 1a(b), 1b(a, b, mbal, mval), 2a(b, v), 2b(a, b, v).
// A leader of ballot b may send 1a(b) at any time; an acceptor joins a
// higher ballot and reports its last vote (1b); once a quorum has reported,
// the leader proposes the value of the highest vote reported, or any value
// if none was (2a), at most once per ballot; an acceptor votes for a
// proposal unless it has joined a higher ballot (2b). A value is chosen
// when a quorum voted for it in one ballot.
//
// The guarantees checked: "agreement" (at most one value is ever chosen,
// the Consensus spec's invariant) and "inv", Lamport's inductive invariant
// Inv of Paxos.tla (types, every vote and 1b message backed by a 2b, every
// 2a shown safe by a quorum in the sense of Voting's ShowsSafeAt, one value
// per ballot). The sometimes property "chosen" shows a value does get
// chosen. Mutants: a quorum that is not a majority, an acceptor that votes
// below its promise, a leader that ignores the reported votes, and one that
// takes a reported vote that is not the highest (this one needs three
// ballots to show).
//
// Quorums are the sets of exactly ⌊n/2⌋+1 acceptors, as the model configs
// write them ({{a1,a2},{a1,a3},{a2,a3}} for three). Next yields a step once
// for every way TLC's evaluation of the next-state relation finds it (once
// per quorum that enables a 2a, and once per highest vote that selects its
// value), self-loops included, so the transition count is TLC's "states
// generated". With the constants of MCPaxosTiny.cfg (3 acceptors, values
// v1 and v2, ballots 0..1) the counts equal TLC's published ones
// (tlaplus/Examples manifest.json: 3,921 distinct states, 23,563 generated,
// depth 17, which TLC counts from 1); the manifest gives none for
// MCPaxosSmall.cfg (ballots 0..2), whose counts are pinned here:
//
//	config        ballots  distinct states  transitions  depth  orbits (acceptor symmetry)
//	MCPaxosTiny      0..1            3,921       23,563     16     857
//	MCPaxosSmall     0..2          185,369    1,361,380     24  34,113
package paxos
