package spanner

import "github.com/distsys/distsys/spec"

type mutant uint8

const (
	none mutant = iota
	noCommitWait
	clockBeyondBound
	readBeforeSafe
	earlyLockRelease
)

// Mutant names.
const (
	MutNoCommitWait     = "no-commit-wait"
	MutClockBeyondBound = "clock-beyond-bound"
	MutReadBeforeSafe   = "read-before-safe"
	MutEarlyLockRelease = "early-lock-release"
)

// Mutants are the known-buggy variants New accepts (Params.Mutant), each
// with the property the checker finds violated first.
var Mutants = []spec.Mutant{
	{
		Name:   MutNoCommitWait,
		Doc:    "a read-write transaction is acknowledged as soon as it takes its timestamp, without waiting until TT.now().earliest has passed it: a transaction that starts afterwards can take a timestamp no larger",
		Breaks: PropExternalConsistency,
	},
	{
		Name:   MutClockBeyondBound,
		Doc:    "a clock is off by up to ε+1 while TrueTime still answers [clock−ε, clock+ε]: the interval can miss real time, so a later transaction can take TT.now().latest below an earlier one's timestamp (with the reader, a snapshot read is served too early first: mvcc-snapshot)",
		Breaks: PropExternalConsistency,
		Shows:  "-reader 0",
	},
	{
		Name:   MutReadBeforeSafe,
		Doc:    "a shard serves a snapshot read at t_r at once, without waiting until t_r is safe (TT.now().earliest > t_r, nothing at or below t_r still in commit wait): a version at or below t_r still in commit wait, or committed after the read, is missing from the snapshot",
		Breaks: PropMVCCSnapshot,
	},
	{
		Name:   MutEarlyLockRelease,
		Doc:    "a writer releases its write lock when it takes its timestamp, before its commit wait ends: T2 reads T1's version, then commits below T1, and a snapshot between the two contains T2 without T1",
		Breaks: PropConsistentSnapshot,
	},
}

var mutantNames = map[string]mutant{
	MutNoCommitWait:     noCommitWait,
	MutClockBeyondBound: clockBeyondBound,
	MutReadBeforeSafe:   readBeforeSafe,
	MutEarlyLockRelease: earlyLockRelease,
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("spanner", name, Mutants, mutantNames)
}
