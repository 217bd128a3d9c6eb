package clocks

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Bounds on Params.
const (
	MinNodes  = 2
	MaxNodes  = 6
	MinEvents = 1
	MaxEvents = 8
)

// Params configures the protocol and its workload.
type Params struct {
	// N is the number of nodes, MinNodes..MaxNodes.
	N int
	// Events is the number of work items per node, MinEvents..MaxEvents:
	// each lets the node do one event, a local event or a send to any
	// other node, and the checker tries every choice.
	Events int
	// Mutant is "" for the correct protocol or the name of one of Mutants.
	Mutant string
}

// DefaultParams is a configuration whose exhaustive check, with the ghost
// happens-before the properties need, takes well under a second and reaches
// every sometimes property: 2 nodes doing 3 events each (44,171 states; see
// the table in the package documentation).
func DefaultParams() Params { return Params{N: 2, Events: 3} }

// New validates p and returns the protocol it describes.
func New(p Params) (*Protocol, error) {
	if p.N < MinNodes || p.N > MaxNodes {
		return nil, fmt.Errorf("clocks: N = %d nodes, want %d..%d", p.N, MinNodes, MaxNodes)
	}
	if p.Events < MinEvents || p.Events > MaxEvents {
		return nil, fmt.Errorf("clocks: Events = %d per node, want %d..%d", p.Events, MinEvents, MaxEvents)
	}
	if p.Mutant != "" && !isMutant(p.Mutant) {
		names := make([]string, len(Mutants))
		for i, m := range Mutants {
			names[i] = m.Name
		}
		return nil, fmt.Errorf("clocks: Mutant = %q, want \"\" or one of %s", p.Mutant, strings.Join(names, ", "))
	}
	return &Protocol{p: p}, nil
}

// Workload returns Events work items per node, in node order. Each offers
// the choices DoLocal and DoSend to every other node, so the checker
// explores every pattern of local events and messages.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	var work []spec.WorkItem[Msg]
	for i := range p.p.N {
		id := spec.NodeID(i)
		choices := []Msg{{Kind: DoLocal}}
		for j := range p.p.N {
			if j != i {
				choices = append(choices, Msg{Kind: DoSend, Peer: spec.NodeID(j)})
			}
		}
		for range p.p.Events {
			work = append(work, spec.WorkItem[Msg]{Node: id, Choices: choices})
		}
	}
	return work
}

// Mutants are the known-buggy variants the checker must catch. Breaks names
// the property the checker reports: Properties are checked in order on each
// step, so a step that breaks several is reported under the first, and
// breadth-first search reports a shortest counterexample. The tests check
// Breaks in every configuration with N ≤ 4 and Events ≤ 3, and find one
// exception: with N = 2 and Events = 1, vector-overwrite's shortest
// counterexample gives two concurrent receives the same vector, which is
// reported as vector-unique.
var Mutants = []spec.Mutant{
	{
		Name:   "lamport-no-max",
		Doc:    "a receive sets L := L+1, ignoring the sender's L",
		Breaks: "lamport-consistent",
	},
	{
		Name:   "receive-no-increment",
		Doc:    "a receive takes the max of both clocks but does not tick: it is no event of its own",
		Breaks: "lamport-consistent",
	},
	{
		Name:   "vector-overwrite",
		Doc:    "a receive overwrites V with the sender's vector instead of taking the entrywise max, then ticks",
		Breaks: "vector-consistent",
	},
	{
		Name:   "lamport-local-no-tick",
		Doc:    "a local event does not tick L (only messages move it), so two events of one node can share (L, node)",
		Breaks: "lamport-unique",
	},
	{
		Name:   "vector-receive-no-tick",
		Doc:    "a receive takes the entrywise max of the vectors but does not tick its own entry (Lamport is right)",
		Breaks: "vector-unique",
	},
}

func isMutant(name string) bool {
	for _, m := range Mutants {
		if m.Name == name {
			return true
		}
	}
	return false
}
