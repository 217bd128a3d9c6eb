package lease

import (
	"time"

	"github.com/distsys/distsys/cli"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// Entry declares the lock service to the modelcheck command line: its
// parameters, mutants and properties, how to build it, and how to run it.
func Entry() cli.Entry {
	return cli.Declare(cli.Protocol[State, Msg]{
		Name:    "lease",
		Summary: "a lock service with leases and fencing tokens, guarding a storage",
		Params: []cli.Param{
			{Name: "clients", Doc: "clients competing for the lock", Default: 2, Min: 1, Max: 3},
			{Name: "writes", Doc: "writes per client", Default: 1, Min: 0, Max: 2},
		},
		Mutants:     Mutants,
		Properties:  Properties(),
		Build:       build,
		Unreachable: unreachable,
		Run: &cli.Runtime[State, Msg]{
			Doc:    "each client writes its values one after the other, waiting for the storage's answer; leases last 20 ms",
			Timers: map[string]cli.TimerSpec{"lease": {Base: 20 * time.Millisecond}},
			Replies: cli.Replies[Msg]{
				Key: func(req Msg) uint64 { return uint64(req.Val) },
				Reply: func(_ spec.NodeID, obs Msg) (uint64, bool) {
					return uint64(obs.Val), obs.Kind == Done || obs.Kind == Fenced
				},
			},
			Expected: []string{ReachEveryoneWrote},
		},
	})
}

func build(params map[string]int, mutant string) (spec.Protocol[State, Msg], []spec.WorkItem[Msg], error) {
	p, err := New(Params{Clients: params["clients"], Writes: params["writes"], Mutant: mutant})
	if err != nil {
		return nil, nil, err
	}
	return p, p.Workload(), nil
}

// unreachable names the witnesses no check with these parameters reaches.
func unreachable(params map[string]int, _ model.Config) map[string]string {
	skip := map[string]string{}
	if params["writes"] == 0 {
		skip[ReachEveryoneWrote] = "no write (-writes 0)"
		skip[ReachStaleFenced] = "no write (-writes 0)"
	}
	if params["clients"] == 1 {
		skip[ReachStaleFenced] = "one client: no later lease writes before it"
	}
	return skip
}
