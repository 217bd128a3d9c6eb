package calendar

import (
	"github.com/distsys/distsys/spec"
)

// mutant is the switch Step reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	noTiebreak
	replaceOnTie
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "no-tiebreak",
		Doc:    "timestamps compare by Lamport counter only, without the node id: of two concurrent edits of a field with one counter, each replica keeps its own, and replicas that applied the same updates differ",
		Breaks: PropSEC,
	},
	{
		Name:   "replace-on-tie",
		Doc:    "timestamps are the Lamport counter alone, not unique, and an update replaces a field whose timestamp is not newer: of two concurrent edits with one counter, each replica keeps the one delivered last",
		Breaks: PropSEC,
	},
}

var mutantNames = map[string]mutant{"no-tiebreak": noTiebreak, "replace-on-tie": replaceOnTie}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("calendar", name, Mutants, mutantNames)
}
