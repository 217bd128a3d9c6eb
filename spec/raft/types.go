package raft

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// MaxNodes is the largest cluster; MaxEntries bounds a log.
const (
	MaxNodes   = 5
	MaxEntries = 8
)

// Entry is one log entry: the term it was appended in and the client's
// value (a request number, from 1).
type Entry struct {
	Term int8
	Val  int8
}

// Role is a node's role.
type Role uint8

// The roles.
const (
	Follower Role = iota
	Candidate
	Leader
)

var roleNames = [...]string{"follower", "candidate", "leader"}

func (r Role) String() string { return roleNames[r] }

// State is one node's state. The first four fields are persisted (they
// survive a crash); the rest is volatile and rebuilt on recovery.
type State struct {
	ID int8

	// Persisted.
	Term     int8
	VotedFor int8 // -1: no vote in this term
	Log      []Entry
	Commit   int8 // commitLength: entries delivered to the application

	// Volatile.
	Role    Role
	Leader  int8  // -1: unknown
	Votes   uint8 // votesReceived, a set of nodes
	Sent    [MaxNodes]int8
	Acked   [MaxNodes]int8
	Beats   int8   // heartbeats sent in this term (bounded)
	Pending []int8 // client values waiting for a known leader
}

// Timers.
const (
	// Election is a follower's or candidate's election timeout: it fires
	// whenever it likes (asynchronous timing) until MaxTerm is reached.
	Election spec.Timer = iota
	// Heartbeat is the leader's periodic replication, at most MaxBeats
	// times per term.
	Heartbeat
)

// lastTerm is the term of the last entry, or 0.
func (s State) lastTerm() int8 {
	if len(s.Log) == 0 {
		return 0
	}
	return s.Log[len(s.Log)-1].Term
}

// Params configures a Raft cluster for checking.
type Params struct {
	// N is the number of nodes, 1..MaxNodes.
	N int
	// MaxTerm bounds elections: a node whose term reached it does not
	// start another (2..7).
	MaxTerm int
	// Requests is the number of client requests (0..4); request k carries
	// value k and goes to node (k-1) mod N.
	Requests int
	// MaxBeats bounds the leader's periodic replications per term (0..3).
	MaxBeats int
	// Candidates: only nodes 0..Candidates-1 have an election timer (1..N);
	// the others only vote and follow. Most Raft counterexamples need two
	// candidates, and each one more multiplies the space.
	Candidates int
	// Mutant is "" or one of Mutants.
	Mutant string
}

// DefaultParams: three nodes of which two may stand for election, terms up
// to 2, one client request, no heartbeat (without message loss every
// LogRequest arrives; heartbeats matter with -drops).
func DefaultParams() Params { return Params{N: 3, MaxTerm: 2, Requests: 1, MaxBeats: 0, Candidates: 2} }

// Protocol is Raft on Params. It implements spec.Protocol[State, Msg].
type Protocol struct {
	p      Params
	mutant mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.N < 1 || p.N > MaxNodes:
		return nil, fmt.Errorf("raft: N = %d nodes, want 1..%d", p.N, MaxNodes)
	case p.MaxTerm < 1 || p.MaxTerm > 7:
		return nil, fmt.Errorf("raft: MaxTerm = %d, want 1..7", p.MaxTerm)
	case p.Requests < 0 || p.Requests > 4:
		return nil, fmt.Errorf("raft: Requests = %d, want 0..4", p.Requests)
	case p.MaxBeats < 0 || p.MaxBeats > 3:
		return nil, fmt.Errorf("raft: MaxBeats = %d, want 0..3", p.MaxBeats)
	case p.Candidates < 1 || p.Candidates > p.N:
		return nil, fmt.Errorf("raft: Candidates = %d, want 1..%d (N)", p.Candidates, p.N)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mutant: mu}, nil
}

// Params returns the configuration.
func (p *Protocol) Params() Params { return p.p }

// Nodes is the number of nodes.
func (p *Protocol) Nodes() int { return p.p.N }

// Quorum is the number of votes or acknowledgements a decision needs: a
// majority, ⌈(n+1)/2⌉ (the floor-half mutant uses ⌊n/2⌋).
func (p *Protocol) Quorum() int {
	if p.mutant == floorHalf {
		return p.p.N / 2
	}
	return p.p.N/2 + 1
}

// Workload is Requests client requests: request k carries value k and goes
// to node (k-1) mod N, which appends it if it leads and forwards it to the
// leader otherwise.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	var w []spec.WorkItem[Msg]
	for k := 1; k <= p.p.Requests; k++ {
		to := spec.NodeID((k - 1) % p.p.N)
		w = append(w, spec.WorkItem[Msg]{Node: to, Choices: []Msg{{Kind: ClientRequest, Val: int8(k)}}})
	}
	return w
}

// Init returns node id's initial state.
func (p *Protocol) Init(id spec.NodeID) State {
	return State{ID: int8(id), VotedFor: -1, Leader: -1}
}

// Crash keeps the persisted part: currentTerm, votedFor, log, commitLength.
func (p *Protocol) Crash(s State) State {
	c := State{ID: s.ID, Term: s.Term, VotedFor: s.VotedFor, Log: s.Log, Commit: s.Commit, Leader: -1}
	if p.mutant == volatileVote {
		c.VotedFor = -1
	}
	return c
}
