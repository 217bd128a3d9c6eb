package catalog

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
)

func init() { register(broadcastEntry()) }

func broadcastEntry() *Entry {
	var algos, machines []string
	for _, a := range broadcast.Algorithms() {
		algos = append(algos, a.String())
	}
	for _, m := range broadcast.Machines() {
		machines = append(machines, m.String())
	}
	d := broadcast.DefaultParams(broadcast.Eager)
	e := &Entry{
		Name:    "broadcast",
		Summary: "the broadcast hierarchy (best-effort … FIFO-total order) and state machine replication",
		Section: "4.2, 4.3, 5.3",
		Params: []Param{
			{Name: "n", Doc: "nodes", Default: d.N, Min: 2, Max: broadcast.MaxNodes},
			{Name: "algo", Doc: "algorithm", Default: int(broadcast.Eager), Max: len(algos) - 1, Choices: algos},
		},
		Mutants: broadcast.Mutants,
	}
	for i := range broadcast.MaxNodes {
		e.Params = append(e.Params, Param{Name: fmt.Sprintf("b%d", i), Doc: fmt.Sprintf("messages node %d broadcasts", i), Default: d.Sends[i], Max: broadcast.MaxPerNode})
	}
	e.Params = append(e.Params,
		Param{Name: "fanout", Doc: "peers a gossip round forwards to", Default: d.Fanout, Min: 1, Max: broadcast.MaxNodes - 1},
		Param{Name: "retries", Doc: "resends per message (fanout)", Default: d.Retries, Max: 3},
		Param{Name: "machine", Doc: "replicated state machine fed by the deliveries", Default: int(broadcast.None), Max: len(machines) - 1, Choices: machines},
	)
	return nodeProtocol[broadcast.State, broadcast.Msg]{
		props: broadcast.Properties(),
		// A check proves what the algorithm's level promises (and the
		// state machine's convergence, and the sometimes properties); -all
		// and the hierarchy also show what it does not promise.
		choose: func(params map[string]int) []string {
			level, _ := broadcast.LevelOf(broadcast.Algorithm(params["algo"]))
			names := append(level.Guarantees(), broadcast.PropConvergence)
			for _, p := range broadcast.Properties() {
				if p.Kind == spec.Sometimes {
					names = append(names, p.Name)
				}
			}
			return names
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[broadcast.State, broadcast.Msg], []spec.WorkItem[broadcast.Msg], error) {
			proto, err := broadcast.New(BroadcastParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return proto, proto.Workload(), nil
		},
	}.install(e)
}
