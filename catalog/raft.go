package catalog

import (
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

func init() { register(raftEntry()) }

func raftEntry() *Entry {
	d := raft.DefaultParams()
	e := &Entry{
		Name:    "raft",
		Summary: "Raft consensus: elections, log replication, commit, crash-recovery",
		Section: "6.1, 6.2",
		Params: []Param{
			{Name: "n", Doc: "nodes", Default: d.N, Min: 1, Max: raft.MaxNodes},
			{Name: "maxterm", Doc: "no election beyond this term", Default: d.MaxTerm, Min: 1, Max: 7},
			{Name: "candidates", Doc: "nodes 0..k-1 may stand for election", Default: d.Candidates, Min: 1, Max: raft.MaxNodes},
			{Name: "requests", Doc: "client requests (request k goes to node (k-1) mod n)", Default: d.Requests, Max: 4},
			{Name: "beats", Doc: "heartbeats a leader sends per term", Default: d.MaxBeats, Max: 3},
		},
		Mutants: raft.Mutants,
		// Per-link FIFO keeps the space small; duplications still replay old
		// messages out of order, and one crash with recovery exercises the
		// persisted state.
		DefaultModel: "-network fifo -crashes 1 -crash-mode recover",
	}
	return nodeProtocol[raft.State, raft.Msg]{
		props: raft.Properties(),
		vacuous: func(params map[string]int, m model.Config) []string {
			var skip []string
			if m.Crashes == 0 {
				skip = append(skip, raft.ReachLeaderReplaced)
			}
			if params["requests"] == 0 {
				skip = append(skip, raft.ReachCommittedEverywhere)
			}
			return skip
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[raft.State, raft.Msg], []spec.WorkItem[raft.Msg], error) {
			p, err := raft.New(RaftParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
