package paxos

import (
	"fmt"
	"math/bits"

	"github.com/distsys/distsys/spec"
)

// Limits on the constants: a State holds at most 256 bits.
const (
	MaxAcceptors = 5
	MaxValues    = 3
	MaxBallot    = 3
)

// State is one state of the whole system as a bit string (see Spec for the
// layout). Every field has one encoding, so equal TLA+ states are equal
// States.
type State [4]uint64

func (s *State) has(i int) bool { return s[i>>6]>>(i&63)&1 == 1 }
func (s *State) add(i int)      { s[i>>6] |= 1 << (i & 63) }

// ActionKind names an action of Paxos's Next.
type ActionKind uint8

// The actions of Next, in the order it lists them.
const (
	Phase1a ActionKind = iota
	Phase2a
	Phase1b
	Phase2b
)

var actionNames = [...]string{"Phase1a", "Phase2a", "Phase1b", "Phase2b"}

func (k ActionKind) String() string { return actionNames[k] }

// Action is one action instance: the kind, the acceptor (Phase1b and
// Phase2b, from 0), the ballot and the value (from 0) it concerns.
type Action struct {
	Kind ActionKind
	Acc  uint8
	Bal  uint8
	Val  uint8
}

// Property names.
const (
	PropAgreement = "agreement"
	PropInv       = "inv"
	PropChosen    = "chosen"
)

// Mutant names.
const (
	MutMinorityQuorum   = "minority-quorum"
	MutVoteBelowPromise = "vote-below-promise"
	MutAnyValue         = "any-value"
	MutNotHighest       = "not-highest"
)

// Mutants lists the known-buggy variants New accepts, with what each breaks.
var Mutants = []spec.Mutant{
	{Name: MutMinorityQuorum, Doc: "quorums of ⌊n/2⌋ acceptors: two of them need not intersect", Breaks: PropAgreement},
	{Name: MutVoteBelowPromise, Doc: "an acceptor votes in a ballot below the one it promised (its promise is kept, the vote taken anyway)", Breaks: PropInv},
	{Name: MutAnyValue, Doc: "phase 2a proposes any value, ignoring the votes the quorum reported", Breaks: PropInv},
	{Name: MutNotHighest, Doc: "phase 2a proposes the value of any reported vote, not of the highest", Breaks: PropInv, Shows: "-maxballot 2"},
}

// Spec is Paxos with fixed constants. It satisfies the explorer's System
// interface without importing it.
//
// The bits of a State, from bit 0: for each acceptor, maxBal+1 (balW bits)
// and its vote (voteW bits: 0 for none, else 1+b*values+v, which is
// <<maxVBal, maxVal>>); then one bit per message that can exist: 1a(b);
// 1b(a, b, vote) for every vote an acceptor can report; 2a(b, v); 2b(a,
// b, v). TLA+'s maxVBal = -1 exactly when maxVal = None, so the vote
// field loses nothing.
type Spec struct {
	acceptors, values, ballots int // ballots: 0..ballots-1
	mutant                     string
	symmetric                  bool

	quorums       []uint8 // bitmasks of acceptors
	majority      int
	balW, accW    int
	votes         int // possible votes: 1 + ballots*values
	off1a, off1b  int
	off2a, off2b  int
	words         int
	perms         [][]uint8
	balMask, vMsk uint64
}

// New returns Paxos with the given numbers of acceptors and values,
// ballots 0..maxBallot, and the named mutant ("" for the correct
// algorithm).
func New(acceptors, values, maxBallot int, mutant string) (*Spec, error) {
	switch {
	case acceptors < 1 || acceptors > MaxAcceptors:
		return nil, fmt.Errorf("paxos: %d acceptors, want 1..%d", acceptors, MaxAcceptors)
	case values < 1 || values > MaxValues:
		return nil, fmt.Errorf("paxos: %d values, want 1..%d", values, MaxValues)
	case maxBallot < 0 || maxBallot > MaxBallot:
		return nil, fmt.Errorf("paxos: max ballot %d, want 0..%d", maxBallot, MaxBallot)
	}
	if mutant != "" && !knownMutant(mutant) {
		return nil, fmt.Errorf("paxos: unknown mutant %q", mutant)
	}
	sp := &Spec{acceptors: acceptors, values: values, ballots: maxBallot + 1, mutant: mutant}
	sp.votes = 1 + sp.ballots*values
	sp.balW = bits.Len(uint(sp.ballots)) // maxBal+1 in 0..ballots
	sp.accW = sp.balW + bits.Len(uint(sp.votes-1))
	sp.balMask = 1<<sp.balW - 1
	sp.vMsk = 1<<(sp.accW-sp.balW) - 1
	sp.off1a = acceptors * sp.accW
	sp.off1b = sp.off1a + sp.ballots
	sp.off2a = sp.off1b + acceptors*sp.ballots*sp.votes
	sp.off2b = sp.off2a + sp.ballots*values
	end := sp.off2b + acceptors*sp.ballots*values
	if end > 64*len(State{}) {
		return nil, fmt.Errorf("paxos: %d acceptors, %d values and ballots 0..%d need %d bits of state, more than %d", acceptors, values, maxBallot, end, 64*len(State{}))
	}
	sp.words = (end + 63) / 64
	sp.majority = acceptors/2 + 1
	size := sp.majority
	if mutant == MutMinorityQuorum {
		size = max(1, acceptors/2)
	}
	for q := uint8(1); q < 1<<acceptors; q++ {
		if bits.OnesCount8(q) == size {
			sp.quorums = append(sp.quorums, q)
		}
	}
	sp.perms = permutations(acceptors)
	return sp, nil
}

// Acceptors, Values and MaxBallot are the constants.
func (sp *Spec) Acceptors() int { return sp.acceptors }

// Values is the number of values.
func (sp *Spec) Values() int { return sp.values }

// MaxBallot is the highest ballot.
func (sp *Spec) MaxBallot() int { return sp.ballots - 1 }

// Quorums returns the quorums, each a bitmask of acceptors.
func (sp *Spec) Quorums() []uint8 { return sp.quorums }

// MaxBal is acceptor a's maxBal (-1: none yet).
func (sp *Spec) MaxBal(s State, a int) int {
	return int(s[0]>>(a*sp.accW)&sp.balMask) - 1
}

// Vote is acceptor a's vote in the highest ballot it voted in: maxVBal and
// maxVal, or -1, -1 if it never voted.
func (sp *Spec) Vote(s State, a int) (bal, val int) {
	return sp.decodeVote(sp.vote(s, a))
}

func (sp *Spec) vote(s State, a int) int {
	return int(s[0] >> (a*sp.accW + sp.balW) & sp.vMsk)
}

func (sp *Spec) decodeVote(v int) (bal, val int) {
	if v == 0 {
		return -1, -1
	}
	return (v - 1) / sp.values, (v - 1) % sp.values
}

func (sp *Spec) encodeVote(bal, val int) int { return 1 + bal*sp.values + val }

func (sp *Spec) setAcceptor(s *State, a, maxBal, vote int) {
	shift := a * sp.accW
	s[0] = s[0]&^((1<<sp.accW-1)<<shift) | uint64(maxBal+1)<<shift | uint64(vote)<<(shift+sp.balW)
}

func (sp *Spec) bit1a(b int) int          { return sp.off1a + b }
func (sp *Spec) bit1b(a, b, vote int) int { return sp.off1b + (a*sp.ballots+b)*sp.votes + vote }
func (sp *Spec) bit2a(b, v int) int       { return sp.off2a + b*sp.values + v }
func (sp *Spec) bit2b(a, b, v int) int    { return sp.off2b + (a*sp.ballots+b)*sp.values + v }

// Msg1a reports whether 1a(b) was sent.
func (sp *Spec) Msg1a(s State, b int) bool { return s.has(sp.bit1a(b)) }

// Msg1b reports whether acceptor a sent 1b in ballot b reporting the vote
// (vbal, vval) (-1, -1: no vote).
func (sp *Spec) Msg1b(s State, a, b, vbal, vval int) bool {
	v := 0
	if vbal >= 0 {
		v = sp.encodeVote(vbal, vval)
	}
	return s.has(sp.bit1b(a, b, v))
}

// Msg2a reports whether 2a(b, v) was sent.
func (sp *Spec) Msg2a(s State, b, v int) bool { return s.has(sp.bit2a(b, v)) }

// Msg2b reports whether acceptor a voted for v in ballot b (sent 2b).
func (sp *Spec) Msg2b(s State, a, b, v int) bool { return s.has(sp.bit2b(a, b, v)) }

// Init returns the single initial state: no acceptor has joined a ballot
// or voted, no message was sent. It is the zero State.
func (sp *Spec) Init() []State { return []State{{}} }

// Next enumerates every enabled action instance in the order of Paxos's
// Next, self-loops included, each as many times as TLC finds it.
func (sp *Spec) Next(s State, yield func(Action, State, bool)) {
	for b := range sp.ballots {
		t := s
		t.add(sp.bit1a(b))
		yield(Action{Kind: Phase1a, Bal: uint8(b)}, t, false)
		for v := range sp.values {
			if n := sp.phase2aWays(&s, b, v); n > 0 {
				t := s
				t.add(sp.bit2a(b, v))
				for range n {
					yield(Action{Kind: Phase2a, Bal: uint8(b), Val: uint8(v)}, t, false)
				}
			}
		}
	}
	for a := range sp.acceptors {
		maxBal, vote := sp.MaxBal(s, a), sp.vote(s, a)
		for b := maxBal + 1; b < sp.ballots; b++ {
			if s.has(sp.bit1a(b)) {
				t := s
				sp.setAcceptor(&t, a, b, vote)
				t.add(sp.bit1b(a, b, vote))
				yield(Action{Kind: Phase1b, Acc: uint8(a), Bal: uint8(b)}, t, false)
			}
		}
		from := max(maxBal, 0)
		if sp.mutant == MutVoteBelowPromise {
			from = 0
		}
		for b := from; b < sp.ballots; b++ {
			for v := range sp.values {
				if s.has(sp.bit2a(b, v)) {
					t := s
					sp.setAcceptor(&t, a, max(b, maxBal), sp.encodeVote(b, v))
					t.add(sp.bit2b(a, b, v))
					yield(Action{Kind: Phase2b, Acc: uint8(a), Bal: uint8(b), Val: uint8(v)}, t, false)
				}
			}
		}
	}
}

// phase2aWays counts the ways TLC enables Phase2a(b, v): once per quorum
// every member of which sent a 1b in ballot b (times the number of such
// messages per member, always one in the correct algorithm), and then once
// if the quorum reported no vote, else once per reported vote that is of
// the highest ballot reported and for v. Zero when a 2a for b was sent.
func (sp *Spec) phase2aWays(s *State, b, v int) int {
	for w := range sp.values {
		if s.has(sp.bit2a(b, w)) {
			return 0
		}
	}
	total := 0
	for _, q := range sp.quorums {
		ways, maxVBal, forV, reportsV := 1, -1, 0, 0
		for a := range sp.acceptors {
			if q>>a&1 == 0 {
				continue
			}
			sent := 0
			for vote := range sp.votes {
				if !s.has(sp.bit1b(a, b, vote)) {
					continue
				}
				sent++
				vb, vv := sp.decodeVote(vote)
				switch {
				case vb < 0:
				case vb > maxVBal:
					maxVBal, forV = vb, 0
					fallthrough
				case vb == maxVBal:
					if vv == v {
						forV++
					}
				}
				if vb >= 0 && vv == v {
					reportsV++
				}
			}
			ways *= sent
		}
		switch {
		case ways == 0:
		case maxVBal < 0 || sp.mutant == MutAnyValue:
			total += ways
		case sp.mutant == MutNotHighest:
			total += ways * reportsV
		default:
			total += ways * forV
		}
	}
	return total
}

// Pack appends the used words of s: with Unpack it lets the explorer keep
// its frontier as bytes.
func (sp *Spec) Pack(dst []byte, s State) []byte { return spec.AppendWords(dst, s[:sp.words]) }

// Unpack reads a state Pack wrote.
func (sp *Spec) Unpack(b []byte) State {
	var s State
	spec.ReadWords(s[:sp.words], b)
	return s
}

// Fingerprint hashes the state's words (its canonical member's, with
// symmetry on).
func (sp *Spec) Fingerprint(s State) uint64 {
	if sp.symmetric {
		s = sp.Canonical(s)
	}
	return spec.HashWords(s[:sp.words])
}

func knownMutant(name string) bool {
	for _, m := range Mutants {
		if m.Name == name {
			return true
		}
	}
	return false
}
