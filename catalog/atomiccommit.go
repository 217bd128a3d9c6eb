package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/atomiccommit"
)

func init() {
	register(atomiccommitEntry())
	registerClassic(Classic{Name: "atomiccommit-coordinator-crash-blocks", Protocol: "atomiccommit", Flags: "-crashes 1", Breaks: atomiccommit.PropNoneInDoubt,
		Doc: "the coordinator crashes for good after Prepare: a participant that voted yes may neither commit nor abort, and waits for ever (course 7.1)"})
}

func atomiccommitEntry() *Entry {
	e := &Entry{
		Name:    "atomiccommit",
		Summary: "two-phase commit as the course states it: a coordinator and participants, with crashes and timeouts",
		Section: "7.1",
		Params: []Param{
			{Name: "n", Doc: "participants (node 0 is the coordinator)", Default: atomiccommit.DefaultParams().Participants, Min: 1, Max: atomiccommit.MaxParticipants},
			{Name: "queries", Doc: "queries a prepared participant sends, one per timeout, before it only waits (bounds the search)", Default: atomiccommit.DefaultParams().Queries, Min: 0, Max: atomiccommit.MaxQueries},
		},
		Mutants:  atomiccommit.Mutants,
		Symmetry: "the participants",
	}
	return nodeProtocol[atomiccommit.State, atomiccommit.Msg]{
		props: atomiccommit.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[atomiccommit.State, atomiccommit.Msg], []spec.WorkItem[atomiccommit.Msg], error) {
			p, err := atomiccommit.New(AtomicCommitParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// AtomicCommitParams reads the atomiccommit entry's parameters (a
// negative -queries, which only a run passes, is no bound).
func AtomicCommitParams(params map[string]int, mutant string) atomiccommit.Params {
	return atomiccommit.Params{Participants: params["n"], Queries: params["queries"], Mutant: mutant}
}
