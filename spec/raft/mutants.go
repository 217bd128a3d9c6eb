package raft

import (
	"github.com/distsys/distsys/spec"
)

type mutant uint8

const (
	noMutant mutant = iota
	noCurrentTermCheck
	voteWithoutLogOk
	volatileVote
	floorHalf
	noTermCheck
	oldTruncation
	noAckGuard
	unboundedHint
	snapshotUncommitted
	snapshotRollback
	snapshotKeepSuffix
	ackOnSend
	acceptGap
)

var mutantNames = map[string]mutant{
	"commit-any-term":      noCurrentTermCheck,
	"vote-without-logok":   voteWithoutLogOk,
	"volatile-vote":        volatileVote,
	"floor-half-quorum":    floorHalf,
	"no-term-check":        noTermCheck,
	"old-truncation":       oldTruncation,
	"no-ack-guard":         noAckGuard,
	"unbounded-hint":       unboundedHint,
	"snapshot-uncommitted": snapshotUncommitted,
	"snapshot-rollback":    snapshotRollback,
	"snapshot-keep-suffix": snapshotKeepSuffix,
	"pipeline-ack-on-send": ackOnSend,
	"pipeline-accept-gap":  acceptGap,
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("raft", name, Mutants, mutantNames)
}

// Mutants are the classic Raft bugs (course 6.2's list, the 2020/21 text's
// handlers among them) that the checker must catch. Shows gives a bounded
// configuration that exposes each.
var Mutants = []spec.Mutant{
	{Name: "commit-any-term", Breaks: PropLeaderCompleteness,
		Shows: "-crashes 0 -maxterm 4 -requests 3 -beats 1 -strategy random -seed 1 -max-depth 60",
		Doc:   "commit by counting replicas without requiring the entry to be of the current term (Raft paper Figure 8)"},
	{Name: "vote-without-logok", Breaks: PropLeaderCompleteness,
		Doc: "grant votes without checking that the candidate's log is at least as up to date"},
	{Name: "volatile-vote", Breaks: PropOneVote,
		Doc: "votedFor is not persisted: after a crash a node votes again in the same term (and two leaders follow)"},
	{Name: "floor-half-quorum", Breaks: PropElectionSafety,
		Doc: "a quorum of ⌊n/2⌋ instead of a majority"},
	{Name: "no-term-check", Breaks: PropStateMachine, Shows: "-crashes 0 -requests 2 -beats 1",
		Doc: "a LogRequest is accepted whatever its term: a stale leader overwrites committed entries"},
	{Name: "old-truncation", Breaks: PropStateMachine,
		Doc: "the 2020/21 truncation rule: compare only the first new entry with the log",
		Beyond: "it needs four terms, five entries, a duplicated refusal and a lost request in one order; " +
			"TestOldTruncationRuleDivergesOnTheCourseTrace replays the course's hand-derived trace step by step and confirms it"},
	{Name: "no-ack-guard", Breaks: PropAckMonotonic, Shows: "-crashes 0 -dups 1",
		Doc: "a successful LogResponse is taken even if it acknowledges less than before"},
	{Name: "unbounded-hint", Breaks: PropSentBacksOff,
		Shows: "-crashes 0 -maxterm 3 -candidates 3 -requests 3 -beats 1 -network unordered -strategy random -seed 1 -max-depth 50",
		Doc:   "the leader jumps wherever a refusal's catch-up hint points, even at or past its sentLength: a stale refusal takes it forward again, past a conflict it had found"},
	{Name: "snapshot-uncommitted", Breaks: PropLeaderCompleteness, Shows: "-snapshot 1 -crashes 0",
		Doc: "a node snapshots (applies and compacts) every entry it holds, committed or not: a later leader lacks an entry the state machine already took"},
	{Name: "snapshot-rollback", Breaks: PropCommitMonotonic,
		Shows: "-snapshot 1 -crashes 0 -network unordered -candidates 1 -maxterm 1 -requests 2",
		Doc:   "a follower installs a snapshot its commitLength already covers: a stale InstallSnapshot rolls its commit (and its state machine) back"},
	{Name: "snapshot-keep-suffix", Breaks: PropLogTermsMonotonic,
		Shows: "-snapshot 1 -crashes 0 -network unordered -requests 3 -beats 1 -strategy random -seed 6 -max-depth 30",
		Doc:   "a follower installing a snapshot keeps the entries after its index even when its own entry there has another term: a suffix of an older leader's follows the newer snapshot"},
	{Name: "pipeline-ack-on-send", Breaks: PropLeaderCompleteness, Shows: "-pipeline 2 -crashes 0",
		Doc: "a pipelining leader takes an entry as acknowledged once it sends it (ackedLength advanced with sentLength) and commits it before any follower holds it"},
	{Name: "pipeline-accept-gap", Breaks: PropLogMatching, Shows: "-pipeline 1 -candidates 1 -maxterm 1 -requests 2 -beats 1 -crashes 0 -drops 1",
		Doc: "a follower accepts a LogRequest whose prefix runs past its log (a pipelined request that overtook or outlived the one before it), appending its entries after a gap and acknowledging entries it lacks"},
}
