package catalog

import (
	"strconv"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/raft"
)

func init() { register(kvEntry()) }

func kvEntry() *Entry {
	d := kv.DefaultParams()
	def := 0
	for i, s := range kv.ScenarioNames {
		if s == d.Scenario {
			def = i
		}
	}
	e := &Entry{
		Name:    "kv",
		Summary: "a key-value store (put, get, cas) replicated by Raft, with request ids for exactly-once retries",
		Section: "5.1, 5.3, 6.2, 7.2",
		Params: []Param{
			{Name: "scenario", Doc: "the client operations (basic: put then get; cas: put, cas, get; retry: a cas sent twice)", Default: def, Max: len(kv.ScenarioNames) - 1, Choices: kv.ScenarioNames},
			{Name: "n", Doc: "nodes (a check at the other defaults exhausts 3; each node more multiplies its space; a run takes up to " + strconv.Itoa(raft.MaxNodes) + ")",
				Default: d.Raft.N, Min: 2, Max: raft.MaxNodes},
			{Name: "maxterm", Doc: "no election beyond this term", Default: d.Raft.MaxTerm, Min: 1, Max: 7},
			{Name: "candidates", Doc: "nodes 0..k-1 may stand for election", Default: d.Raft.Candidates, Min: 1, Max: raft.MaxNodes,
				Fits: atMost("candidates", "n", 0, "nodes 0..k-1 stand for election")},
			{Name: "beats", Doc: "heartbeats a leader sends per term (they carry the commit to followers)", Default: d.Raft.MaxBeats, Max: 3},
			{Name: "snapshot", Doc: "a node snapshots its store (map, applied ids, results) and compacts its log once this many committed entries are past the last snapshot (0: never)",
				Default: d.Raft.SnapshotEvery, Max: 1 << 20},
			{Name: "pipeline", Doc: "Raft's pipelined replication: at most this many entries past a follower's acknowledgement in flight (0: off)",
				Default: d.Raft.Pipeline, Max: 1 << 20},
			{Name: "batch", Doc: "1: Raft's leader batches client requests behind a flush timer (0: send at once)",
				Default: boolInt(d.Raft.Batch), Max: 1},
		},
		Mutants: kv.Mutants,
		// The Raft log underneath is exercised by the raft entry; here
		// per-link FIFO without faults keeps the client-level histories
		// (which linearizability needs in full) small.
		DefaultModel: "-network fifo",
	}
	def0, err := kv.New(d)
	if err != nil {
		panic(err) // the defaults are valid: kv's tests say so
	}
	build := func(params map[string]int, mutant string) (*kv.Protocol, error) {
		return kv.New(KVParams(params, mutant))
	}
	return nodeProtocol[kv.State, kv.Msg]{
		props: kv.Properties(def0),
		propsOf: func(p spec.Protocol[kv.State, kv.Msg]) []spec.Property[kv.State, kv.Msg] {
			return kv.Properties(p.(*kv.Protocol))
		},
		choose: func(params map[string]int) []string {
			p, err := build(params, "")
			if err != nil {
				return nil // the check reports the error when it builds the protocol
			}
			return p.Checked()
		},
		leftOut: func(params map[string]int, p spec.Property[kv.State, kv.Msg]) string {
			if p.Name == kv.PropRetryDeduplicated {
				return "the scenario sends no request twice (-scenario retry does)"
			}
			return ""
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[kv.State, kv.Msg], []spec.WorkItem[kv.Msg], error) {
			p, err := build(params, mutant)
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
