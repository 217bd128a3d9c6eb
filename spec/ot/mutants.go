package ot

import "github.com/distsys/distsys/spec"

// mutant is the switch the transformation reads; none is the correct
// protocol.
type mutant uint8

const (
	none mutant = iota
	noTransform
	noTieBreak
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "no-transform",
		Doc:    "the server and the clients apply an incoming edit as it was made, untransformed: in \"BC\" c1 inserts A at 0 and c2 D at 0 concurrently; the server applies D at 0 to \"ABC\" and holds \"DABC\", c2 applies A at 0 to \"DBC\" and holds \"ADBC\" (the course's classic is the same with D at 2: \"ABDC\" against \"ABCD\")",
		Breaks: PropSameText,
	},
	{
		Name:   "no-tie-break",
		Doc:    "two inserts at one index each move right of the other, whoever made them: the server puts the second one sequenced right of the first, its author puts it left (same-revision-same-text)",
		Breaks: PropSameText,
	},
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("ot", name, Mutants, map[string]mutant{"no-transform": noTransform, "no-tie-break": noTieBreak})
}
