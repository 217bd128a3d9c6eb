package broadcast

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Algorithm names a broadcast algorithm (course 4.3).
type Algorithm uint8

// The algorithms, weakest first.
const (
	// BestEffort sends the message once to every node.
	BestEffort Algorithm = iota
	// FanOut sends to every node and resends to the ones that have not
	// acknowledged, on a timer: reliable links out of fair-loss ones, yet
	// not reliable broadcast — the sender may crash mid-way.
	FanOut
	// Eager re-sends every message to everyone on first receipt: reliable
	// broadcast, O(n²) messages.
	Eager
	// Gossip forwards every message, on first receipt, to Fanout peers the
	// node chooses (every choice is explored).
	Gossip
	// FIFO is eager reliable broadcast with per-origin sequence numbers and a
	// hold-back buffer: each origin's messages are delivered in order.
	FIFO
	// Causal is eager reliable broadcast with dependency vectors of
	// delivered counts: a message waits for everything its sender had
	// delivered (or sent) before it.
	Causal
	// Sequencer sends every message to a fixed leader (node 0), which numbers
	// it and broadcasts the number: total order.
	Sequencer
	// Lamport orders messages by (Lamport timestamp, origin) and delivers one
	// once every other node has sent something later: total order over FIFO
	// links.
	Lamport
	// FIFOTotal is the sequencer that numbers each origin's messages in
	// their sequence order: FIFO-total order.
	FIFOTotal
	numAlgorithms
)

var algorithmNames = [...]string{"besteffort", "fanout", "eager", "gossip", "fifo", "causal", "sequencer", "lamport", "fifo-total"}

func (a Algorithm) String() string {
	if a < numAlgorithms {
		return algorithmNames[a]
	}
	return fmt.Sprintf("Algorithm(%d)", a)
}

// Algorithms lists every algorithm, weakest first.
func Algorithms() []Algorithm {
	out := make([]Algorithm, numAlgorithms)
	for i := range out {
		out[i] = Algorithm(i)
	}
	return out
}

// ParseAlgorithm parses an algorithm's name.
func ParseAlgorithm(s string) (Algorithm, error) {
	for i, n := range algorithmNames {
		if n == s {
			return Algorithm(i), nil
		}
	}
	return 0, fmt.Errorf("broadcast: unknown algorithm %q (want %s)", s, strings.Join(algorithmNames[:], ", "))
}

// Params configures a broadcast system.
type Params struct {
	Algorithm Algorithm
	// N is the number of nodes, 2..MaxNodes.
	N int
	// Sends[i] is how many messages node i broadcasts, 0..MaxPerNode.
	Sends [MaxNodes]int
	// Fanout is how many peers a gossip round forwards to (Gossip), 1..N-1.
	Fanout int
	// Retries bounds the resends of FanOut per message, 0..3.
	Retries int
	// Machine is the replicated state machine the delivered messages update
	// (None: no state machine).
	Machine Machine
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams: three nodes, node 0 broadcasts twice and node 1 once, so
// that FIFO, causal and total order each have something to get wrong.
func DefaultParams(a Algorithm) Params {
	return Params{Algorithm: a, N: 3, Sends: [MaxNodes]int{2, 1}, Fanout: 1, Retries: 1}
}

// Protocol is a broadcast algorithm on Params.N nodes. It implements
// spec.Protocol[State, Msg] and spec.Chooser[State, Msg].
type Protocol struct {
	p      Params
	mutant mutant
}

var (
	_ spec.Protocol[State, Msg] = (*Protocol)(nil)
	_ spec.Chooser[State, Msg]  = (*Protocol)(nil)
)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Algorithm >= numAlgorithms:
		return nil, fmt.Errorf("broadcast: unknown algorithm %d", p.Algorithm)
	case p.N < 2 || p.N > MaxNodes:
		return nil, fmt.Errorf("broadcast: N = %d nodes, want 2..%d", p.N, MaxNodes)
	case p.Algorithm == Gossip && (p.Fanout < 1 || p.Fanout > p.N-1):
		return nil, fmt.Errorf("broadcast: Fanout = %d, want 1..%d (N-1)", p.Fanout, p.N-1)
	case p.Retries < 0 || p.Retries > 3:
		return nil, fmt.Errorf("broadcast: Retries = %d, want 0..3", p.Retries)
	case p.Machine >= numMachines:
		return nil, fmt.Errorf("broadcast: unknown state machine %d", p.Machine)
	}
	total := 0
	for i, k := range p.Sends {
		if k < 0 || k > MaxPerNode {
			return nil, fmt.Errorf("broadcast: Sends[%d] = %d, want 0..%d", i, k, MaxPerNode)
		}
		if k > 0 && i >= p.N {
			return nil, fmt.Errorf("broadcast: Sends[%d] = %d, but there are only %d nodes", i, k, p.N)
		}
		total += k
	}
	if total == 0 {
		return nil, fmt.Errorf("broadcast: no node broadcasts anything (Sends all 0)")
	}
	if algorithms[p.Algorithm].receive == nil {
		return nil, fmt.Errorf("broadcast: algorithm %s has no implementation registered", p.Algorithm)
	}
	mu, err := parseMutant(p.Algorithm, p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mutant: mu}, nil
}

// Params returns the configuration.
func (p *Protocol) Params() Params { return p.p }

// Nodes is the number of nodes.
func (p *Protocol) Nodes() int { return p.p.N }

// Workload is Sends[i] broadcast requests for each node i.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	var w []spec.WorkItem[Msg]
	for i := range p.p.N {
		for range p.p.Sends[i] {
			w = append(w, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: []Msg{{Kind: Broadcast}}})
		}
	}
	return w
}
