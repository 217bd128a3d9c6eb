package replica

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Store is how a replica keeps the key and reconciles what it hears.
type Store uint8

// The stores.
const (
	// Naive keeps the value, or nothing once the key is removed (delete
	// removes the key), and adopts whatever store a peer sends.
	Naive Store = iota
	// LWW keeps (Lamport timestamp, value or tombstone) and, of two
	// versions, the one with the greater (timestamp, writer): last writer
	// wins.
	LWW
	// Physical is LWW stamped by physical clocks: node 0's clock runs
	// Params.Skew ticks ahead of the others.
	Physical
	// MV keeps every version not dominated by another (the concurrent
	// siblings), each stamped with a version vector.
	MV
	numStores
)

var storeNames = [...]string{"naive", "lww", "physical", "mv"}

// String returns the store's name, as the -store flag writes it.
func (s Store) String() string {
	if s < numStores {
		return storeNames[s]
	}
	return fmt.Sprintf("Store(%d)", s)
}

// Stores lists every store, in the order of the constants.
func Stores() []Store {
	out := make([]Store, numStores)
	for i := range out {
		out[i] = Store(i)
	}
	return out
}

// Limits of a configuration.
const (
	// MaxNodes is the largest number of replicas.
	MaxNodes = 3
	// MaxWrites is the largest number of writes a replica makes.
	MaxWrites = 2
	// MaxRetries is the largest number of resends after a write.
	MaxRetries = 2
	// MaxSkew is the largest clock skew.
	MaxSkew = 3
	// maxSibs bounds a store: every write of a run (MV holds at most one
	// per replica; only the mv-keep-all mutant holds more).
	maxSibs = MaxNodes * MaxWrites
)

// Params configure the replicas and their workload.
type Params struct {
	Store Store
	// N is the number of replicas (2..MaxNodes).
	N int
	// Writes[i] is how many writes replica i makes (0..MaxWrites); each is
	// a put or a remove, and the checker tries both.
	Writes [MaxNodes]int
	// Retries is how many times a replica resends its store after a write
	// (0..MaxRetries).
	Retries int
	// Skew is how many ticks node 0's physical clock runs ahead of the
	// others' (Physical only; 0..MaxSkew).
	Skew int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two replicas writing once each, last writer wins with
// Lamport timestamps, one resend per write.
func DefaultParams() Params {
	return Params{Store: LWW, N: 2, Writes: [MaxNodes]int{1, 1}, Retries: 1}
}

// Protocol is N replicas of one key under Params. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p      Params
	mutant mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Store >= numStores:
		return nil, fmt.Errorf("replica: Store = %d, want one of %s", p.Store, strings.Join(storeNames[:], ", "))
	case p.N < 2 || p.N > MaxNodes:
		return nil, fmt.Errorf("replica: N = %d replicas, want 2..%d", p.N, MaxNodes)
	case p.Retries < 0 || p.Retries > MaxRetries:
		return nil, fmt.Errorf("replica: Retries = %d, want 0..%d", p.Retries, MaxRetries)
	case p.Skew < 0 || p.Skew > MaxSkew:
		return nil, fmt.Errorf("replica: Skew = %d, want 0..%d", p.Skew, MaxSkew)
	}
	for i, w := range p.Writes {
		if w < 0 || w > MaxWrites || i >= p.N && w != 0 {
			return nil, fmt.Errorf("replica: Writes[%d] = %d, want 0..%d for each of the N = %d replicas", i, w, MaxWrites, p.N)
		}
	}
	mu, err := parseMutant(p.Store, p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mutant: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (p *Protocol) Params() Params { return p.p }

// Nodes is the number of replicas.
func (p *Protocol) Nodes() int { return p.p.N }

// Workload is each replica's writes, in order, each a put or a remove.
func (p *Protocol) Workload() []spec.WorkItem[Msg] {
	var work []spec.WorkItem[Msg]
	for i := range p.p.N {
		for range p.p.Writes[i] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: []Msg{{Kind: Put}, {Kind: Remove}}})
		}
	}
	return work
}

// offset is node i's physical clock offset.
func (p *Protocol) offset(i spec.NodeID) uint8 {
	if p.p.Store == Physical && i == 0 {
		return uint8(p.p.Skew)
	}
	return 0
}

// State is one replica: its store of the key, its clock and its writes.
//
// Persisted (kept by Crash): everything but Left, the resends still to
// make; a recovering replica runs a round of anti-entropy with its peers.
type State struct {
	ID spec.NodeID
	// Clock is the Lamport clock (LWW), or the model of real time that the
	// physical clock reads (Physical; see the package documentation).
	// Unused, and zero, under Naive and MV.
	Clock uint8
	// Sibs[:NSibs] is the store, in canonical order (by write): at most one
	// version, except under MV. Empty: the key was never written, or, under
	// Naive, it was removed.
	Sibs  [maxSibs]Version
	NSibs uint8
	// Seq is the number of writes the replica has made.
	Seq uint8
	// Left is how many resends of the store remain after the last write.
	Left uint8
}

// Init returns replica id's initial state.
func (p *Protocol) Init(id spec.NodeID) State { return State{ID: id} }

// Crash keeps the persisted part of s.
func (p *Protocol) Crash(s State) State {
	s.Left = 0
	return s
}

// The replicas' one timer.
const retry spec.Timer = 0

// TimerName names timer t.
func (p *Protocol) TimerName(t spec.Timer) string {
	if t == retry {
		return "retry"
	}
	return fmt.Sprintf("timer%d", t)
}
