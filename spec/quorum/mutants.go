package quorum

import "github.com/distsys/distsys/spec"

// mutant selects a known bug; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	readLowest
	replicaOverwrite
	volatileStore
	localCounters
)

// Mutants are the known-buggy variants New accepts (Params.Mutant), each
// with the property the checker finds violated and the smallest setting
// that shows it.
var Mutants = []spec.Mutant{
	{
		Name:   "read-lowest",
		Doc:    "the reader returns the lowest timestamp among the replies instead of the highest (default params)",
		Breaks: "read-after-write",
	},
	{
		Name:   "replica-overwrite",
		Doc:    "a replica stores whatever Write or Repair arrives, even an older one (needs Writes ≥ 2)",
		Breaks: "replica-monotonic",
		Shows:  "-writes 2",
	},
	{
		Name:   "volatile-store",
		Doc:    "a replica acknowledges a write it keeps only in memory: a crash forgets it (needs crash-recovery)",
		Breaks: "replica-monotonic",
		Shows:  "-crashes 1 -crash-mode recover",
	},
	{
		Name:   "local-counters",
		Doc:    "with several writers, each writer counts its own timestamps instead of asking a quorum for the newest: a later write loses to an earlier one (needs Writers ≥ 2 and a read)",
		Breaks: PropLinearizable,
		Shows:  "-n 2 -w 2 -r 2 -writers 2 -writes 2 -writeback 1",
	},
}

var mutantNames = map[string]mutant{"read-lowest": readLowest, "replica-overwrite": replicaOverwrite, "volatile-store": volatileStore, "local-counters": localCounters}

// parseMutant maps a mutant's name to the switch Step reads.
func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("quorum", name, Mutants, mutantNames)
}
