package spanner

import "fmt"

// Limits on the parameters. With fewer than MinTicks ticks no snapshot
// can see a transaction that depends on another: the check would prove
// nothing about consistent-snapshot.
const (
	MaxEps   = 2
	MinTicks = 2
	MaxTicks = 8
)

// Params are the bounds of one check.
type Params struct {
	// Eps is TrueTime's ε: TT.now() answers [clock−ε, clock+ε], and a
	// clock reads within ±ε of real time (±(ε+1) under the mutant
	// clock-beyond-bound).
	Eps int
	// Ticks bounds real time: it starts at 0 and a tick advances it by one,
	// up to Ticks.
	Ticks int
	// Reads: T2 reads x (T1's object) before it writes y, under a read
	// lock, which gives a causal dependency T1 → T2 when it reads T1's
	// version.
	Reads bool
	// Reader: the read-only transaction R runs. Without it only
	// external-consistency and commit-waited apply (see SnapshotProps).
	Reader bool
	// Mutant names a known-buggy variant ("" for Spanner as it is).
	Mutant string
}

// DefaultParams are the bounds a check uses unless told otherwise.
func DefaultParams() Params { return Params{Eps: 1, Ticks: 4, Reads: true, Reader: true} }

// Spec is the Spanner model with fixed bounds. It satisfies the
// explorer's System interface without importing it.
type Spec struct {
	p      Params
	mutant mutant
	errMax int // the largest clock error a reading may have
}

// New returns the model of p, or an error naming the bound that is out of
// range.
func New(p Params) (*Spec, error) {
	switch {
	case p.Eps < 1 || p.Eps > MaxEps:
		return nil, fmt.Errorf("spanner: ε = %d, want 1..%d", p.Eps, MaxEps)
	case p.Ticks < MinTicks || p.Ticks > MaxTicks:
		return nil, fmt.Errorf("spanner: %d ticks, want %d..%d", p.Ticks, MinTicks, MaxTicks)
	}
	m, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	sp := &Spec{p: p, mutant: m, errMax: p.Eps}
	if m == clockBeyondBound {
		sp.errMax = p.Eps + 1
	}
	return sp, nil
}

// Params returns the bounds the model was built with.
func (sp *Spec) Params() Params { return sp.p }

// ClockError is the largest error a clock reading has in this model: ε,
// or ε+1 under the mutant clock-beyond-bound.
func (sp *Spec) ClockError() int { return sp.errMax }

// Phase is where a read-write transaction is.
type Phase uint8

// The phases of a read-write transaction, in order.
const (
	Idle    Phase = iota // not started
	Active               // started: reading, holding its locks
	Waiting              // timestamp taken, version written, in commit wait
	Visible              // commit wait over: acknowledged, locks released
)

var phaseNames = [...]string{"idle", "active", "commit wait", "visible"}

func (p Phase) String() string { return phaseNames[p] }

// Version is what a read returned for one object.
type Version uint8

// The versions a read can return.
const (
	NotRead Version = iota // not read yet
	Initial                // the initial version, older than every transaction
	Written                // the version of the object's writer
)

// Writer is one read-write transaction: T1 writes x, T2 writes y.
type Writer struct {
	Phase Phase
	// TS is the commit timestamp (set from Waiting on).
	TS int8
	// Waited is a ghost: real time advanced while the transaction was in
	// commit wait.
	Waited bool
	// ReadX is what T2 read of x (T1 reads nothing).
	ReadX Version
}

// Reader is the read-only transaction R: a snapshot at TR of x and y.
type Reader struct {
	Started bool
	// TR is the snapshot timestamp.
	TR int8
	// Read is what R read of each object (x, y).
	Read [2]Version
}

// State is the whole system: real time, the two writers, the reader, and
// the ghost real-time order.
type State struct {
	// Now is real time.
	Now uint8
	W   [2]Writer
	R   Reader
	// After is a ghost of real-time order: bit 0 is set when T2 started
	// while T1 was visible, bit 1 when T1 started while T2 was visible.
	After uint8
}

// RealTimeBefore reports whether Ti was visible when Tj started (i, j in
// 0..1, i ≠ j).
func (s State) RealTimeBefore(i, j int) bool { return s.After>>precBit(i, j)&1 == 1 }

// ReadsFrom reports whether T2 read T1's version of x: a causal T1 → T2.
func (s State) ReadsFrom() bool { return s.W[1].ReadX == Written }

// Precedes reports whether Ti → Tj: in real time or causally.
func (s State) Precedes(i, j int) bool {
	return s.RealTimeBefore(i, j) || (i == 0 && j == 1 && s.ReadsFrom())
}

func precBit(i, j int) uint {
	if i == 0 && j == 1 {
		return 0
	}
	return 1
}

// Committed reports whether Ti has a commit timestamp.
func (w Writer) Committed() bool { return w.Phase >= Waiting }

// Fingerprint packs the state into 64 bits: every field has one
// encoding, so equal states are equal numbers.
func (sp *Spec) Fingerprint(s State) uint64 {
	const off = 16 // timestamps are ≥ −MaxEps−1, packed as 5 bits
	x := uint64(s.Now)
	for _, w := range s.W {
		x = x<<2 | uint64(w.Phase)
		x = x<<5 | uint64(int(w.TS)+off)&31
		x = x<<1 | b2u(w.Waited)
		x = x<<2 | uint64(w.ReadX)
	}
	x = x<<1 | b2u(s.R.Started)
	x = x<<5 | uint64(int(s.R.TR)+off)&31
	x = x<<2 | uint64(s.R.Read[0])
	x = x<<2 | uint64(s.R.Read[1])
	return x<<2 | uint64(s.After)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
