package rpc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/spec"
)

// mutant is the switch Step and Crash read; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	volatileDedup
	newIDPerRetry
	volatileClient
)

// Mutants are the known-buggy variants New accepts (Params.Mutant), each
// with the property the checker finds violated and the settings that show
// it.
var Mutants = []spec.Mutant{
	{
		Name:   "volatile-dedup",
		Doc:    "the server keeps its table of executed request ids in memory only: after a crash a retry is executed again",
		Breaks: PropAtMostOnce,
		Shows:  "-crashes 1 -crash-mode recover",
	},
	{
		Name:   "new-id-per-retry",
		Doc:    "the client gives every resend a fresh request id, so the server's table never recognises a retry",
		Breaks: PropAtMostOnce,
	},
	{
		Name:   "volatile-client",
		Doc:    "the client keeps its call in progress in memory only: crashing before the request went out, it forgets the call",
		Breaks: PropAtLeastOnce,
		Shows:  "-crashes 1 -crash-mode recover -crash-mid-step",
	},
}

// mutants maps a mutant's name to its switch and the semantics it is a
// variant of (more than one: any of them).
var mutants = map[string]struct {
	m   mutant
	sem []Semantics
}{
	"volatile-dedup":   {volatileDedup, []Semantics{ExactlyOnce}},
	"new-id-per-retry": {newIDPerRetry, []Semantics{ExactlyOnce}},
	"volatile-client":  {volatileClient, []Semantics{AtLeastOnce, ExactlyOnce, Idempotent}},
}

// parseMutant maps a mutant's name to its switch, checking that it is a
// variant of semantics s.
func parseMutant(s Semantics, name string) (mutant, error) {
	mu, err := spec.MutantNamed("rpc", name, Mutants, mutants)
	if err != nil || name == "" {
		return none, err
	}
	if slices.Contains(mu.sem, s) {
		return mu.m, nil
	}
	var of []string
	for _, t := range mu.sem {
		of = append(of, t.String())
	}
	return none, fmt.Errorf("rpc: Mutant = %q is a variant of %s, not of %s", name, strings.Join(of, ", "), s)
}
