package protocols

import (
	"slices"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/atomiccommit"
)

func init() {
	e := entry("atomiccommit",
		"one transaction per round: the client asks the coordinator to commit it, the coordinator sends Prepare, each participant votes yes or no at random (seeded), the coordinator commits or aborts; vote timeout 20–30 ms, decision timeout 20–30 ms, after which a prepared participant asks the coordinator again, without bound unless -queries is set; checks the catalog's properties",
		atomiccommitTimers, atomiccommitTarget)
	// A prepared participant queries until it hears the outcome, unless
	// -queries bounds it as in the checker.
	e.Bounds = []string{"queries"}
	register(e)
}

// atomiccommitTimers: the coordinator's wait for the votes and a prepared
// participant's wait for the outcome, both 20–30 ms.
var atomiccommitTimers = map[string]impl.TimerSpec{
	"vote-timeout":     {Base: 20 * time.Millisecond, Jitter: 10 * time.Millisecond},
	"decision-timeout": {Base: 20 * time.Millisecond, Jitter: 10 * time.Millisecond},
}

func atomiccommitTarget(params map[string]int, mutant string) (*Target[atomiccommit.State, atomiccommit.Msg], error) {
	p, err := atomiccommit.New(catalog.AtomicCommitParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// With its queries bounded, a prepared participant whose last query or
	// its answer is lost waits for ever: none-in-doubt is promised only
	// when it asks until it hears the outcome.
	props := atomiccommit.Properties()
	if p.Params().Queries >= 0 {
		props = slices.DeleteFunc(props, func(q spec.Property[atomiccommit.State, atomiccommit.Msg]) bool {
			return q.Name == atomiccommit.PropNoneInDoubt
		})
	}
	return &Target[atomiccommit.State, atomiccommit.Msg]{
		Name: "atomiccommit", Protocol: p, Work: p.Workload(),
		Properties: props,
		Timers:     atomiccommitTimers,
		// The client's Begin is answered by the coordinator's decision.
		Replies: impl.Replies[atomiccommit.Msg]{
			Key: func(atomiccommit.Msg) uint64 { return 0 },
			Reply: func(node spec.NodeID, obs atomiccommit.Msg) (uint64, bool) {
				return 0, node == atomiccommit.Coordinator && obs.Kind == atomiccommit.Decided
			},
		},
	}, nil
}
