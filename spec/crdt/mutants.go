package crdt

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/spec"
)

// mutant is the switch Merge reads; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	sumMerge
	mergeNoTiebreak
	removeAllTags
	keepOwnTombs
)

// Mutants are the known-buggy variants New accepts (Params.Mutant).
var Mutants = []spec.Mutant{
	{
		Name:   "sum-merge",
		Doc:    "a counter merges by adding the per-node counts instead of taking the maximum: not idempotent, so a count merged twice counts twice — first found, the final anti-entropy counts n0's increment again; with -all, a duplicated state inflates n1's count (no-phantom)",
		Breaks: PropAntiEntropy,
		Shows:  "-crdt gcounter -u1 0 -dups 1",
	},
	{
		Name:   "merge-no-tiebreak",
		Doc:    "the LWW map compares timestamps by counter only and keeps its own entry on a tie: the merge is not commutative, and after the final anti-entropy two replicas still differ",
		Breaks: PropAntiEntropy,
	},
	{
		Name:   "remove-all-tags",
		Doc:    "an OR-set remove deletes the element outright, tombstoning every tag it may ever have rather than the tags it observed: an add concurrent with the remove is lost where both meet (add-wins)",
		Breaks: PropAddWins,
		Shows:  "-crdt orset -keys 1",
	},
	{
		Name:   "keep-own-tombstones",
		Doc:    "the OR-set merges the incoming tags but not the incoming tombstones: a replica that receives the state of a remove keeps the removed element, whose adds the remove had all observed (stays-removed)",
		Breaks: PropStaysRemoved,
		Shows:  "-crdt orset -keys 1",
	},
}

var mutants = map[string]struct {
	m     mutant
	types []Type
}{
	"sum-merge":           {sumMerge, []Type{GCounter, PNCounter}},
	"merge-no-tiebreak":   {mergeNoTiebreak, []Type{LWWMap}},
	"remove-all-tags":     {removeAllTags, []Type{ORSet}},
	"keep-own-tombstones": {keepOwnTombs, []Type{ORSet}},
}

func parseMutant(t Type, name string) (mutant, error) {
	mu, err := spec.MutantNamed("crdt", name, Mutants, mutants)
	if err != nil || name == "" {
		return none, err
	}
	if !slices.Contains(mu.types, t) {
		return none, fmt.Errorf("crdt: Mutant = %q is not a variant of %s", name, t)
	}
	return mu.m, nil
}
