package mvmap

import (
	"fmt"

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
	switch name {
	case "":
		return none, nil
	case "drop-unseen":
		return dropUnseen, nil
	}
	return none, fmt.Errorf("mvmap: Mutant = %q, want \"\" or drop-unseen", name)
}
