package protocols

import (
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/spec/rpc"
)

func init() {
	register(entry("rpc",
		"the application's calls, one after the other, each waiting until it returns or the client gives up; timeout 5–10 ms; checks the guarantees the semantics promises",
		rpcTimers, rpcTarget))
	register(entry("broadcast",
		"each node's broadcasts, a few milliseconds apart; fan-out resends every 5–10 ms; checks the guarantees of the algorithm's level",
		broadcastTimers, broadcastTarget))
}

// rpcTimers: the client's timeout, 5–10 ms.
var rpcTimers = map[string]impl.TimerSpec{"timeout": {Base: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}}

// broadcastTimers: the fan-out's resend, every 5–10 ms.
var broadcastTimers = map[string]impl.TimerSpec{"resend": {Base: 5 * time.Millisecond, Jitter: 5 * time.Millisecond}}

func rpcTarget(params map[string]int, mutant string) (*Target[rpc.State, rpc.Msg], error) {
	rp := catalog.RPCParams(params, mutant)
	sem := rp.Semantics
	p, err := rpc.New(rp)
	if err != nil {
		return nil, err
	}
	props := named(rpc.Properties(), append(sem.Guarantees(), sem.Witnesses()...))
	var expected []string
	if len(p.Workload()) > 0 {
		expected = present(props, "call-returns")
	}
	return &Target[rpc.State, rpc.Msg]{
		Name: "rpc", Protocol: p, Work: p.Workload(),
		Properties: props, Expected: expected,
		Timers: rpcTimers,
		Replies: impl.Replies[rpc.Msg]{
			Key: func(req rpc.Msg) uint64 { return uint64(req.Call) },
			Reply: func(_ spec.NodeID, obs rpc.Msg) (uint64, bool) {
				return uint64(obs.Call), obs.Kind == rpc.Returned || obs.Kind == rpc.GaveUp
			},
		},
	}, nil
}

func broadcastTarget(params map[string]int, mutant string) (*Target[broadcast.State, broadcast.Msg], error) {
	bp := catalog.BroadcastParams(params, mutant)
	p, err := broadcast.New(bp)
	if err != nil {
		return nil, err
	}
	level, _ := broadcast.LevelOf(bp.Algorithm)
	props := named(broadcast.Properties(), append(append(level.Guarantees(), broadcast.PropConvergence), sometimes(broadcast.Properties())...))
	// Every message broadcast reaches every node, and two nodes that
	// broadcast do so concurrently; a causal chain hangs on timing.
	var expected []string
	if senders := distinctNodes(p.Workload()); senders > 0 {
		expected = present(props, "all-delivered")
		if senders > 1 {
			expected = append(expected, present(props, "concurrent-broadcasts")...)
		}
	}
	return &Target[broadcast.State, broadcast.Msg]{
		Name: "broadcast", Protocol: p, Work: p.Workload(),
		Properties: props, Expected: expected,
		Timers: broadcastTimers,
	}, nil
}
