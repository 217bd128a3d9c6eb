package calendar

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// mutant is the switch Step reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	noTiebreak
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "no-tiebreak",
		Doc:    "timestamps compare by Lamport counter only, without the node id: of two concurrent edits of a field with one counter, each replica keeps its own, and replicas that applied the same updates differ",
		Breaks: PropSEC,
	},
}

func parseMutant(name string) (mutant, error) {
	switch name {
	case "":
		return none, nil
	case "no-tiebreak":
		return noTiebreak, nil
	}
	return none, fmt.Errorf("calendar: Mutant = %q, want \"\" or no-tiebreak", name)
}
