package catalog

import (
	"slices"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/atomiccommit"
)

func init() {
	register(atomiccommitEntry())
	registerClassic(Classic{Name: "atomiccommit-coordinator-crash-blocks", Protocol: "atomiccommit", Flags: "-crashes 1", Breaks: atomiccommit.PropNoneInDoubt,
		Doc: "the coordinator crashes for good after Prepare: a participant that voted yes may neither commit nor abort, and waits for ever (course 7.1)"})
	registerClassic(Classic{Name: "atomiccommit-prepared-waits-forever", Protocol: "atomiccommit", Flags: "-live 1 -crashes 1", Breaks: atomiccommit.PropPreparedDecides,
		Doc: "the same blocking as liveness, on a fair lasso: the coordinator crashes for good after p1 voted yes; every message is delivered and every timer fires, yet p1 stays prepared for ever (course 7.1)"})
}

func atomiccommitEntry() *Entry {
	e := &Entry{
		Name:    "atomiccommit",
		Summary: "two-phase commit as the course states it: a coordinator and participants, with crashes and timeouts",
		Section: "7.1",
		Params: []Param{
			{Name: "n", Doc: "participants (node 0 is the coordinator)", Default: atomiccommit.DefaultParams().Participants, Min: 1, Max: atomiccommit.MaxParticipants},
			{Name: "queries", Doc: "queries a prepared participant sends, one per timeout, before it only waits (bounds the search)", Default: atomiccommit.DefaultParams().Queries, Min: 0, Max: atomiccommit.MaxQueries},
			{Name: "live", Doc: "1: check the liveness properties (all-yes-commits, prepared-eventually-decides) on fair lassos, instead of none-in-doubt at quiescence", Max: 1},
		},
		Mutants:  atomiccommit.Mutants,
		Symmetry: "the participants",
	}
	return nodeProtocol[atomiccommit.State, atomiccommit.Msg]{
		props: append(atomiccommit.Properties(), atomiccommit.LiveProperties()...),
		// By default the checks of states (none-in-doubt at quiescence);
		// with -live 1 the liveness properties on fair lassos instead.
		choose: func(params map[string]int) []string {
			var names []string
			for _, p := range atomiccommit.Properties() {
				if params["live"] == 0 || p.Name != atomiccommit.PropNoneInDoubt {
					names = append(names, p.Name)
				}
			}
			if params["live"] == 1 {
				for _, p := range atomiccommit.LiveProperties() {
					names = append(names, p.Name)
				}
			}
			return names
		},
		leftOut: func(params map[string]int, p spec.Property[atomiccommit.State, atomiccommit.Msg]) string {
			if p.Kind.Live() {
				return "liveness, checked on fair lassos with -live 1"
			}
			if params["live"] == 1 && slices.ContainsFunc(atomiccommit.Properties(), func(q spec.Property[atomiccommit.State, atomiccommit.Msg]) bool { return q.Name == p.Name }) {
				return "checked as liveness instead (" + atomiccommit.PropPreparedDecides + "), with -live 1"
			}
			return ""
		},
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
