// Package twophase is two-phase commit (course 7.1) written directly as a
// transition system, state for state the TLA+ TwoPhase specification: each
// resource manager (RM) is working, prepared, committed or aborted; the
// transaction manager (TM) is init, committed or aborted and records which
// RMs it has heard Prepared from; the message set only grows and holds
// Prepared(rm), Commit and Abort. An RM may prepare or abort on its own while
// working; the TM commits only once every RM has prepared and may abort at
// any time before; RMs obey the TM's decision.
//
// The guarantee checked is TCConsistent ("consistent"): no RM commits while
// another aborts. Sometimes properties show both outcomes are reachable
// ("all-committed", "all-aborted"). The mutant "commit-without-prepared"
// lets the TM commit before every RM has prepared; the checker finds a
// 3-step counterexample (TMCommit, RMChooseToAbort(r1), RMRcvCommitMsg(r2)).
//
// Because the state packs into 64 bits, Spec satisfies the explorer's
// System interface directly, with the state as its own fingerprint. Its
// counts equal those TLC and Stateright publish for TwoPhase, which shows
// equal semantics; the transitions count TLC's "states generated" (initial
// state and self-loops included):
//
//	RMs  distinct states  transitions  depth
//	  3              288        1,146     10
//	  4            1,568        8,258     13
//	  5            8,832       58,146     16
//	  6           50,816      402,306     19
//	  7          296,448    2,744,706     22
//	  8        1,745,408   18,507,778     25
//	  9       10,340,352  123,558,402     28
package twophase
