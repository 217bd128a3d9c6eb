package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/paxosnode"
)

func init() {
	register(paxosnodeEntry())
	registerClassic(Classic{Name: "paxosnode-crashed-proposer-stalls", Protocol: "paxosnode", Flags: "-crashes 1", Breaks: paxosnode.PropTerminates,
		Doc: "the proposer of the highest ballot crashes for good after its Prepare: its promises preempt the other's ballot, and nothing is ever chosen (Paxos is safe whatever crashes, live only while some proposer keeps retrying)"})
}

func paxosnodeEntry() *Entry {
	d := paxosnode.DefaultParams()
	e := &Entry{
		Name:    "paxosnode",
		Summary: "single-decree Paxos as node protocols: duelling proposers, acceptors with persisted promises, learners, under crashes and loss",
		Section: "6.1",
		Params: []Param{
			{Name: "proposers", Doc: "proposers (nodes 0..p-1; proposer i proposes value i+1)", Default: d.Proposers, Min: 1, Max: paxosnode.MaxProposers},
			{Name: "acceptors", Doc: "acceptors (the next nodes)", Default: d.Acceptors, Min: 1, Max: paxosnode.MaxAcceptors},
			{Name: "learners", Doc: "learners besides the proposers (the last nodes)", Default: d.Learners, Min: 0, Max: paxosnode.MaxLearners},
			{Name: "tries", Doc: "ballots each proposer starts, the first on the client's request, the others when its retry timer fires (bounds the search)", Default: d.Tries, Min: 1, Max: paxosnode.MaxTries},
		},
		Mutants:  paxosnode.Mutants,
		Symmetry: "the acceptors",
	}
	return nodeProtocol[paxosnode.State, paxosnode.Msg]{
		// The properties read the roles of the nodes, which the
		// parameters set: those of the default list the names.
		props: defaultPaxosNode().Properties(),
		propsOf: func(p spec.Protocol[paxosnode.State, paxosnode.Msg]) []spec.Property[paxosnode.State, paxosnode.Msg] {
			return p.(*paxosnode.Protocol).Properties()
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[paxosnode.State, paxosnode.Msg], []spec.WorkItem[paxosnode.Msg], error) {
			p, err := paxosnode.New(PaxosNodeParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// PaxosNodeParams reads the paxosnode entry's parameters (a negative
// -tries, which only a run passes, is no bound).
func PaxosNodeParams(params map[string]int, mutant string) paxosnode.Params {
	return paxosnode.Params{Proposers: params["proposers"], Acceptors: params["acceptors"], Learners: params["learners"], Tries: params["tries"], Mutant: mutant}
}

func defaultPaxosNode() *paxosnode.Protocol {
	p, err := paxosnode.New(paxosnode.DefaultParams())
	if err != nil {
		panic("catalog: paxosnode's default parameters: " + err.Error())
	}
	return p
}
