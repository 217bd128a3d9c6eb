package broadcast

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// mutant is the switch Step reads.
type mutant uint8

const (
	noMutant mutant = iota
	eagerNoRelay
	fifoAnyOrder
	causalNoDeps
	lamportNoWait
)

// Mutants are the known-buggy variants, each of one algorithm (Shows names
// it, with any fault it needs).
var Mutants = []spec.Mutant{
	{Name: "eager-no-relay", Breaks: PropAgreement, Shows: "-algo eager -crashes 1 -crash-mid-step",
		Doc: "eager broadcast that does not relay what it receives: direct fan-out, which a sender crashing mid-way splits"},
	{Name: "fifo-any-order", Breaks: PropFIFO, Shows: "-algo fifo",
		Doc: "FIFO broadcast that delivers a held-back message as soon as it arrives, out of sequence"},
	{Name: "causal-no-deps", Breaks: PropCausal, Shows: "-algo causal -b0 1 -b1 1",
		Doc: "causal broadcast that delivers on receipt without waiting for the message's dependencies"},
	{Name: "lamport-no-wait", Breaks: PropTotal, Shows: "-algo lamport -network fifo",
		Doc: "Lamport total order that delivers its smallest queued message before hearing a later timestamp from every node"},
}

var mutantOf = map[string]struct {
	m   mutant
	alg Algorithm
}{
	"eager-no-relay":  {eagerNoRelay, Eager},
	"fifo-any-order":  {fifoAnyOrder, FIFO},
	"causal-no-deps":  {causalNoDeps, Causal},
	"lamport-no-wait": {lamportNoWait, Lamport},
}

func parseMutant(a Algorithm, name string) (mutant, error) {
	mu, err := spec.MutantNamed("broadcast", name, Mutants, mutantOf)
	if err != nil || name == "" {
		return noMutant, err
	}
	if mu.alg != a {
		return noMutant, fmt.Errorf("broadcast: mutant %q is a variant of %s, not of %s", name, mu.alg, a)
	}
	return mu.m, nil
}
