package ftcommit

import "github.com/distsys/distsys/spec"

// mutant is the switch Step reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	lastVote
)

// MutLastVote names the mutant that counts the last vote delivered.
const MutLastVote = "last-vote"

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   MutLastVote,
		Doc:    "a participant counts the last vote delivered for each participant, not the first, and decides again: a proxy no aborts, the voter's own yes delivered after it commits, and the participants that have not delivered it yet still abort",
		Breaks: PropAgreement,
	},
}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("ftcommit", name, Mutants, map[string]mutant{MutLastVote: lastVote})
}
