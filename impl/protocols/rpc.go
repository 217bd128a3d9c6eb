package protocols

import (
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/spec/rpc"
)

func init() {
	register(entry("rpc",
		"the application's calls, one after the other, each waiting until it returns or the client gives up; timeout 5–10 ms; checks the guarantees the semantics promises",
		nil, rpcTarget))
	register(entry("broadcast",
		"each node's broadcasts, a few milliseconds apart; fan-out resends every 5–10 ms; checks the guarantees of the algorithm's level",
		nil, broadcastTarget))
}

func rpcTarget(params map[string]int, mutant string) (*Target[rpc.State, rpc.Msg], error) {
	sem := rpc.Semantics(params["sem"])
	p, err := rpc.New(rpc.Params{Semantics: sem, Ops: params["ops"], Retries: params["retries"], Mutant: mutant})
	if err != nil {
		return nil, err
	}
	return &Target[rpc.State, rpc.Msg]{
		Name: "rpc", Protocol: p, Work: p.Workload(),
		Properties: named(rpc.Properties(), append(sem.Guarantees(), sem.Witnesses()...)),
		Timers:     map[string]impl.TimerSpec{"timeout": {Base: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}},
		Replies: impl.Replies[rpc.Msg]{
			Key: func(req rpc.Msg) uint64 { return uint64(req.Call) },
			Reply: func(_ spec.NodeID, obs rpc.Msg) (uint64, bool) {
				return uint64(obs.Call), obs.Kind == rpc.Returned || obs.Kind == rpc.GaveUp
			},
		},
	}, nil
}

func broadcastTarget(params map[string]int, mutant string) (*Target[broadcast.State, broadcast.Msg], error) {
	bp := broadcast.Params{
		Algorithm: broadcast.Algorithm(params["algo"]), N: params["n"], Fanout: min(params["fanout"], params["n"]-1),
		Retries: params["retries"], Machine: broadcast.Machine(params["machine"]), Mutant: mutant,
	}
	for i := range broadcast.MaxNodes {
		bp.Sends[i] = params["b"+string(rune('0'+i))]
	}
	p, err := broadcast.New(bp)
	if err != nil {
		return nil, err
	}
	level, _ := broadcast.LevelOf(bp.Algorithm)
	props := broadcast.Properties()
	return &Target[broadcast.State, broadcast.Msg]{
		Name: "broadcast", Protocol: p, Work: p.Workload(),
		Properties: named(props, append(append(level.Guarantees(), broadcast.PropConvergence), sometimes(props)...)),
		Timers:     map[string]impl.TimerSpec{"resend": {Base: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}},
	}, nil
}
