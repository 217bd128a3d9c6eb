package lease

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// The properties' names.
const (
	PropMutualExclusion = "mutual-exclusion"
	ReachEveryoneWrote  = "every-client-wrote"
	ReachStaleFenced    = "stale-write-fenced"
)

// Properties are the lock service's: mutual exclusion as the storage
// sees it, and two witnesses that the paths it speaks about happen.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name: PropMutualExclusion, Kind: spec.Always,
			Doc:   "the storage accepts the writes of one lease at a time: none of an expired lease after a later lease's",
			State: mutualExclusion,
		},
		{
			Name: ReachEveryoneWrote, Kind: spec.Sometimes,
			Doc:   "every client had a write accepted",
			Reach: everyoneWrote,
		},
		{
			Name: ReachStaleFenced, Kind: spec.Sometimes,
			Doc:   "the storage refused the write of an expired lease",
			Reach: func(v spec.View[State, Msg]) bool { return v.State(Storage).Refused > 0 },
		},
	}
}

// mutualExclusion: each write the storage accepted belongs to a later
// lease than the one before it (a write delivered twice excepted).
func mutualExclusion(v spec.View[State, Msg]) error {
	log := v.State(Storage).Log
	for i := 1; i < len(log); i++ {
		a, b := log[i-1], log[i]
		if b.Token > a.Token || b.Token == a.Token && b.Client == a.Client {
			continue
		}
		return fmt.Errorf("the storage accepted n%d's write %d under lease %d after n%d's write %d under lease %d: two holders' writes interleave",
			b.Client, b.Val, b.Token, a.Client, a.Val, a.Token)
	}
	return nil
}

func everyoneWrote(v spec.View[State, Msg]) bool {
	wrote := map[spec.NodeID]bool{}
	for _, e := range v.State(Storage).Log {
		wrote[e.Client] = true
	}
	return len(wrote) == v.Nodes()-int(FirstClient)
}

// Mutants are the known-buggy variants the checker must catch.
var Mutants = []spec.Mutant{
	{Name: MutantNoFencing, Breaks: PropMutualExclusion,
		Doc: "the storage trusts every write: a holder whose lease expired writes after the next holder"},
	{Name: MutantVolatileToken, Breaks: PropMutualExclusion,
		Doc:   "the lock service keeps its token in memory: after a crash it hands out a token again",
		Shows: "-crashes 1 -crash-mode recover"},
}
