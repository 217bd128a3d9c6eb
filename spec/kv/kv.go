package kv

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// OpKind is a client operation.
type OpKind uint8

// The operations.
const (
	Put OpKind = iota + 1 // Put(key, a): store a
	Get                   // Get(key): the stored value (0 if none)
	Cas                   // Cas(key, a, b): store b if the value is a; 1 on success, 0 otherwise
)

// Op is one client operation of the workload. Its ID (from 1) is also its
// request id: a retried operation is sent again with the same ID.
type Op struct {
	ID   int8
	Kind OpKind
	Key  int8
	A, B int8
	// Node is where the client sends it (it is forwarded to the leader).
	Node int8
}

func (o Op) String() string {
	switch o.Kind {
	case Put:
		return fmt.Sprintf("#%d put(k%d, %d)", o.ID, o.Key, o.A)
	case Get:
		return fmt.Sprintf("#%d get(k%d)", o.ID, o.Key)
	}
	return fmt.Sprintf("#%d cas(k%d, %d→%d)", o.ID, o.Key, o.A, o.B)
}

// Result describes the result r of o as its client sees it.
func (o Op) Result(r int8) string {
	switch o.Kind {
	case Put:
		return "ok"
	case Cas:
		if r == 1 {
			return "swapped"
		}
		return "failed"
	}
	return fmt.Sprint(r)
}

// Keys is how many keys there are; MaxOps bounds a workload.
const (
	Keys   = 2
	MaxOps = 6
)

// Store is the replicated state machine: one value per key.
type Store [Keys]int8

// apply runs op sequentially on st: the specification both the replicas
// and the linearizability check use.
func apply(st Store, op Op) (Store, int8) {
	switch op.Kind {
	case Put:
		st[op.Key] = op.A
		return st, 0
	case Get:
		return st, st[op.Key]
	}
	if st[op.Key] == op.A {
		st[op.Key] = op.B
		return st, 1
	}
	return st, 0
}

// Scenarios name workloads. Each sends its operations to different nodes.
var Scenarios = map[string][]Op{
	// A put and a read at two other nodes: the read must see the put once
	// the put has been answered.
	"basic": {
		{ID: 1, Kind: Put, Key: 0, A: 1, Node: 0},
		{ID: 2, Kind: Get, Key: 0, Node: 1},
	},
	// A put, a compare-and-swap that depends on it, and a read.
	"cas": {
		{ID: 1, Kind: Put, Key: 0, A: 1, Node: 0},
		{ID: 2, Kind: Cas, Key: 0, A: 1, B: 2, Node: 1},
		{ID: 3, Kind: Get, Key: 0, Node: 2},
	},
	// A compare-and-swap's client times out and sends it again, with the
	// same request id, to another node: both copies reach the log. Without
	// deduplication the second copy is applied too, fails, and the retry is
	// answered "failed" for a swap that took effect.
	"retry": {
		{ID: 1, Kind: Cas, Key: 0, A: 0, B: 1, Node: 0},
		{ID: 1, Kind: Cas, Key: 0, A: 0, B: 1, Node: 1},
	},
}

// ScenarioNames lists Scenarios in a fixed order.
var ScenarioNames = []string{"basic", "cas", "retry"}

// Params configures the replicated store.
type Params struct {
	// Raft configures the log underneath; its Requests and Mutant are
	// ignored (the scenario decides the requests).
	Raft     raft.Params
	Scenario string
	// Mutant is "" or one of Mutants.
	Mutant string
}

// DefaultParams: the "basic" scenario on three nodes with one candidate up
// to term 1 — the log is the point here, not elections.
func DefaultParams() Params {
	return Params{Raft: raft.Params{N: 3, MaxTerm: 1, Candidates: 1, MaxBeats: 1}, Scenario: "basic"}
}

// Protocol is the key-value store replicated by Raft.
type Protocol struct {
	p      Params
	raft   *raft.Protocol
	ops    []Op
	byID   [MaxOps + 1]Op
	mutant mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	ops, ok := Scenarios[p.Scenario]
	if !ok {
		return nil, fmt.Errorf("kv: unknown scenario %q (want %s)", p.Scenario, strings.Join(ScenarioNames, ", "))
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	rp := p.Raft
	rp.Requests, rp.Mutant = 0, ""
	kp := &Protocol{p: p, ops: ops, mutant: mu}
	r, err := raft.NewWithMachine(rp, machine{kp})
	if err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	kp.raft = r
	for _, op := range ops {
		if int(op.Node) >= rp.N {
			return nil, fmt.Errorf("kv: scenario %q sends #%d to node %d of %d", p.Scenario, op.ID, op.Node, rp.N)
		}
		kp.byID[op.ID] = op
	}
	return kp, nil
}

// Nodes is the number of nodes.
func (p *Protocol) Nodes() int { return p.raft.Nodes() }

// Raft returns the log protocol underneath.
func (p *Protocol) Raft() *raft.Protocol { return p.raft }

// Workload sends each operation of the scenario to its node.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	var w []spec.WorkItem[Msg]
	for _, op := range p.ops {
		w = append(w, spec.WorkItem[Msg]{Node: spec.NodeID(op.Node), Choices: []Msg{{KV: Request, ID: op.ID}}})
	}
	return w
}
