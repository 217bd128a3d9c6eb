// Package paxosnode is single-decree Paxos (course 6.1) as node protocols
// run under a system model: proposers (nodes 0..p-1), acceptors (the next
// a nodes) and learners (the last l nodes). A client asks each proposer to
// propose a value. A proposer takes ballot round·p+id+1 and sends
// Prepare(b) to every acceptor; an acceptor that has promised no higher
// ballot promises b and reports the ballot and value it last accepted. With
// promises from a quorum (a majority of the acceptors) the proposer sends
// Accept(b, v), v being the value of the highest ballot reported, or its
// own if none was; an acceptor that has promised no higher ballot accepts
// it and tells the learners and the ballot's proposer (Accepted). A learner
// learns v once a quorum's latest Accepted are for one ballot of v; a
// proposer learns its value chosen once a quorum accepted its ballot. A
// proposer that has not learned retries with its next ballot when its
// timer fires, so two proposers duel, each preempting the other, up to
// Params.Tries ballots each (a bound of the search that a run lifts). An
// acceptor's promise and accepted (ballot, value) are persisted, as are a
// proposer's count of ballots used and a learner's tallies; a proposer's
// round in progress is volatile.
//
// Properties: "agreement" (no two nodes learn different values, a learner
// never learns two), "validity" (a learned value was proposed), the
// sometimes property "learned" (a value is learned: by a learner, or by a
// proposer when there is none) and, at quiescence, "terminates": without
// faults the proposer of the highest ballot started wins, so when nothing
// more can happen some node learned a value. A lost message or a crash
// can use up the ballots the check allows with nothing chosen; a run,
// whose proposers retry without bound, keeps it under every fault. By
// default the proposers are the only learners (a learner costs its
// tallies and an Accepted from every acceptor, and multiplies the state
// space about sixteenfold).
//
// Mutants: an acceptor whose promise is not persisted (it forgets
// it in a crash and accepts a ballot it promised to ignore), a proposer
// that ignores the accepted values the promises report, and quorums of
// ⌊a/2⌋ acceptors, which need not intersect. Names follow package paxos,
// the TLA+ transition system of the same algorithm.
package paxosnode
