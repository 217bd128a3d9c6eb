package replica

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/spec"
)

// mutant is the switch Step reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	noTombstone
	restampRetry
	acceptOlder
	mvKeepAll
)

// Mutants are the known-buggy variants New accepts (Params.Mutant), each
// with the property the checker finds violated and the settings that show
// it.
var Mutants = []spec.Mutant{
	{
		Name:   "no-tombstone",
		Doc:    "last writer wins, but a remove deletes the key and its timestamp: an empty store tells a peer nothing, so the peer keeps the removed value",
		Breaks: PropConvergence,
	},
	{
		Name:   "restamp-retry",
		Doc:    "a resend gives the replica's own write a fresh timestamp, so the retried write beats a causally later one (course 5.1, Cx1)",
		Breaks: PropNoCausal,
	},
	{
		Name:   "accept-older",
		Doc:    "a replica adopts whatever version it receives, even one with an older timestamp",
		Breaks: PropNoOlder,
	},
	{
		Name:   "mv-keep-all",
		Doc:    "the multi-value register merges by union and never drops a version another one dominates",
		Breaks: PropMaximal,
		Shows:  "-store mv",
	},
}

// mutants maps a mutant's name to its switch and the stores it is a
// variant of.
var mutants = map[string]struct {
	m      mutant
	stores []Store
}{
	"no-tombstone":  {noTombstone, []Store{LWW, Physical}},
	"restamp-retry": {restampRetry, []Store{LWW, Physical}},
	"accept-older":  {acceptOlder, []Store{LWW, Physical}},
	"mv-keep-all":   {mvKeepAll, []Store{MV}},
}

// parseMutant maps a mutant's name to its switch, checking that it is a
// variant of store s.
func parseMutant(s Store, name string) (mutant, error) {
	mu, err := spec.MutantNamed("replica", name, Mutants, mutants)
	if err != nil || name == "" {
		return none, err
	}
	if !slices.Contains(mu.stores, s) {
		var of []string
		for _, t := range mu.stores {
			of = append(of, t.String())
		}
		return none, fmt.Errorf("replica: Mutant = %q is a variant of %s, not of %s", name, strings.Join(of, ", "), s)
	}
	return mu.m, nil
}
