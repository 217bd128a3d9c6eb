package mvmap

import (
	"github.com/distsys/distsys/spec"
)

// mutant is the switch Step reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	dropUnseen
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "drop-unseen",
		Doc:    "a delivered set replaces every value its key holds at the receiver, not only the values its writer overwrote: of two concurrent sets each replica keeps the one delivered last (sec), and a value no set saw is dropped (no-lost-edit)",
		Breaks: PropSEC,
	},
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("mvmap", name, Mutants, map[string]mutant{"drop-unseen": dropUnseen})
}
