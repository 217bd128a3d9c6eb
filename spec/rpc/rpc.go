package rpc

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Semantics is a delivery semantics of a remote call (course 1.3, 5.1): what
// the client does on a timeout and what the server does with a request it
// has already executed.
type Semantics uint8

// The semantics.
const (
	// AtMostOnce sends a call once; on a timeout the client gives up. The
	// server executes every request it receives.
	AtMostOnce Semantics = iota
	// AtLeastOnce resends a call on each timeout, up to Params.Retries
	// times, and then waits. The server executes every request it receives.
	AtLeastOnce
	// ExactlyOnce resends like AtLeastOnce, and the server keeps a table of
	// the request ids it has executed (persisted, like its data): a
	// duplicate is answered without being executed again.
	ExactlyOnce
	// Idempotent resends like AtLeastOnce, with no table; instead the
	// operation is idempotent: call k sets the register to k, so executing
	// it twice in a row is executing it once.
	Idempotent
	numSemantics
)

var semanticsNames = [...]string{"at-most-once", "at-least-once", "exactly-once", "idempotent"}

// String returns the semantics' name, as the -sem flag writes it.
func (s Semantics) String() string {
	if s < numSemantics {
		return semanticsNames[s]
	}
	return fmt.Sprintf("Semantics(%d)", s)
}

// AllSemantics lists every semantics, in the order of the constants.
func AllSemantics() []Semantics {
	out := make([]Semantics, numSemantics)
	for i := range out {
		out[i] = Semantics(i)
	}
	return out
}

// Retries reports whether the client resends a call on a timeout.
func (s Semantics) Retries() bool { return s != AtMostOnce }

// Dedup reports whether the server keeps a table of executed request ids.
func (s Semantics) Dedup() bool { return s == ExactlyOnce }

// MaxOps is the largest number of calls in a workload.
const MaxOps = 3

// MaxRetries is the largest retry budget.
const MaxRetries = 3

// Params configure a client, a server and the workload.
type Params struct {
	Semantics Semantics
	// Ops is the number of calls the client makes, one after the other
	// (1..MaxOps). Call k increments the server's register, or under
	// Idempotent sets it to k.
	Ops int
	// Retries is how many times a retrying client resends a call on a
	// timeout (0..MaxRetries); AtMostOnce ignores it. It stands for "retry
	// forever" up to the faults of the model: a call gets through when no
	// more than Retries of its messages are lost.
	Retries int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are exactly-once calls, two in a row, one retry each.
func DefaultParams() Params {
	return Params{Semantics: ExactlyOnce, Ops: 2, Retries: 1}
}

// Protocol is a server (node 0) and a client (node 1) under Params. It
// implements spec.Protocol[State, Msg].
type Protocol struct {
	p      Params
	mutant mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// Server and Client are the two nodes.
const (
	Server spec.NodeID = 0
	Client spec.NodeID = 1
)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Semantics >= numSemantics:
		return nil, fmt.Errorf("rpc: Semantics = %d, want one of %s", p.Semantics, strings.Join(semanticsNames[:], ", "))
	case p.Ops < 1 || p.Ops > MaxOps:
		return nil, fmt.Errorf("rpc: Ops = %d, want 1..%d", p.Ops, MaxOps)
	case p.Retries < 0 || p.Retries > MaxRetries:
		return nil, fmt.Errorf("rpc: Retries = %d, want 0..%d", p.Retries, MaxRetries)
	}
	mu, err := parseMutant(p.Semantics, p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mutant: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (p *Protocol) Params() Params { return p.p }

// Nodes is the server and the client.
func (p *Protocol) Nodes() int { return 2 }

// Workload is Ops calls issued to the client, in order.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	work := make([]spec.WorkItem[Msg], p.p.Ops)
	for k := range work {
		work[k] = spec.WorkItem[Msg]{Node: Client, Choices: []Msg{{Kind: CallReq, Call: uint8(k + 1)}}}
	}
	return work
}

// Role is what a node does.
type Role uint8

// The roles.
const (
	ServerRole Role = iota
	ClientRole
)

// State is one node's state; the fields of the other role stay zero.
//
// Persisted (kept by Crash): the server's register and table, and the
// whole client — its calls survive a crash and are resent on recovery, as
// a client with a durable outbox does. Under the mutant volatile-dedup the
// server loses its table; under volatile-client the client loses the call
// in progress and carries on with the next.
type State struct {
	Role Role
	// X is the server's register: the data the calls change (0 initially).
	X int8
	// Table has bit id set once the server executed request id
	// (ExactlyOnce only).
	Table uint16

	// Issued is the number of calls the application has issued to the
	// client; Done the number that have finished (returned or given up).
	Issued, Done uint8
	// Cur is the call in progress (Done+1), or 0 when the client is idle.
	Cur uint8
	// Tries is how many times Cur has been resent on a timeout.
	Tries uint8
}

// Init returns node id's initial state.
func (p *Protocol) Init(id spec.NodeID) State {
	if id == Client {
		return State{Role: ClientRole}
	}
	return State{Role: ServerRole}
}

// Crash keeps the persisted part of s (see State).
func (p *Protocol) Crash(s State) State {
	switch {
	case s.Role == ServerRole && p.mutant == volatileDedup:
		s.Table = 0
	case s.Role == ClientRole && p.mutant == volatileClient && s.Cur != 0:
		s.Done, s.Cur, s.Tries = s.Cur, 0, 0
	}
	return s
}

// The client's one timer.
const timeout spec.Timer = 0

// TimerName names timer t.
func (p *Protocol) TimerName(t spec.Timer) string {
	if t == timeout {
		return "timeout"
	}
	return fmt.Sprintf("timer%d", t)
}
