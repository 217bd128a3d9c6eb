package protocols

import (
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/paxosnode"
)

func init() {
	e := entry("paxosnode",
		"one consensus per round: the client asks every proposer to propose its value, the proposers duel with ballots round·p+id+1, retrying every 20–30 ms until a quorum accepted their ballot, without bound unless -tries is set; each proposer answers with the value it learned chosen; checks the catalog's properties",
		paxosnodeTimers, paxosnodeTarget)
	// A proposer retries until it learns the value chosen, unless -tries
	// bounds it as in the checker.
	e.Bounds = []string{"tries"}
	register(e)
}

// paxosnodeTimers: a proposer's wait before its next ballot, 20–30 ms.
var paxosnodeTimers = map[string]impl.TimerSpec{
	"retry": {Base: 20 * time.Millisecond, Jitter: 10 * time.Millisecond},
}

func paxosnodeTarget(params map[string]int, mutant string) (*Target[paxosnode.State, paxosnode.Msg], error) {
	p, err := paxosnode.New(catalog.PaxosNodeParams(params, mutant))
	if err != nil {
		return nil, err
	}
	props := p.Properties()
	if p.Params().Tries >= 0 {
		// With its ballots bounded a proposer whose last ballot a lost
		// message stalls gives up: termination is promised only when
		// proposers retry until they learn the value.
		props = named(props, []string{paxosnode.PropAgreement, paxosnode.PropValidity, paxosnode.PropLearned})
	}
	return &Target[paxosnode.State, paxosnode.Msg]{
		Name: "paxosnode", Protocol: p, Work: p.Workload(),
		Properties: props,
		Expected:   present(props, paxosnode.PropLearned),
		Timers:     paxosnodeTimers,
		// Proposer i proposes value i+1, and answers with the value it
		// learned chosen.
		Replies: impl.Replies[paxosnode.Msg]{
			Key: func(req paxosnode.Msg) uint64 { return uint64(req.Val) },
			Reply: func(node spec.NodeID, obs paxosnode.Msg) (uint64, bool) {
				return uint64(node) + 1, p.RoleOf(node) == paxosnode.Proposer && obs.Kind == paxosnode.Decided
			},
		},
	}, nil
}
