package kv

import (
	"github.com/distsys/distsys/spec"
)

type mutant uint8

const (
	noMutant mutant = iota
	noDedup
	localRead
)

// Mutants are the store's known-buggy variants.
var Mutants = []spec.Mutant{
	{Name: "no-dedup", Breaks: PropExactlyOnce, Shows: "-scenario retry",
		Doc: "a retried request is applied again when its second log entry is delivered"},
	{Name: "local-read", Breaks: PropLinearizable,
		Doc: "a read is answered from the local store, without going through the log"},
}

var mutantNames = map[string]mutant{"no-dedup": noDedup, "local-read": localRead}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("kv", name, Mutants, mutantNames)
}
