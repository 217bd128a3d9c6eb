package textcrdt

import "github.com/distsys/distsys/spec"

// mutant is the switch Step reads; correct is the protocol as written.
type mutant uint8

const (
	correct mutant = iota
	noTiebreak
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "no-tiebreak",
		Doc:    "characters are ordered by position alone, equal positions in order of arrival: two replicas typing at the same place concurrently make the same position, and each puts the other's character after its own (sec)",
		Breaks: PropSEC,
	},
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("textcrdt", name, Mutants, map[string]mutant{"no-tiebreak": noTiebreak})
}
