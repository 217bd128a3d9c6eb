package kv

import (
	"fmt"

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

func parseMutant(name string) (mutant, error) {
	switch name {
	case "":
		return noMutant, nil
	case "no-dedup":
		return noDedup, nil
	case "local-read":
		return localRead, nil
	}
	return 0, fmt.Errorf("kv: unknown mutant %q (known: no-dedup, local-read)", name)
}
