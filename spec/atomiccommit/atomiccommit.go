package atomiccommit

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MaxParticipants is the largest number of participants.
const MaxParticipants = 4

// Coordinator is the coordinator's node id; participants are 1..n.
const Coordinator spec.NodeID = 0

// Params configure the protocol.
type Params struct {
	// Participants is the number of participants (1..MaxParticipants).
	Participants int
	// Queries bounds the queries a prepared participant sends, one each
	// time its wait for the outcome times out (0..MaxQueries; negative:
	// no bound). It bounds the checker's search, which a participant
	// querying for ever would make infinite; a run lifts it.
	Queries int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// MaxQueries is the largest bound on a participant's queries.
const MaxQueries = 3

// DefaultParams are two participants, each querying at most once.
func DefaultParams() Params { return Params{Participants: 2, Queries: 1} }

// Protocol is two-phase commit with a coordinator (node 0) and
// participants (nodes 1..n). It implements spec.Protocol[State, Msg] and
// spec.Chooser[State, Msg] (a participant's vote is its own choice).
type Protocol struct {
	p  Params
	mu mutant
}

var (
	_ spec.Protocol[State, Msg] = (*Protocol)(nil)
	_ spec.Chooser[State, Msg]  = (*Protocol)(nil)
)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	if p.Participants < 1 || p.Participants > MaxParticipants {
		return nil, fmt.Errorf("atomiccommit: %d participants, want 1..%d", p.Participants, MaxParticipants)
	}
	if p.Queries > MaxQueries {
		return nil, fmt.Errorf("atomiccommit: %d queries, want at most %d (negative: no bound)", p.Queries, MaxQueries)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is the coordinator and the participants.
func (pr *Protocol) Nodes() int { return 1 + pr.p.Participants }

// Phase is a participant's state, as the course names them.
type Phase uint8

// A participant's phases.
const (
	Working Phase = iota
	Prepared
	Committed
	Aborted
)

var phaseNames = [...]string{"working", "prepared", "committed", "aborted"}

func (p Phase) String() string { return phaseNames[p&3] }

// Decision is the coordinator's logged outcome.
type Decision uint8

// The coordinator's decisions.
const (
	Undecided Decision = iota
	Commit
	Abort
)

var decisionNames = [...]string{"undecided", "commit", "abort"}

func (d Decision) String() string { return decisionNames[d%3] }

// State is one node's state: the coordinator's fields for node 0, a
// participant's for the others.
type State struct {
	Me spec.NodeID
	// Coordinator: the participants that voted yes (bit i for node i,
	// volatile), and the decision (persisted: the log).
	Yes      uint8
	Decision Decision
	// Participant: its phase and whether it voted yes (both persisted:
	// a prepared participant has staged its writes durably); Asked is set
	// once Prepare arrived and the vote is not cast yet (volatile).
	Phase    Phase
	VotedYes bool
	Asked    bool
	// Queried counts the queries sent since the participant prepared or
	// recovered (volatile; not counted when they are unbounded).
	Queried uint8
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The message kinds. Decided is an observation, never sent.
const (
	Prepare MsgKind = iota
	VoteYes
	VoteNo
	CommitMsg
	AbortMsg
	Query
	Decided
	Begin
)

var msgNames = [...]string{"Prepare", "VoteYes", "VoteNo", "Commit", "Abort", "Query", "decided", "begin"}

// Msg is a message, a participant's vote choice (VoteYes, VoteNo), the
// client's request to commit the transaction (Begin), or an observation
// (Decided, with the outcome: the coordinator's is the reply to Begin).
type Msg struct {
	Kind    MsgKind
	Outcome Decision // Decided
}

// String describes m.
func (m Msg) String() string {
	if m.Kind == Decided {
		return "decided " + m.Outcome.String()
	}
	return msgNames[m.Kind%8]
}

// Timers.
const (
	// VoteTimeout is the coordinator's wait for the votes: when it fires
	// undecided, the coordinator aborts.
	VoteTimeout spec.Timer = iota
	// DecisionTimeout is a prepared participant's wait for the decision:
	// when it fires, the participant asks the coordinator again.
	DecisionTimeout
)

// TimerName names timer t.
func (pr *Protocol) TimerName(t spec.Timer) string {
	if t == VoteTimeout {
		return "vote-timeout"
	}
	return "decision-timeout"
}

// Init returns node id's state: the coordinator undecided, a participant
// working.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps the persisted part: the coordinator's logged decision (not
// with the volatile-decision mutant), a participant's phase and vote.
func (pr *Protocol) Crash(s State) State {
	c := State{Me: s.Me, Phase: s.Phase, VotedYes: s.VotedYes, Decision: s.Decision}
	if pr.mu == volatileDecision {
		c.Decision = Undecided
	}
	return c
}

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	return append(b, byte(s.Me), s.Yes, byte(s.Decision), byte(s.Phase), boolByte(s.VotedYes), boolByte(s.Asked), s.Queried)
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), byte(m.Outcome))
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// FormatState describes s: "coordinator decision=commit yes={1,2}" or
// "p1 prepared voted-yes".
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	if s.Me == Coordinator {
		fmt.Fprintf(&b, "coordinator decision=%s yes={", s.Decision)
		first := true
		for i := 1; i <= pr.p.Participants; i++ {
			if s.Yes>>i&1 == 1 {
				if !first {
					b.WriteByte(',')
				}
				first = false
				fmt.Fprintf(&b, "p%d", i)
			}
		}
		b.WriteByte('}')
		return b.String()
	}
	fmt.Fprintf(&b, "p%d %s", s.Me, s.Phase)
	if s.VotedYes {
		b.WriteString(" voted-yes")
	}
	if s.Asked {
		b.WriteString(" asked")
	}
	if s.Queried > 0 {
		fmt.Fprintf(&b, " queried=%d", s.Queried)
	}
	return b.String()
}

// FormatMsg describes m as String does.
func (pr *Protocol) FormatMsg(m Msg) string { return m.String() }

// Choices are a participant's two votes, once Prepare has asked for one.
func (pr *Protocol) Choices(s State) []Msg {
	if s.Me == Coordinator || !s.Asked || s.Phase != Working {
		return nil
	}
	return []Msg{{Kind: VoteYes}, {Kind: VoteNo}}
}

// Workload is the client's one request: commit the transaction (Begin,
// to the coordinator). The participants' votes are their own choices.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	return []spec.WorkItem[Msg]{{Node: Coordinator, Choices: []Msg{{Kind: Begin}}}}
}
