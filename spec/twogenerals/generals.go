package twogenerals

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MaxMessages is the largest K: the longest chain of messengers.
const MaxMessages = 4

// The two generals' node ids.
const (
	// A is the general who plans: it receives the plan as a request and
	// sends messenger 1 when the plan is to attack.
	A spec.NodeID = 0
	// B is the other general: it learns the plan from messenger 1.
	B spec.NodeID = 1
)

// Params configure the protocol.
type Params struct {
	// K is the number of messengers (1..MaxMessages): messenger 1 carries
	// the plan from A to B, and each later one acknowledges the one before
	// it, A and B taking turns.
	K int
	// Need, when not nil, replaces the protocol's decision rule: general g
	// attacks once it has received Need[g] messengers (A also waits for
	// its plan to be attack; B learns the plan only from messengers, so
	// Need[B] = 0 makes B attack unconditionally). nil is the protocol's
	// own rule: every messenger addressed to g. A Need above the number of
	// messengers addressed to g means g never attacks.
	Need []int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two messengers: the order and its acknowledgement.
func DefaultParams() Params { return Params{K: 2} }

// Protocol is the K-messenger protocol of Params. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p    Params
	need [2]int
	mu   mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	if p.K < 1 || p.K > MaxMessages {
		return nil, fmt.Errorf("twogenerals: K = %d messengers, want 1..%d", p.K, MaxMessages)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	pr := &Protocol{p: p, mu: mu}
	for g := range pr.need {
		pr.need[g] = Addressed(p.K, spec.NodeID(g))
	}
	if p.Need != nil {
		if len(p.Need) != 2 {
			return nil, fmt.Errorf("twogenerals: Need has %d entries, want 2 (A and B)", len(p.Need))
		}
		for g, n := range p.Need {
			if n < 0 || n > Addressed(p.K, spec.NodeID(g))+1 {
				return nil, fmt.Errorf("twogenerals: Need[%d] = %d, want 0..%d", g, n, Addressed(p.K, spec.NodeID(g))+1)
			}
			pr.need[g] = n
		}
	}
	return pr, nil
}

// Addressed is the number of the k messengers addressed to general g:
// A receives the even-numbered ones, B the odd-numbered ones.
func Addressed(k int, g spec.NodeID) int {
	if g == A {
		return k / 2
	}
	return (k + 1) / 2
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is two: the generals A and B.
func (pr *Protocol) Nodes() int { return 2 }

// Workload is A's plan: the checker tries both attack and retreat.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	return []spec.WorkItem[Msg]{{Node: A, Choices: []Msg{{Kind: Plan, Attack: true}, {Kind: Plan}}}}
}

// PlanState says what A has been told to do, or what B knows of it.
type PlanState uint8

// A's plan.
const (
	Undecided PlanState = iota
	PlanAttack
	PlanRetreat
)

// State is one general's state. Nothing is volatile: Crash keeps it all
// (the generals never crash in the checks of this package).
type State struct {
	Me spec.NodeID
	// Plan is A's plan, or what B has learnt of it (PlanAttack once a
	// messenger arrived).
	Plan PlanState
	// Got counts the messengers received, Sent the messengers sent.
	Got, Sent uint8
	// Attacking is set once the general has decided to attack.
	Attacking bool
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The message kinds.
const (
	// Plan is A's request: attack or retreat.
	Plan MsgKind = iota
	// Messenger is messenger number Seq (from 1).
	Messenger
	// Attack is the observation of a general deciding to attack.
	Attack
)

// Msg is A's plan, a messenger, or an observation.
type Msg struct {
	Kind   MsgKind
	Attack bool  // Plan: attack (else retreat)
	Seq    uint8 // Messenger: its number
}

// String describes m: plan(attack), Messenger2, attack.
func (m Msg) String() string {
	switch m.Kind {
	case Plan:
		if m.Attack {
			return "plan(attack)"
		}
		return "plan(retreat)"
	case Messenger:
		return fmt.Sprintf("Messenger%d", m.Seq)
	}
	return "attack"
}

// Init returns general id's state.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the generals have nothing volatile.
func (pr *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	return append(b, byte(s.Me), byte(s.Plan), s.Got, s.Sent, boolByte(s.Attacking))
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), boolByte(m.Attack), m.Seq)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// FormatState describes s: "A plan=attack got=1 sent=1 attacking".
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s plan=%s got=%d sent=%d", name(s.Me), [...]string{"none", "attack", "retreat"}[s.Plan%3], s.Got, s.Sent)
	if s.Attacking {
		b.WriteString(" attacking")
	}
	return b.String()
}

func name(id spec.NodeID) string { return string(rune('A' + id)) }

// FormatMsg describes m as String does.
func (pr *Protocol) FormatMsg(m Msg) string { return m.String() }

// TimerName names timer t; the generals set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }
