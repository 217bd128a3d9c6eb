package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/clocks"
)

func init() { register(clocksEntry()) }

func clocksEntry() *Entry {
	d := clocks.DefaultParams()
	e := &Entry{
		Name:    "clocks",
		Summary: "Lamport and vector clocks, checked against the ghost happens-before",
		Section: "4.1",
		Params: []Param{
			{Name: "n", Doc: "nodes", Default: d.N, Min: clocks.MinNodes, Max: clocks.MaxNodes},
			{Name: "events", Doc: "events per node (each a local event or a send, every choice tried)", Default: d.Events, Min: clocks.MinEvents, Max: clocks.MaxEvents},
		},
		Mutants: clocks.Mutants,
	}
	return nodeProtocol[clocks.State, clocks.Msg]{
		props: clocks.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[clocks.State, clocks.Msg], []spec.WorkItem[clocks.Msg], error) {
			p, err := clocks.New(clocks.Params{N: params["n"], Events: params["events"], Mutant: mutant})
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
