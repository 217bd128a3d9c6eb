package cas

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations (they keep a state a few bytes).
const (
	MaxNodes = 3
	// MaxOps is the most operations a scenario makes, over all clients.
	MaxOps = 4
	// Sequencer is the node that numbers the operations. It is a replica
	// too.
	Sequencer spec.NodeID = 0
)

// Reads says how a replica answers a read.
type Reads uint8

const (
	// TOBReads orders a read like any other operation and answers it when
	// it is applied.
	TOBReads Reads = iota
	// LocalReads answers a read at once from the replica's own copy,
	// without ordering it: not linearizable.
	LocalReads
)

var readsNames = [...]string{"tob", "local"}

func (r Reads) String() string { return readsNames[r&1] }

// ReadModes lists the read modes in the order of their numbers.
func ReadModes() []Reads { return []Reads{TOBReads, LocalReads} }

// OpKind says what an operation does.
type OpKind uint8

// The kinds of operations on the register.
const (
	Read OpKind = iota
	Write
	// Cas is compare-and-swap(A, B): if the register holds A, it takes B
	// and the result is 1; otherwise nothing changes and the result is 0.
	Cas
)

// Op is one client operation. ID is unique in a scenario.
type Op struct {
	Kind OpKind
	A, B int8
	ID   int8
}

func (o Op) String() string {
	switch o.Kind {
	case Read:
		return fmt.Sprintf("#%d read", o.ID)
	case Write:
		return fmt.Sprintf("#%d write(%d)", o.ID, o.A)
	}
	return fmt.Sprintf("#%d cas(%d→%d)", o.ID, o.A, o.B)
}

// Result describes r as o's result: the value read, "ok" for a write,
// "true"/"false" for a CAS.
func (o Op) Result(r int8) string {
	switch o.Kind {
	case Read:
		return fmt.Sprint(r)
	case Write:
		return "ok"
	}
	return fmt.Sprint(r == 1)
}

// Apply runs o on a register holding v: the register after it, and o's
// result.
func (o Op) Apply(v int8) (next, result int8) {
	switch o.Kind {
	case Read:
		return v, v
	case Write:
		return o.A, 0
	}
	if v == o.A {
		return o.B, 1
	}
	return v, 0
}

// Scenario is a fixed workload: how many replicas, and each operation
// with the replica its client sends it to (in order per replica).
type Scenario struct {
	Name  string
	Doc   string
	Nodes int
	At    []spec.NodeID
	Ops   []Op
}

// Scenarios are the workloads Params.Scenario picks from.
var Scenarios = []Scenario{
	{Name: "cas", Doc: "n1 cas(0→1), n2 cas(0→2), n0 reads: one CAS wins",
		Nodes: 3, At: []spec.NodeID{1, 2, 0}, Ops: []Op{{Kind: Cas, A: 0, B: 1, ID: 0}, {Kind: Cas, A: 0, B: 2, ID: 1}, {Kind: Read, ID: 2}}},
	{Name: "reads", Doc: "two replicas: a client of n1 writes 1 while client A reads at n0 and client B at n1",
		Nodes: 2, At: []spec.NodeID{1, 0, 1}, Ops: []Op{{Kind: Write, A: 1, ID: 0}, {Kind: Read, ID: 1}, {Kind: Read, ID: 2}}},
	{Name: "pair", Doc: "two replicas: n1 cas(0→1) then reads, n0 writes 2",
		Nodes: 2, At: []spec.NodeID{1, 1, 0}, Ops: []Op{{Kind: Cas, A: 0, B: 1, ID: 0}, {Kind: Read, ID: 1}, {Kind: Write, A: 2, ID: 2}}},
	{Name: "mixed", Doc: "n1 cas(0→1) and reads, n2 cas(0→2), n0 writes 3",
		Nodes: 3, At: []spec.NodeID{1, 1, 2, 0}, Ops: []Op{{Kind: Cas, A: 0, B: 1, ID: 0}, {Kind: Read, ID: 1}, {Kind: Cas, A: 0, B: 2, ID: 2}, {Kind: Write, A: 3, ID: 3}}},
}

// ScenarioNames lists the scenarios' names in order.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios {
		names = append(names, s.Name)
	}
	return names
}

// Params configure the register.
type Params struct {
	// Scenario indexes Scenarios.
	Scenario int
	// Reads is how reads are answered.
	Reads Reads
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams: the "cas" scenario, every operation through TOB.
func DefaultParams() Params { return Params{} }

// Protocol is the replicated register. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p  Params
	sc Scenario
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Scenario < 0 || p.Scenario >= len(Scenarios):
		return nil, fmt.Errorf("cas: scenario %d, want 0..%d", p.Scenario, len(Scenarios)-1)
	case p.Reads > LocalReads:
		return nil, fmt.Errorf("cas: Reads = %d, want tob (0) or local (1)", p.Reads)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, sc: Scenarios[p.Scenario], mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Scenario returns the protocol's workload.
func (pr *Protocol) Scenario() Scenario { return pr.sc }

// Nodes is the number of replicas.
func (pr *Protocol) Nodes() int { return pr.sc.Nodes }

// State is one replica's state.
type State struct {
	Me spec.NodeID
	// Val is the register.
	Val int8
	// Applied counts the operations applied; Log lists their IDs in the
	// order applied.
	Applied uint8
	Log     [MaxOps]int8
	// Held is the numbered operations received out of order (a mask of
	// sequence numbers); Pending[k] is the one numbered k.
	Held    uint8
	Pending [MaxOps]Msg
	// Next is the next sequence number the sequencer hands out (the
	// sequencer only); Numbered is the operations it has numbered (a
	// mask of IDs), so a duplicated request is numbered once.
	Next     uint8
	Numbered uint8
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// Req is a client's operation, the request input of its replica.
	Req MsgKind = iota
	// Order asks the sequencer to number an operation.
	Order
	// Deliver is a numbered operation, sent by the sequencer to every
	// replica.
	Deliver
	// Called observes a client's call (the invocation).
	Called
	// Done observes the reply to a client, with its result.
	Done
)

// Msg is a request, a protocol message or an observation.
type Msg struct {
	Kind MsgKind
	Op   Op
	// Origin is the replica the client sent the operation to: it replies
	// (Order, Deliver).
	Origin spec.NodeID
	// Seq is the operation's number in the total order (Deliver).
	Seq uint8
	// Result is the reply's (Done).
	Result int8
}

// TimerName names timer t: the replicas set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }

// Init returns replica id's state: the register holds 0.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the register is checked without crashes.
func (pr *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding (only held operations, only
// the applied part of the log).
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), byte(s.Val), s.Applied, s.Held, s.Next, s.Numbered)
	for _, id := range s.Log[:s.Applied] {
		b = append(b, byte(id))
	}
	for k := range MaxOps {
		if s.Held>>k&1 == 1 {
			b = pr.AppendMsg(b, s.Pending[k])
		}
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), byte(m.Op.Kind), byte(m.Op.A), byte(m.Op.B), byte(m.Op.ID), byte(m.Origin), m.Seq, byte(m.Result))
}

// FormatState describes s: "v=1 log=[#0 #2]" with " held=[2:#1]" when
// operations wait and " next=3" at the sequencer.
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "v=%d log=[", s.Val)
	for k, id := range s.Log[:s.Applied] {
		if k > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "#%d", id)
	}
	b.WriteByte(']')
	if s.Held != 0 {
		b.WriteString(" held=[")
		first := true
		for k := range MaxOps {
			if s.Held>>k&1 == 1 {
				if !first {
					b.WriteByte(' ')
				}
				first = false
				fmt.Fprintf(&b, "%d:#%d", k, s.Pending[k].Op.ID)
			}
		}
		b.WriteByte(']')
	}
	if s.Me == Sequencer {
		fmt.Fprintf(&b, " next=%d", s.Next)
	}
	return b.String()
}

// FormatMsg describes m: "#0 cas(0→1)", "order #0 cas(0→1) from n1",
// "3: #0 cas(0→1) from n1", "call #0 cas(0→1)", "#0 cas(0→1) → true".
func (pr *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case Req:
		return m.Op.String()
	case Order:
		return fmt.Sprintf("order %s from n%d", m.Op, m.Origin)
	case Deliver:
		return fmt.Sprintf("%d: %s from n%d", m.Seq, m.Op, m.Origin)
	case Called:
		return "call " + m.Op.String()
	}
	return fmt.Sprintf("%s → %s", m.Op, m.Op.Result(m.Result))
}

// Workload is the scenario's operations, each at its replica.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	var work []spec.WorkItem[Msg]
	for i, op := range pr.sc.Ops {
		work = append(work, spec.WorkItem[Msg]{Node: pr.sc.At[i], Choices: []Msg{{Kind: Req, Op: op}}})
	}
	return work
}
