package quorum

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// MaxReplicas is the largest number of replicas (Params.N).
const MaxReplicas = 7

// MaxOps is the largest number of writes, and of reads, in a workload.
const MaxOps = 4

// MaxReaders is the largest number of reader clients (Params.Readers).
const MaxReaders = 3

// MaxWriters is the largest number of writer clients (Params.Writers).
const MaxWriters = 3

// Params configure a quorum system and its workload.
type Params struct {
	// N is the number of replicas (1..MaxReplicas); W and R are the write
	// and read quorums (1..N). R+W ≤ N is allowed: it is the configuration
	// whose stale reads the checker shows.
	N, W, R int
	// Writes and Reads are the numbers of write and read requests in the
	// workload (0..MaxOps). Write k (from 1) writes value k.
	Writes, Reads int
	// Readers is the number of reader clients (0..MaxReaders; 0 means 1).
	// Read k goes to reader (k-1) mod Readers.
	Readers int
	// Writers is the number of writer clients (0..MaxWriters; 0 means 1).
	// Write k goes to writer (k-1) mod Writers. With more than one, a
	// write first asks a read quorum for the newest timestamp and writes
	// with the next one, the writer's number breaking ties (multi-writer
	// ABD, course 7.2).
	Writers int
	// WriteBack makes the readers write back before returning (ABD,
	// course 7.2): a reader that has collected a read quorum sends the
	// value it will return, with its original timestamp, to every replica
	// and returns it only once a write quorum has acknowledged it. It
	// replaces read repair, and makes the register linearizable.
	WriteBack bool
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are three replicas with majority quorums, one write and one
// read: small enough to check exhaustively in a fraction of a second.
func DefaultParams() Params {
	return Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 1, Readers: 1}
}

// Protocol is the quorum register of Params: replicas 0..N-1, the writers
// N..N+Writers-1, then the readers. It implements spec.Protocol[State, Msg].
type Protocol struct {
	p       Params
	readers int
	writers int
	mutant  mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.N < 1 || p.N > MaxReplicas:
		return nil, fmt.Errorf("quorum: N = %d replicas, want 1..%d", p.N, MaxReplicas)
	case p.W < 1 || p.W > p.N:
		return nil, fmt.Errorf("quorum: W = %d, want a write quorum of 1..N (N = %d)", p.W, p.N)
	case p.R < 1 || p.R > p.N:
		return nil, fmt.Errorf("quorum: R = %d, want a read quorum of 1..N (N = %d)", p.R, p.N)
	case p.Writes < 0 || p.Writes > MaxOps:
		return nil, fmt.Errorf("quorum: Writes = %d, want 0..%d", p.Writes, MaxOps)
	case p.Reads < 0 || p.Reads > MaxOps:
		return nil, fmt.Errorf("quorum: Reads = %d, want 0..%d", p.Reads, MaxOps)
	case p.Readers < 0 || p.Readers > MaxReaders:
		return nil, fmt.Errorf("quorum: Readers = %d, want 0..%d (0 means 1)", p.Readers, MaxReaders)
	case p.Writers < 0 || p.Writers > MaxWriters:
		return nil, fmt.Errorf("quorum: Writers = %d, want 0..%d (0 means 1)", p.Writers, MaxWriters)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, readers: max(p.Readers, 1), writers: max(p.Writers, 1), mutant: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (p *Protocol) Params() Params { return p.p }

// Nodes is N replicas, the writers and the readers.
func (p *Protocol) Nodes() int { return p.p.N + p.writers + p.readers }

// Writer is the node id of the first (with one writer, the only) writer.
func (p *Protocol) Writer() spec.NodeID { return p.WriterAt(0) }

// WriterAt returns the node id of writer k (from 0).
func (p *Protocol) WriterAt(k int) spec.NodeID { return spec.NodeID(p.p.N + k) }

// Reader returns the node id of reader k (from 0).
func (p *Protocol) Reader(k int) spec.NodeID { return spec.NodeID(p.p.N + p.writers + k) }

// multiWriter reports whether writes query for the newest timestamp
// first: with more than one writer.
func (p *Protocol) multiWriter() bool { return p.writers > 1 }

// Workload is Writes write requests (values 1, 2, …) spread over the
// writers in turn, and Reads read requests (ids 1, 2, …) spread over the
// readers in turn.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	var work []spec.WorkItem[Msg]
	for k := 1; k <= p.p.Writes; k++ {
		work = append(work, spec.WorkItem[Msg]{Node: p.WriterAt((k - 1) % p.writers), Choices: []Msg{{Kind: WriteReq, Val: int8(k)}}})
	}
	for k := 1; k <= p.p.Reads; k++ {
		work = append(work, spec.WorkItem[Msg]{Node: p.Reader((k - 1) % p.readers), Choices: []Msg{{Kind: ReadReq, ID: int8(k)}}})
	}
	return work
}

// Role is what a node does.
type Role uint8

// The roles.
const (
	// Replica holds a register (ts, v): nodes 0..N-1.
	Replica Role = iota
	// Writer is a writer: nodes N..N+Writers-1.
	Writer
	// Reader is a reader: nodes N+Writers.. .
	Reader
)

var roleNames = [...]string{"replica", "writer", "reader"}

// String returns "replica", "writer" or "reader".
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", r)
}

// Stamp is a timestamp: a counter, then the number of the writer that
// chose it (1.. with several writers, 0 with one), compared in that order.
type Stamp struct {
	TS, Wr int8
}

// After reports whether a is newer than b.
func (a Stamp) After(b Stamp) bool { return a.TS > b.TS || a.TS == b.TS && a.Wr > b.Wr }

// pack encodes a in one byte: the counter in the low five bits (it stays
// below 32: at most MaxOps writes each add one), the writer above (at most
// MaxWriters).
func (a Stamp) pack() byte { return byte(a.TS) | byte(a.Wr)<<5 }

// String prints the counter alone when no writer number is set, else
// counter.writer: "2", "1.2".
func (a Stamp) String() string {
	if a.Wr == 0 {
		return fmt.Sprint(a.TS)
	}
	return fmt.Sprintf("%d.%d", a.TS, a.Wr)
}

// State is one node's state. Which fields are used depends on Role; unused
// fields stay zero, so equal behaviour means equal encoding. Timestamps,
// values and ids are small (at most MaxOps), so a State is a few dozen
// bytes with no pointers: the checker stores and copies millions of them.
//
// Persisted (kept by Crash): Role, Self, TS, Wr, Val, Repaired and Counter.
// Everything else is a client's progress on its current operation, lost in
// a crash (the client forgets its operation and its queued requests).
type State struct {
	Role Role
	// Self is a writer's number, 1.., with several writers (0 with one):
	// the tie-break of the timestamps it chooses.
	Self int8
	// TS, Wr and Val are a replica's register: the newest timestamped
	// value it has stored ((0, 0), 0 initially).
	TS, Wr, Val int8
	// Repaired records that a Repair has raised the replica's register (at
	// least once): the witness of the stale-replica-repaired property.
	// Kept as a flag rather than an observation, because observations are
	// ordered in the ghost history and their orders would double the
	// states to explore.
	Repaired bool
	// Counter is the writer's last timestamp counter used; persisted, so
	// a single writer that recovers never reuses a timestamp.
	Counter int8

	// Busy is set while a client's operation is in progress.
	Busy bool
	// Querying is set while a writer (with several writers) asks a read
	// quorum for the newest timestamp: OpTS and OpWr are the newest so
	// far, OpVal the value it will write, Got the replicas that answered.
	Querying bool
	// WritingBack is set while a reader writes back the value of its
	// current read (Params.WriteBack): OpTS and OpVal are that value, and
	// Got collects the replicas that have acknowledged it.
	WritingBack bool
	// OpID is the id of the reader's current read.
	OpID int8
	// OpTS, OpWr and OpVal are the writer's current write, or the newest
	// reply the reader has collected for its current read.
	OpTS, OpWr, OpVal int8
	// Got has bit i set when replica i has acknowledged the current write
	// or answered the current read (or, while WritingBack, acknowledged
	// the write-back).
	Got uint8
	// Replies[i] is the timestamp replica i answered the current read with
	// (meaningful where Got has bit i, zero elsewhere).
	Replies [MaxReplicas]Stamp
	// Queue[:Queued] holds requests that arrived while the client was busy,
	// in arrival order: values to write, or ids of reads.
	Queue  [MaxOps]int8
	Queued uint8
	// LastID, LastTS, LastWr and LastVal are the reader's last completed
	// read and its result, so that late stale replies to it are repaired
	// too.
	LastID, LastTS, LastWr, LastVal int8
}

// register is a replica's timestamp.
func (s State) register() Stamp { return Stamp{s.TS, s.Wr} }

// op is the timestamp of a client's current operation.
func (s State) op() Stamp { return Stamp{s.OpTS, s.OpWr} }

// last is the timestamp of a reader's last completed read.
func (s State) last() Stamp { return Stamp{s.LastTS, s.LastWr} }

// Init returns node id's initial state.
func (p *Protocol) Init(id spec.NodeID) State {
	var s State
	switch {
	case int(id) >= p.p.N+p.writers:
		s.Role = Reader
	case int(id) >= p.p.N:
		s.Role = Writer
		if p.multiWriter() {
			s.Self = int8(int(id) - p.p.N + 1)
		}
	}
	return s
}

// Crash keeps the persisted part of s. Under the volatile-store mutant a
// replica forgets its register too.
func (p *Protocol) Crash(s State) State {
	c := State{Role: s.Role, Self: s.Self, TS: s.TS, Wr: s.Wr, Val: s.Val, Repaired: s.Repaired, Counter: s.Counter}
	if p.mutant == volatileStore {
		c.TS, c.Wr, c.Val = 0, 0, 0
	}
	return c
}

// TimerName names timer t; the protocol sets no timers.
func (p *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }
