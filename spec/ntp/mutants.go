package ntp

import (
	"github.com/distsys/distsys/spec"
)

type mutant uint8

const (
	none mutant = iota
	cristianOffset
	stepMonotonic
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "cristian-offset",
		Doc:    "the offset is Cristian's, t3 + (t4 − t1)/2 − t4, which forgets the time the server held the request, while δ subtracts it: the error exceeds δ/2 by up to half the processing time",
		Breaks: PropErrorWithinHalfDelay,
	},
	{
		Name:   "step-monotonic",
		Doc:    "a step moves the monotonic clock too: a negative step sends it backwards",
		Breaks: PropMonotonic,
	},
}

var mutantNames = map[string]mutant{"": none, "cristian-offset": cristianOffset, "step-monotonic": stepMonotonic}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("ntp", name, Mutants, mutantNames)
}
