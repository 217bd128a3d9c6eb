package byzantine

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MinGenerals and MaxGenerals bound Params.N.
const (
	MinGenerals = 3
	MaxGenerals = 4
)

// Commander is the commander's node id; the lieutenants are 1..N-1.
const Commander spec.NodeID = 0

// Value is an order: attack or retreat, or none yet.
type Value uint8

// The values.
const (
	None Value = iota
	Attack
	Retreat
)

var valueNames = [...]string{"none", "attack", "retreat"}

// String returns "none", "attack" or "retreat".
func (v Value) String() string {
	if int(v) < len(valueNames) {
		return valueNames[v]
	}
	return fmt.Sprintf("Value(%d)", v)
}

// Tie says how a lieutenant decides when the values it holds are split
// evenly (possible only with an even number of values, as with N = 3).
// With N = 3 a lieutenant holds two values, the commander's order and the
// other lieutenant's relay, and these four rules are every way to break
// their tie: by a fixed value or by trusting one of the two speakers.
type Tie uint8

// The tie rules.
const (
	// TieRetreat decides the default, retreat: Lamport, Shostak and
	// Pease's rule.
	TieRetreat Tie = iota
	// TieCommander decides what the commander told the lieutenant itself.
	TieCommander
	// TieAttack decides attack.
	TieAttack
	// TieRelay decides what the other lieutenant relayed (with N = 4, the
	// lowest-numbered other lieutenant; a missing relay counts as
	// retreat).
	TieRelay
)

// TieNames are the tie rules' names, in order.
var TieNames = []string{"retreat", "commander", "attack", "relay"}

// String returns the rule's name.
func (t Tie) String() string {
	if int(t) < len(TieNames) {
		return TieNames[t]
	}
	return fmt.Sprintf("Tie(%d)", t)
}

// Params configure the generals.
type Params struct {
	// N is the number of generals, the commander included
	// (MinGenerals..MaxGenerals). With one traitor, OM(1) needs N ≥ 4.
	N int
	// Tie is the lieutenants' rule for a split vote.
	Tie Tie
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are four generals, the fewest that tolerate one traitor.
func DefaultParams() Params { return Params{N: 4} }

// Protocol is OM(1) among Params.N generals. It implements
// spec.Protocol[State, Msg] and spec.Adversary[Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var (
	_ spec.Protocol[State, Msg] = (*Protocol)(nil)
	_ spec.Adversary[Msg]       = (*Protocol)(nil)
)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.N < MinGenerals || p.N > MaxGenerals:
		return nil, fmt.Errorf("byzantine: N = %d generals, want %d..%d", p.N, MinGenerals, MaxGenerals)
	case int(p.Tie) >= len(TieNames):
		return nil, fmt.Errorf("byzantine: Tie = %d, want 0..%d", p.Tie, len(TieNames)-1)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is N: the commander and N-1 lieutenants.
func (pr *Protocol) Nodes() int { return pr.p.N }

// Workload is the commander's order: the checker tries attack and retreat.
// A byzantine commander is given none (it runs no Step).
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	return []spec.WorkItem[Msg]{{Node: Commander, Choices: []Msg{{Kind: Command, Val: Attack}, {Kind: Command, Val: Retreat}}}}
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The message kinds.
const (
	// Command is the commander's request: the order to give.
	Command MsgKind = iota
	// Order is the commander's order to a lieutenant (round 1).
	Order
	// Relay is a lieutenant telling another what the commander told it
	// (round 2).
	Relay
)

// Msg is a request or a message; Val is the order it carries.
type Msg struct {
	Kind MsgKind
	Val  Value
}

// String describes m: command(attack), Order(retreat), Relay(attack).
func (m Msg) String() string {
	switch m.Kind {
	case Command:
		return "command(" + m.Val.String() + ")"
	case Order:
		return "Order(" + m.Val.String() + ")"
	}
	return "Relay(" + m.Val.String() + ")"
}

// Forgeries is a traitor's message domain. A traitorous commander may send
// each lieutenant an attack order, a retreat order, both (in either order)
// or neither; a traitorous lieutenant may tell each other lieutenant that
// the commander said attack, retreat, both or nothing. Messages carry
// their true sender (oral messages: the receiver knows who speaks), so a
// lieutenant cannot pose as the commander.
func (pr *Protocol) Forgeries(from, to spec.NodeID) []Msg {
	if to == Commander || to == from {
		return nil
	}
	kind := Relay
	if from == Commander {
		kind = Order
	}
	return []Msg{{Kind: kind, Val: Attack}, {Kind: kind, Val: Retreat}}
}

// State is one general's state. Nothing is volatile.
type State struct {
	Me spec.NodeID
	// Order is the commander's order: the one it gave, or, for a
	// lieutenant, the first order it received (None until then).
	Order Value
	// Heard[j] is the first value lieutenant j relayed (None until then).
	Heard [MaxGenerals]Value
	// Decision is a lieutenant's decision from what it holds now (see
	// Decide); at quiescence it is final. Step keeps it up to date.
	Decision Value
}

// Init returns general id's state: a lieutenant that has heard nothing
// would decide retreat.
func (pr *Protocol) Init(id spec.NodeID) State {
	s := State{Me: id}
	if id != Commander {
		s.Decision = pr.Decide(s)
	}
	return s
}

// Crash keeps everything.
func (pr *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), byte(s.Order), byte(s.Decision))
	for _, v := range s.Heard[:pr.p.N] {
		b = append(b, byte(v))
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte { return append(b, byte(m.Kind), byte(m.Val)) }

// FormatState describes s: "lieutenant order=attack heard=[- - retreat]
// decides retreat".
func (pr *Protocol) FormatState(s State) string {
	if s.Me == Commander {
		return "commander order=" + s.Order.String()
	}
	var heard []string
	for j := 1; j < pr.p.N; j++ {
		switch {
		case spec.NodeID(j) == s.Me:
			heard = append(heard, "self")
		case s.Heard[j] == None:
			heard = append(heard, "-")
		default:
			heard = append(heard, s.Heard[j].String())
		}
	}
	return fmt.Sprintf("lieutenant order=%s heard=[%s] decides %s", s.Order, strings.Join(heard, " "), s.Decision)
}

// FormatMsg describes m as String does.
func (pr *Protocol) FormatMsg(m Msg) string { return m.String() }

// TimerName names timer t; the generals set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }
