package detector

import (
	"github.com/distsys/distsys/spec"
)

// mutant selects a known bug; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	sticky
	noTimeout
	noNextPing
)

// Mutants are the known-buggy variants New accepts (Params.Mutant). The
// settings are those of the catalog's default model (-partial-sync
// -crashes 1).
var Mutants = []spec.Mutant{
	{
		Name:   "sticky-suspicion",
		Doc:    "a suspicion is never withdrawn, not even when the late ack arrives: one timeout before stabilisation and a correct node is suspected for ever",
		Breaks: PropEventualAccuracy,
	},
	{
		Name:   "no-timeout",
		Doc:    "a check that finds no ack keeps waiting instead of suspecting: a crashed node is never suspected",
		Breaks: PropCompleteness,
	},
	{
		Name:   "no-next-ping",
		Doc:    "after a check finds the ack, the next round's timeout is armed but its ping is never sent: the next check suspects a correct node, even after stabilisation",
		Breaks: PropAccurateAfterGST,
	},
}

var mutantNames = map[string]mutant{"": none, "sticky-suspicion": sticky, "no-timeout": noTimeout, "no-next-ping": noNextPing}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("detector", name, Mutants, mutantNames)
}
