package cas

import "github.com/distsys/distsys/spec"

// mutant is the switch Step reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	noHoldback
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "no-holdback",
		Doc:    "a replica applies a numbered operation as soon as it arrives, not in the order of the numbers: two replicas that get two operations in opposite orders apply them in opposite orders (same-order)",
		Breaks: PropSameOrder,
	},
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("cas", name, Mutants, map[string]mutant{"no-holdback": noHoldback})
}
