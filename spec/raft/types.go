package raft

import (
	"encoding/json"
	"fmt"

	"github.com/distsys/distsys/spec"
)

// MaxNodes is the largest cluster: Votes is a set of up to 16 nodes, and
// Sent and Acked hold one length per node, so a State keeps a fixed size
// and Step copies no slice for them. The checker's space allows far
// fewer nodes (three are exhausted in about a minute); the runtime takes
// any size up to MaxNodes. MaxEntries is the model checker's bound on a
// log's length (Params.MaxLog 0 means it); the protocol itself has none.
const (
	MaxNodes   = 16
	MaxEntries = 8
)

// Entry is one log entry: the term it was appended in, the client's value
// Val (in the checker a request number, from 1; spec/kv's operation id)
// and Cmd, an opaque command the runtime carries (a 16-byte proposal, say;
// empty in the checker). A string is immutable, so entries share it by
// value and Step cannot change a command it was given.
type Entry struct {
	Term int32
	Val  int32
	Cmd  string
}

// String writes e as v1@t2, with the command's length if it has one
// (v1@t2+16B).
func (e Entry) String() string {
	if e.Cmd != "" {
		return fmt.Sprintf("v%d@t%d+%dB", e.Val, e.Term, len(e.Cmd))
	}
	return fmt.Sprintf("v%d@t%d", e.Val, e.Term)
}

// jsonEntry is Entry in JSON: the command as bytes (base64), so that a
// binary command survives the round trip.
type jsonEntry struct {
	Term int32
	Val  int32
	Cmd  []byte `json:",omitempty"`
}

// MarshalJSON writes e with its command in base64.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonEntry{e.Term, e.Val, []byte(e.Cmd)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (e *Entry) UnmarshalJSON(data []byte) error {
	var j jsonEntry
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*e = Entry{Term: j.Term, Val: j.Val, Cmd: string(j.Cmd)}
	return nil
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

// State is one node's state. The first four fields after ID are
// persisted (they survive a crash); the rest is volatile and rebuilt on
// recovery.
type State struct {
	ID int8

	// Persisted.
	Term     int32
	VotedFor int8     // -1: no vote in this term
	Log      Log      // the entries after Snap: Log.At(0) is entry Snap.Index+1
	Commit   int32    // commitLength: entries delivered to the application (absolute, snapshot included)
	Snap     Snapshot // the compacted prefix (zero: none)

	// Volatile.
	Role    Role
	Leader  int8   // -1: unknown
	Votes   uint16 // votesReceived, a set of nodes
	Sent    [MaxNodes]int32
	Acked   [MaxNodes]int32
	Beats   int8    // heartbeats sent in this term (counted only while MaxBeats bounds them)
	Pending []Entry // client values (Val, Cmd; Term 0) waiting for a known leader
}

// Timers.
const (
	// Election is a follower's or candidate's election timeout: it fires
	// whenever it likes (asynchronous timing) until MaxTerm is reached.
	Election spec.Timer = iota
	// Heartbeat is the leader's periodic replication, at most MaxBeats
	// times per term (forever when MaxBeats is negative).
	Heartbeat
	// Flush is a batching leader's timer (Params.Batch): a client request
	// appends and arms it; when it fires, the leader sends every entry
	// appended since in one LogRequest per follower.
	Flush
)

// Params configures a Raft cluster. The model checker's bounds keep its
// state space finite; a negative bound means none, for the runtime
// (RuntimeParams).
type Params struct {
	// N is the number of nodes, 1..MaxNodes.
	N int
	// MaxTerm bounds elections: a node whose term reached it does not
	// start another (1..7; negative: no bound).
	MaxTerm int
	// Requests is the number of client requests of Workload (0..4);
	// request k carries value k and goes to node (k-1) mod N.
	Requests int
	// MaxBeats bounds the leader's periodic replications per term (0..3;
	// negative: no bound, the heartbeat runs as long as the node leads, so
	// followers learn the last commit).
	MaxBeats int
	// MaxLog bounds a log's length (0..MaxEntries; 0 means MaxEntries):
	// a leader drops a request that would exceed it and a follower keeps
	// no more. Negative: no bound.
	MaxLog int
	// Candidates: only nodes 0..Candidates-1 have an election timer (1..N);
	// the others only vote and follow. Most Raft counterexamples need two
	// candidates, and each one more multiplies the space.
	Candidates int
	// SnapshotEvery: a node compacts its log once SnapshotEvery of its
	// committed entries are not yet in its snapshot (snapshot.go); 0: never.
	SnapshotEvery int
	// Pipeline, if positive, is the window W of pipelined replication
	// (pipeline.go): after a LogRequest the leader takes its entries as
	// sent and sends only newer ones next, without waiting for the
	// acknowledgement, so that at most W entries past what a follower
	// acknowledged are in flight to it. A refusal moves sentLength back
	// (never below the acknowledged length), a heartbeat resends from it.
	// 0: the course's replication, every LogRequest carrying the whole
	// unacknowledged suffix.
	Pipeline int
	// Batch: a client request appends and arms the Flush timer instead of
	// sending at once; the flush sends every new entry in one LogRequest
	// per follower.
	Batch bool
	// Mutant is "" or one of Mutants.
	Mutant string
}

// DefaultParams: three nodes of which two may stand for election, terms up
// to 2, one client request, no heartbeat (without message loss every
// LogRequest arrives; heartbeats matter with -drops).
func DefaultParams() Params { return Params{N: 3, MaxTerm: 2, Requests: 1, MaxBeats: 0, Candidates: 2} }

// RuntimeParams is Raft for running, not checking: n nodes, every one a
// candidate, no bound on terms, heartbeats or the log, no workload.
func RuntimeParams(n int) Params {
	return Params{N: n, MaxTerm: -1, MaxBeats: -1, MaxLog: -1, Candidates: n}
}

// Protocol is Raft on Params. It implements spec.Protocol[State, Msg].
type Protocol struct {
	p       Params
	maxLog  int // p.MaxLog resolved: -1 for no bound
	mutant  mutant
	machine Machine // the state machine snapshots hold (nil: none, only the digest)
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.N < 1 || p.N > MaxNodes:
		return nil, fmt.Errorf("raft: N = %d nodes, want 1..%d", p.N, MaxNodes)
	case p.MaxTerm == 0 || p.MaxTerm > 7:
		return nil, fmt.Errorf("raft: MaxTerm = %d, want 1..7 (or negative: no bound)", p.MaxTerm)
	case p.Requests < 0 || p.Requests > 4:
		return nil, fmt.Errorf("raft: Requests = %d, want 0..4", p.Requests)
	case p.MaxBeats > 3:
		return nil, fmt.Errorf("raft: MaxBeats = %d, want 0..3 (or negative: no bound)", p.MaxBeats)
	case p.MaxLog > MaxEntries:
		return nil, fmt.Errorf("raft: MaxLog = %d, want 0..%d (or negative: no bound)", p.MaxLog, MaxEntries)
	case p.Candidates < 1 || p.Candidates > p.N:
		return nil, fmt.Errorf("raft: Candidates = %d, want 1..%d (N)", p.Candidates, p.N)
	case p.SnapshotEvery < 0:
		return nil, fmt.Errorf("raft: SnapshotEvery = %d, want 0 (off) or more", p.SnapshotEvery)
	case p.Pipeline < 0:
		return nil, fmt.Errorf("raft: Pipeline = %d, want 0 (off) or a window of 1 or more entries", p.Pipeline)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	if (mu == ackOnSend || mu == acceptGap) && p.Pipeline == 0 {
		return nil, fmt.Errorf("raft: mutant %s changes nothing without pipelining (Pipeline 0)", p.Mutant)
	}
	maxLog := p.MaxLog
	switch {
	case maxLog == 0:
		maxLog = MaxEntries
	case maxLog < 0:
		maxLog = -1
	}
	return &Protocol{p: p, maxLog: maxLog, mutant: mu}, nil
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
		w = append(w, spec.WorkItem[Msg]{Node: to, Choices: []Msg{{Kind: ClientRequest, Val: int32(k)}}})
	}
	return w
}

// Init returns node id's initial state.
func (p *Protocol) Init(id spec.NodeID) State {
	return State{ID: int8(id), VotedFor: -1, Leader: -1}
}

// Crash keeps the persisted part: currentTerm, votedFor, log (shared, not
// copied: a Log never changes), commitLength, the snapshot.
func (p *Protocol) Crash(s State) State {
	c := State{ID: s.ID, Term: s.Term, VotedFor: s.VotedFor, Log: s.Log, Commit: s.Commit, Snap: s.Snap, Leader: -1}
	if p.mutant == volatileVote {
		c.VotedFor = -1
	}
	return c
}

// room reports whether a log of n entries (snapshot included) may take
// another one (MaxLog).
func (p *Protocol) room(n int) bool { return p.maxLog < 0 || n < p.maxLog }

// electionAllowed reports whether a node of term t may start another
// election (MaxTerm).
func (p *Protocol) electionAllowed(t int32) bool { return p.p.MaxTerm < 0 || int(t) < p.p.MaxTerm }
