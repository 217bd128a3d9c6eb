package paxosnode

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits on the parameters.
const (
	MaxProposers = 3
	MaxAcceptors = 5
	MaxLearners  = 3
	MaxTries     = 3
)

// Params configure the protocol.
type Params struct {
	// Proposers, Acceptors and Learners are the number of nodes of each
	// role (1..MaxProposers, 1..MaxAcceptors, 0..MaxLearners).
	Proposers, Acceptors, Learners int
	// Tries bounds the ballots each proposer starts (1..MaxTries; negative:
	// no bound). It bounds the checker's search, which proposers duelling
	// for ever would make infinite; a run lifts it.
	Tries int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two duelling proposers with one ballot each (the
// second preempts the first; more ballots multiply the space), three
// acceptors, and no learners besides the proposers.
func DefaultParams() Params { return Params{Proposers: 2, Acceptors: 3, Learners: 0, Tries: 1} }

// Protocol is single-decree Paxos with proposers, acceptors and learners.
// It implements spec.Protocol[State, Msg] and spec.Symmetric[State, Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Proposers < 1 || p.Proposers > MaxProposers:
		return nil, fmt.Errorf("paxosnode: %d proposers, want 1..%d", p.Proposers, MaxProposers)
	case p.Acceptors < 1 || p.Acceptors > MaxAcceptors:
		return nil, fmt.Errorf("paxosnode: %d acceptors, want 1..%d", p.Acceptors, MaxAcceptors)
	case p.Learners < 0 || p.Learners > MaxLearners:
		return nil, fmt.Errorf("paxosnode: %d learners, want 0..%d", p.Learners, MaxLearners)
	case p.Tries == 0 || p.Tries > MaxTries:
		return nil, fmt.Errorf("paxosnode: %d tries, want 1..%d (negative: no bound)", p.Tries, MaxTries)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is the proposers, the acceptors and the learners.
func (pr *Protocol) Nodes() int { return pr.p.Proposers + pr.p.Acceptors + pr.p.Learners }

// Role is what a node does.
type Role uint8

// The roles.
const (
	Proposer Role = iota
	Acceptor
	Learner
)

var roleNames = [...]string{"proposer", "acceptor", "learner"}

func (r Role) String() string { return roleNames[r%3] }

// RoleOf returns node id's role.
func (pr *Protocol) RoleOf(id spec.NodeID) Role {
	switch {
	case int(id) < pr.p.Proposers:
		return Proposer
	case int(id) < pr.p.Proposers+pr.p.Acceptors:
		return Acceptor
	}
	return Learner
}

// firstAcceptor is the node id of the first acceptor.
func (pr *Protocol) firstAcceptor() spec.NodeID { return spec.NodeID(pr.p.Proposers) }

// Quorum is the number of acceptors a proposer and a learner wait for: a
// majority (⌊a/2⌋ with the minority-quorum mutant).
func (pr *Protocol) Quorum() int {
	if pr.mu == minorityQuorum {
		return pr.p.Acceptors / 2
	}
	return pr.p.Acceptors/2 + 1
}

// Phase is where a proposer's ballot stands.
type Phase uint8

// A proposer's phases.
const (
	Idle Phase = iota
	Preparing
	Accepting
	Done
)

var phaseNames = [...]string{"idle", "preparing", "accepting", "done"}

func (p Phase) String() string { return phaseNames[p&3] }

// Vote is a ballot and a value (0, 0: none). Values are numbered from 1.
type Vote struct {
	Bal, Val uint8
}

// State is one node's state; each role uses its own fields.
type State struct {
	Me spec.NodeID
	// Proposer. Persisted: Own, the value it was asked to propose (0:
	// not asked yet); Used, the ballots it has started; Chosen, the value
	// it learned chosen (0: none). Volatile: the phase of its current
	// ballot Bal, the acceptors that promised or accepted it (bit i for
	// node i), and the highest vote the promises reported.
	Own, Used, Chosen uint8
	Phase             Phase
	Bal               uint8
	Got               uint16
	High              Vote
	// Acceptor, all persisted (the promise volatile with the
	// volatile-promise mutant): the highest ballot it promised and its
	// last accepted vote.
	Promised uint8
	Accepted Vote
	// Learner, all persisted: the latest vote it heard of from each
	// acceptor (by acceptor index), and the values it learned (bit v).
	Heard   [MaxAcceptors]Vote
	Learned uint8
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The message kinds. Propose is the client's request; Decided and
// Learned are observations, never sent.
const (
	Prepare MsgKind = iota
	Promise
	Accept
	AcceptedMsg
	Propose
	Decided
	Learned
)

var msgNames = [...]string{"Prepare", "Promise", "Accept", "Accepted", "propose", "decided", "learned"}

// Msg is a message, request or observation: Prepare(Bal), Promise(Bal,
// Vote: the acceptor's last accepted), Accept(Bal, Val), Accepted(Bal,
// Val), propose(Val), and a proposer's decided(Val) or a learner's
// learned(Val).
type Msg struct {
	Kind MsgKind
	Bal  uint8
	Val  uint8
	Vote Vote
}

// String describes m.
func (m Msg) String() string {
	switch m.Kind {
	case Prepare:
		return fmt.Sprintf("Prepare(%d)", m.Bal)
	case Promise:
		if m.Vote.Bal == 0 {
			return fmt.Sprintf("Promise(%d, none)", m.Bal)
		}
		return fmt.Sprintf("Promise(%d, v%d@%d)", m.Bal, m.Vote.Val, m.Vote.Bal)
	case Accept, AcceptedMsg:
		return fmt.Sprintf("%s(%d, v%d)", msgNames[m.Kind], m.Bal, m.Val)
	case Propose, Decided, Learned:
		return fmt.Sprintf("%s v%d", msgNames[m.Kind], m.Val)
	}
	return fmt.Sprintf("MsgKind(%d)", m.Kind)
}

// Retry is a proposer's timer: when it fires before the proposer learned
// a value, it starts its next ballot.
const Retry spec.Timer = 0

// TimerName names timer t.
func (pr *Protocol) TimerName(spec.Timer) string { return "retry" }

// Init returns node id's state: nothing promised, accepted or learned.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps the persisted part (see State).
func (pr *Protocol) Crash(s State) State {
	c := State{Me: s.Me, Own: s.Own, Used: s.Used, Chosen: s.Chosen,
		Promised: s.Promised, Accepted: s.Accepted, Heard: s.Heard, Learned: s.Learned}
	if pr.mu == volatilePromise {
		c.Promised = 0
	}
	return c
}

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), s.Own, s.Used, s.Chosen, byte(s.Phase), s.Bal, byte(s.Got), byte(s.Got>>8),
		s.High.Bal, s.High.Val, s.Promised, s.Accepted.Bal, s.Accepted.Val, s.Learned)
	for _, h := range s.Heard {
		b = append(b, h.Bal, h.Val)
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), m.Bal, m.Val, m.Vote.Bal, m.Vote.Val)
}

// FormatState describes s on one line, by role: "p0 v1 ballot 3
// preparing got {n2,n3} high v2@1 used 2", "a2 promised 3 accepted
// v1@1", "l5 heard [v1@1 - v1@1] learned {v1}".
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	switch pr.RoleOf(s.Me) {
	case Proposer:
		fmt.Fprintf(&b, "p%d", s.Me)
		if s.Own != 0 {
			fmt.Fprintf(&b, " v%d", s.Own)
		}
		fmt.Fprintf(&b, " used %d", s.Used)
		if s.Phase != Idle {
			fmt.Fprintf(&b, " ballot %d %s got {%s}", s.Bal, s.Phase, nodeSet(s.Got))
			if s.High.Bal != 0 {
				fmt.Fprintf(&b, " high %s", s.High)
			}
		}
		if s.Chosen != 0 {
			fmt.Fprintf(&b, " chosen v%d", s.Chosen)
		}
	case Acceptor:
		fmt.Fprintf(&b, "a%d promised %d accepted %s", s.Me, s.Promised, s.Accepted)
	default:
		fmt.Fprintf(&b, "l%d heard [", s.Me)
		for i := range pr.p.Acceptors {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s.Heard[i].String())
		}
		fmt.Fprintf(&b, "] learned {%s}", valueSet(s.Learned))
	}
	return b.String()
}

// String describes v as "v2@3" (value 2 in ballot 3), "-" for none.
func (v Vote) String() string {
	if v.Bal == 0 {
		return "-"
	}
	return fmt.Sprintf("v%d@%d", v.Val, v.Bal)
}

func nodeSet(set uint16) string {
	var parts []string
	for i := range 16 {
		if set>>i&1 == 1 {
			parts = append(parts, fmt.Sprintf("n%d", i))
		}
	}
	return strings.Join(parts, ",")
}

func valueSet(set uint8) string {
	var parts []string
	for v := range 8 {
		if set>>v&1 == 1 {
			parts = append(parts, fmt.Sprintf("v%d", v))
		}
	}
	return strings.Join(parts, ",")
}

// FormatMsg describes m as String does.
func (pr *Protocol) FormatMsg(m Msg) string { return m.String() }

// Workload asks each proposer to propose its own value: proposer i
// proposes value i+1.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	var w []spec.WorkItem[Msg]
	for i := range pr.p.Proposers {
		w = append(w, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: []Msg{{Kind: Propose, Val: uint8(i + 1)}}})
	}
	return w
}
