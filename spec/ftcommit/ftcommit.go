package ftcommit

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations (they keep a state a few bytes).
const (
	// MaxParticipants is the largest number of participants.
	MaxParticipants = 3
	// maxVotes bounds the votes a run can broadcast: each participant's
	// own, and one proxy no by each participant for each other one.
	maxVotes = MaxParticipants * MaxParticipants
)

// Sequencer is the node that orders the broadcasts under total order;
// participants are nodes 1..n.
const Sequencer spec.NodeID = 0

// Broadcast says how the votes are broadcast.
type Broadcast uint8

const (
	// Total is total order broadcast: a vote goes to the sequencer, which
	// stamps it with the next sequence number and sends it on to every
	// participant; a participant delivers in stamp order, holding back a
	// vote that arrives early.
	Total Broadcast = iota
	// Reliable sends a vote straight to every participant, delivered on
	// arrival in any order (the sequencer idles).
	Reliable
)

var broadcastNames = [...]string{"total", "reliable"}

func (b Broadcast) String() string { return broadcastNames[b&1] }

// Broadcasts lists the broadcasts in the order of their numbers.
func Broadcasts() []Broadcast { return []Broadcast{Total, Reliable} }

// Params configure the protocol.
type Params struct {
	// Participants is the number of participants (2..MaxParticipants).
	Participants int
	// Broadcast is how votes are broadcast.
	Broadcast Broadcast
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two participants over total order broadcast.
func DefaultParams() Params { return Params{Participants: 2} }

// Protocol is fault-tolerant two-phase commit over a sequencer (node 0)
// and participants (nodes 1..n). It implements spec.Protocol[State, Msg]
// and spec.Chooser[State, Msg] (a participant's vote is its own choice).
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
	switch {
	case p.Participants < 2 || p.Participants > MaxParticipants:
		return nil, fmt.Errorf("ftcommit: %d participants, want 2..%d", p.Participants, MaxParticipants)
	case p.Broadcast > Reliable:
		return nil, fmt.Errorf("ftcommit: Broadcast = %d, want total (0) or reliable (1)", p.Broadcast)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is the sequencer and the participants.
func (pr *Protocol) Nodes() int { return 1 + pr.p.Participants }

// Vote is a participant's vote: none yet, yes (commit) or no (abort).
type Vote uint8

// The votes.
const (
	None Vote = iota
	Yes
	No
)

var voteNames = [...]string{"none", "yes", "no"}

func (v Vote) String() string { return voteNames[v%3] }

// Outcome is a participant's decision.
type Outcome uint8

// The outcomes.
const (
	Undecided Outcome = iota
	Commit
	Abort
)

var outcomeNames = [...]string{"undecided", "commit", "abort"}

func (o Outcome) String() string { return outcomeNames[o%3] }

// Ballot is one broadcast vote: participant Voter's vote, cast by By
// (Voter itself, or a node that suspects Voter and votes no for it).
type Ballot struct {
	Voter uint8
	By    uint8
	Vote  Vote
}

// Proxy reports that b was cast on the voter's behalf.
func (b Ballot) Proxy() bool { return b.By != b.Voter }

// State is one node's state: the sequencer's fields for node 0, a
// participant's for the others.
type State struct {
	Me spec.NodeID
	// Participant: its own vote (persisted), the vote counted for each
	// participant (Counted[r-1]: the first delivered, None while none
	// was), the participants it voted no for (Suspected), and its
	// outcome.
	Vote      Vote
	Counted   [MaxParticipants]Ballot
	Suspected uint8
	Outcome   Outcome
	// Next is the sequence number a participant delivers next, and the
	// one the sequencer stamps next.
	Next uint8
	// Held is the stamped votes a participant received early (bit k:
	// sequence number k), Pending[k] each one.
	Held    uint16
	Pending [maxVotes]Ballot
	// Stamped is the broadcasts the sequencer has stamped (bit
	// (voter-1)*MaxParticipants + by-1): a duplicate is stamped once.
	Stamped uint16
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// Bcast asks the sequencer to order a ballot (total order).
	Bcast MsgKind = iota
	// Ordered is a ballot stamped with its sequence number Seq.
	Ordered
	// Direct is a ballot sent straight to a participant (reliable).
	Direct
	// Choice is a participant's choice of its vote (Ballot.Vote).
	Choice
	// Decided observes a participant's outcome.
	Decided
	// Ask is a client's request for participant Ballot.Voter's outcome,
	// answered by its Decided observation (at once if it has decided).
	Ask
)

// Msg is a message, a vote choice, or an observation.
type Msg struct {
	Kind    MsgKind
	Ballot  Ballot
	Seq     uint8   // Ordered
	Outcome Outcome // Decided
}

// Timers: timer r (1..n) is a participant's suspicion of participant r,
// standing for its failure detector: the checker fires it at any time.
func suspectTimer(r int) spec.Timer { return spec.Timer(r) }

// TimerName names timer t: "suspect-p2".
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("suspect-p%d", t) }

// Init returns node id's state: nothing voted, nothing stamped.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the protocol is checked under crash-stop, and
// a participant's vote, counted votes and hold-back queue would be on
// disk, as would the sequencer's counter.
func (pr *Protocol) Crash(s State) State { return s }

func appendBallot(b []byte, v Ballot) []byte { return append(b, v.Voter, v.By, byte(v.Vote)) }

// AppendState appends s's canonical encoding (only held ballots).
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), byte(s.Vote), s.Suspected, byte(s.Outcome), s.Next,
		byte(s.Held), byte(s.Held>>8), byte(s.Stamped), byte(s.Stamped>>8))
	for _, c := range s.Counted {
		b = appendBallot(b, c)
	}
	for k := range maxVotes {
		if s.Held>>k&1 == 1 {
			b = appendBallot(b, s.Pending[k])
		}
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return appendBallot(append(b, byte(m.Kind), m.Seq, byte(m.Outcome)), m.Ballot)
}

// FormatBallot describes v: "p1 yes", or "no for p2 by p1" for a proxy.
func FormatBallot(v Ballot) string {
	if v.Proxy() {
		return fmt.Sprintf("%s for p%d by p%d", v.Vote, v.Voter, v.By)
	}
	return fmt.Sprintf("p%d %s", v.Voter, v.Vote)
}

// FormatState describes s: "sequencer next=3" or
// "p1 voted yes counted [p1 yes, no for p2 by p1] abort".
func (pr *Protocol) FormatState(s State) string {
	if s.Me == Sequencer {
		return fmt.Sprintf("sequencer next=%d", s.Next)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "p%d voted %s counted [", s.Me, s.Vote)
	for r := range pr.p.Participants {
		if r > 0 {
			b.WriteString(", ")
		}
		if c := s.Counted[r]; c.Vote != None {
			b.WriteString(FormatBallot(c))
		} else {
			b.WriteString("-")
		}
	}
	fmt.Fprintf(&b, "] %s", s.Outcome)
	if s.Held != 0 {
		fmt.Fprintf(&b, " held=%d", popcount(s.Held))
	}
	return b.String()
}

func popcount(x uint16) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// FormatMsg describes m: "bcast p1 yes", "#2 no for p2 by p1",
// "p1 yes", "choose yes", "decided commit".
func (pr *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case Bcast:
		return "bcast " + FormatBallot(m.Ballot)
	case Ordered:
		return fmt.Sprintf("#%d %s", m.Seq, FormatBallot(m.Ballot))
	case Choice:
		return "vote " + m.Ballot.Vote.String()
	case Decided:
		return "decided " + m.Outcome.String()
	case Ask:
		return fmt.Sprintf("outcome of p%d?", m.Ballot.Voter)
	}
	return FormatBallot(m.Ballot)
}

// Choices are a participant's two votes, while it has neither voted nor
// decided.
func (pr *Protocol) Choices(s State) []Msg {
	if s.Me == Sequencer || s.Vote != None || s.Outcome != Undecided {
		return nil
	}
	return []Msg{{Kind: Choice, Ballot: Ballot{Vote: Yes}}, {Kind: Choice, Ballot: Ballot{Vote: No}}}
}

// Workload is empty: the participants' votes are their own choices.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] { return nil }

// Asks is a client's workload for a run: ask every participant for its
// outcome (the checker needs none: the votes are choices).
func (pr *Protocol) Asks() []spec.WorkItem[Msg] {
	var work []spec.WorkItem[Msg]
	for r := 1; r <= pr.p.Participants; r++ {
		work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(r), Choices: []Msg{{Kind: Ask, Ballot: Ballot{Voter: uint8(r)}}}})
	}
	return work
}
