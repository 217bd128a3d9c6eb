package protocols

import (
	"fmt"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/raft"
)

func init() {
	r := entry("raft",
		"each client request goes to its node and waits until some node delivers its value; election timeouts 30–60 ms, heartbeats every 10 ms; terms, heartbeats and the log unbounded, every node a candidate, unless -maxterm, -beats or -candidates say otherwise",
		RaftTimers, raftTarget)
	r.Bounds = RaftBounds
	register(r)
	k := entry("kv",
		"each operation of the scenario is sent by its own client, which retries it with the same request id at the leader it last saw or the next node; the client history is checked for linearizability; terms, heartbeats and the log unbounded, every node a candidate, unless -maxterm, -beats or -candidates say otherwise",
		RaftTimers, kvTarget)
	k.Bounds = RaftBounds
	register(k)
}

// RaftBounds are Raft's catalog parameters that bound the checker's
// search, not the protocol: the highest term, the heartbeats per term,
// the nodes that stand for election. A run lifts them (Entry.Bounds): a
// crash of the leader in the last allowed term, or a restart from disk
// in it, would otherwise leave a cluster that can never elect again, and
// a leader out of heartbeats could never resend what the network lost.
var RaftBounds = []string{"maxterm", "beats", "candidates"}

// liftBounds returns rp without the bounds that params lift (a negative
// value: see RaftBounds), and without the log's bound, which the checker
// alone needs.
func liftBounds(rp raft.Params, params map[string]int) raft.Params {
	if params["maxterm"] < 0 {
		rp.MaxTerm = -1
	}
	if params["beats"] < 0 {
		rp.MaxBeats = -1
	}
	if params["candidates"] < 0 {
		rp.Candidates = rp.N
	}
	rp.MaxLog = -1
	return rp
}

// RaftTimers are Raft's timer durations in the runtime: an election
// timeout of 30 ms plus up to 30 ms of jitter, a heartbeat every 10 ms,
// and a batching leader's flush (-batch 1) idle: it fires once the leader
// has handled every request waiting in its inbox (impl.TimerSpec.Idle).
var RaftTimers = map[string]impl.TimerSpec{
	"election":  {Base: 30 * time.Millisecond, Jitter: 30 * time.Millisecond},
	"heartbeat": {Base: 10 * time.Millisecond},
	"flush":     {Idle: true},
}

func raftTarget(params map[string]int, mutant string) (*Target[raft.State, raft.Msg], error) {
	p, err := raft.New(liftBounds(catalog.RaftParams(params, mutant), params))
	if err != nil {
		return nil, err
	}
	return RaftTarget(p, p.Workload()), nil
}

// RaftTarget runs Raft p with workload work: a request's reply is the
// first delivery of its value, at any node.
func RaftTarget(p *raft.Protocol, work []spec.WorkItem[raft.Msg]) *Target[raft.State, raft.Msg] {
	expected := []string{raft.ReachLeaderElected}
	if len(work) > 0 {
		expected = append(expected, raft.ReachCommittedEverywhere)
	}
	return &Target[raft.State, raft.Msg]{
		Name: "raft", Protocol: p, Work: work, Properties: raft.PropertiesFor(p.Params()), Expected: expected, Timers: RaftTimers,
		Replies: impl.Replies[raft.Msg]{
			Key: func(req raft.Msg) uint64 { return uint64(uint8(req.Val)) },
			Reply: func(_ spec.NodeID, obs raft.Msg) (uint64, bool) {
				return uint64(uint8(obs.Val)), obs.Kind == raft.Delivered
			},
			Leader: raftLeader,
		},
	}
}

func raftLeader(_ spec.NodeID, obs raft.Msg) (spec.NodeID, bool) {
	return spec.NodeID(obs.From), obs.Kind == raft.BecameLeader
}

func kvTarget(params map[string]int, mutant string) (*Target[kv.State, kv.Msg], error) {
	kp := catalog.KVParams(params, mutant)
	kp.Raft = liftBounds(kp.Raft, params)
	p, err := kv.New(kp)
	if err != nil {
		return nil, err
	}
	return KVTarget(p, kv.Scenarios[kp.Scenario]), nil
}

// KVTarget runs the store p on the operations ops (its scenario's): each
// distinct request id once, sent to its node by its own client, which
// retries it — same request id — at the last leader seen or the next
// node (a scenario's second copy of an id is such a retry).
func KVTarget(p *kv.Protocol, ops []kv.Op) *Target[kv.State, kv.Msg] {
	byID := map[int8]kv.Op{}
	var work []spec.WorkItem[kv.Msg]
	var servers []spec.NodeID
	for i := range p.Nodes() {
		servers = append(servers, spec.NodeID(i))
	}
	for _, op := range ops {
		if _, seen := byID[op.ID]; seen {
			continue
		}
		byID[op.ID] = op
		work = append(work, spec.WorkItem[kv.Msg]{Node: spec.NodeID(op.Node), Choices: []kv.Msg{{KV: kv.Request, ID: op.ID}}})
	}
	return &Target[kv.State, kv.Msg]{
		Name: "kv", Protocol: p, Work: work, Properties: named(kv.Properties(p), p.Checked()), Timers: RaftTimers,
		Expected: []string{"all-replied"},
		Servers:  servers,
		Replies: impl.Replies[kv.Msg]{
			Key: func(req kv.Msg) uint64 { return uint64(uint8(req.ID)) },
			Reply: func(_ spec.NodeID, obs kv.Msg) (uint64, bool) {
				return uint64(uint8(obs.ID)), obs.KV == kv.Replied
			},
			Leader: func(node spec.NodeID, obs kv.Msg) (spec.NodeID, bool) { return raftLeader(node, obs.Raft) },
		},
		Linearizable: kvModel(byID),
	}
}

// kvModel is the store's sequential specification: two keys holding 0
// initially; put stores, get reads, cas swaps if the value matches (1 on
// success).
func kvModel(byID map[int8]kv.Op) *Linearizable[kv.Msg] {
	type store [kv.Keys]int8
	return &Linearizable[kv.Msg]{
		Model: porcupine.Model{
			Init: func() any { return store{} },
			Step: func(state, input, output any) (bool, any) {
				st, op := state.(store), input.(kv.Op)
				var r int8
				switch op.Kind {
				case kv.Put:
					st[op.Key] = op.A
				case kv.Get:
					r = st[op.Key]
				case kv.Cas:
					if st[op.Key] == op.A {
						st[op.Key], r = op.B, 1
					}
				}
				if _, unknown := output.(Unknown); unknown {
					return true, st
				}
				return output.(int8) == r, st
			},
			DescribeOperation: func(input, output any) string {
				op := input.(kv.Op)
				if _, unknown := output.(Unknown); unknown {
					return op.String() + " → ?"
				}
				return fmt.Sprintf("%s → %s", op, op.Result(output.(int8)))
			},
			DescribeState: func(state any) string { st := state.(store); return fmt.Sprintf("k0=%d k1=%d", st[0], st[1]) },
		},
		Input:    func(req kv.Msg) any { return byID[req.ID] },
		Output:   func(reply kv.Msg) any { return reply.Result },
		ReadOnly: func(req kv.Msg) bool { return byID[req.ID].Kind == kv.Get },
	}
}
