package paxoscommit

import (
	"fmt"
	"math/bits"

	"github.com/distsys/distsys/spec"
)

// Limits on the constants: a State holds at most 256 bits.
const (
	MaxRMs       = 4
	MaxAcceptors = 5
	MaxBallot    = 3
)

// State is one state of the whole system as a bit string (see Spec for the
// layout). Every field has one encoding, so equal TLA+ states are equal
// States.
type State [4]uint64

func (s *State) has(i int) bool { return s[i>>6]>>(i&63)&1 == 1 }
func (s *State) add(i int)      { s[i>>6] |= 1 << (i & 63) }

// field reads w bits at bit i (a field never crosses a word).
func (s *State) field(i, w int) int { return int(s[i>>6] >> (i & 63) & (1<<w - 1)) }

func (s *State) setField(i, w, v int) {
	s[i>>6] = s[i>>6]&^((1<<w-1)<<(i&63)) | uint64(v)<<(i&63)
}

// RMState is a resource manager's state.
type RMState uint8

// The resource-manager states of PaxosCommit (as TwoPhase's).
const (
	Working RMState = iota
	Prepared
	Committed
	Aborted
)

var rmNames = [...]string{"working", "prepared", "committed", "aborted"}

func (r RMState) String() string { return rmNames[r&3] }

// Value is what an instance of Paxos decides for its RM.
type Value uint8

// The two values an instance can decide.
const (
	ValPrepared Value = iota
	ValAborted
)

var valueNames = [...]string{"prepared", "aborted"}

func (v Value) String() string { return valueNames[v&1] }

// ActionKind names an action of PCNext.
type ActionKind uint8

// The actions of PCNext, in the order it lists them.
const (
	RMPrepare ActionKind = iota
	RMChooseToAbort
	RMRcvCommitMsg
	RMRcvAbortMsg
	Phase1a
	Phase2a
	DecideCommit
	DecideAbort
	Phase1b
	Phase2b
)

var actionNames = [...]string{"RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg",
	"Phase1a", "Phase2a", "Decide", "Decide", "Phase1b", "Phase2b"}

func (k ActionKind) String() string { return actionNames[k] }

// Action is one action instance: its kind, the RM (or Paxos instance), the
// acceptor, the ballot and the value it concerns, each from 0 where used.
type Action struct {
	Kind ActionKind
	RM   uint8
	Acc  uint8
	Bal  uint8
	Val  Value
}

// Property names.
const (
	PropConsistent   = "consistent"
	PropTypeOK       = "type-ok"
	PropAllCommitted = "all-committed"
	PropAllAborted   = "all-aborted"
)

// Mutant names.
const (
	MutMinorityMajority = "minority-majority"
	MutFreePrepared     = "free-prepared"
	MutIgnoreVotes      = "ignore-votes"
	MutPhase1aZero      = "phase1a-ballot-zero"
)

// Mutants lists the known-buggy variants New accepts, with what each breaks.
var Mutants = []spec.Mutant{
	{Name: MutMinorityMajority, Doc: "\"majorities\" of ⌊n/2⌋ acceptors: two need not intersect, so an instance can decide both values", Breaks: PropConsistent},
	{Name: MutFreePrepared, Doc: "a leader that hears of no vote proposes prepared instead of aborted, for an RM that may never prepare", Breaks: PropConsistent},
	{Name: MutIgnoreVotes, Doc: "a leader proposes aborted whatever votes the acceptors report", Breaks: PropConsistent},
	{Name: MutPhase1aZero, Doc: "a leader may start ballot 0, which belongs to the RM: a phase1a message outside PCTypeOK's Message", Breaks: PropTypeOK},
}

// Spec is PaxosCommit with fixed constants. It satisfies the explorer's
// System interface without importing it.
//
// The bits of a State: rmState (2 bits per RM); then for each instance
// (RM) and acceptor, aState's mbal and its vote (0 for bal = -1 and val =
// "none", else 1+bal*2+val), each field within one word; then one bit per
// message that can exist: phase1a(ins, bal); phase1b(ins, acc, mbal,
// vote); phase2a(ins, bal, val); phase2b(acc, ins, bal, val); Commit;
// Abort. TLA+'s aState bal = -1 exactly when val = "none", so the vote
// field loses nothing.
type Spec struct {
	rms, acceptors, ballots int // ballots: 0..ballots-1
	mutant                  string
	symmetric               bool

	majorities []uint8 // bitmasks of acceptors
	votes      int     // possible votes: 1 + ballots*2
	mbalW, vW  int
	aStatePos  []int // per ins*acceptors+acc: the bit of its mbal field
	off1a      int
	off1b      int
	off2a      int
	off2b      int
	commit     int
	abort      int
	words      int
	accPerms   [][]uint8
	rmPerms    [][]uint8
}

// New returns PaxosCommit with the given numbers of RMs and acceptors,
// ballots 0..maxBallot, and the named mutant ("" for the correct
// protocol). The majorities are the sets of exactly ⌊n/2⌋+1 acceptors.
func New(rms, acceptors, maxBallot int, mutant string) (*Spec, error) {
	switch {
	case rms < 1 || rms > MaxRMs:
		return nil, fmt.Errorf("paxoscommit: %d resource managers, want 1..%d", rms, MaxRMs)
	case acceptors < 1 || acceptors > MaxAcceptors:
		return nil, fmt.Errorf("paxoscommit: %d acceptors, want 1..%d", acceptors, MaxAcceptors)
	case maxBallot < 0 || maxBallot > MaxBallot:
		return nil, fmt.Errorf("paxoscommit: max ballot %d, want 0..%d", maxBallot, MaxBallot)
	}
	known := mutant == ""
	for _, m := range Mutants {
		known = known || m.Name == mutant
	}
	if !known {
		return nil, fmt.Errorf("paxoscommit: unknown mutant %q", mutant)
	}
	sp := &Spec{rms: rms, acceptors: acceptors, ballots: maxBallot + 1, mutant: mutant}
	sp.votes = 1 + 2*sp.ballots
	sp.mbalW = bits.Len(uint(maxBallot))
	sp.vW = bits.Len(uint(sp.votes - 1))
	pos := 2 * rms
	for range rms * acceptors {
		w := sp.mbalW + sp.vW
		if pos%64+w > 64 {
			pos += 64 - pos%64
		}
		sp.aStatePos = append(sp.aStatePos, pos)
		pos += w
	}
	sp.off1a = pos
	sp.off1b = sp.off1a + rms*sp.ballots
	sp.off2a = sp.off1b + rms*acceptors*sp.ballots*sp.votes
	sp.off2b = sp.off2a + rms*sp.ballots*2
	sp.commit = sp.off2b + acceptors*rms*sp.ballots*2
	sp.abort = sp.commit + 1
	end := sp.abort + 1
	if end > 64*len(State{}) {
		return nil, fmt.Errorf("paxoscommit: %d RMs, %d acceptors and ballots 0..%d need %d bits of state, more than %d", rms, acceptors, maxBallot, end, 64*len(State{}))
	}
	sp.words = (end + 63) / 64
	size := acceptors/2 + 1
	if mutant == MutMinorityMajority {
		size = max(1, acceptors/2)
	}
	for q := uint8(1); q < 1<<acceptors; q++ {
		if bits.OnesCount8(q) == size {
			sp.majorities = append(sp.majorities, q)
		}
	}
	sp.accPerms, sp.rmPerms = permutations(acceptors), permutations(rms)
	return sp, nil
}

// RMs is the number of resource managers.
func (sp *Spec) RMs() int { return sp.rms }

// Acceptors is the number of acceptors.
func (sp *Spec) Acceptors() int { return sp.acceptors }

// MaxBallot is the highest ballot.
func (sp *Spec) MaxBallot() int { return sp.ballots - 1 }

// RM returns the state of resource manager rm.
func (sp *Spec) RM(s State, rm int) RMState { return RMState(s[0] >> (2 * rm) & 3) }

func (sp *Spec) setRM(s *State, rm int, r RMState) {
	s[0] = s[0]&^(3<<(2*rm)) | uint64(r)<<(2*rm)
}

// AState returns acceptor acc's state in instance ins: mbal, and its vote
// bal and val (-1 and "none" if it never voted, val -1 then).
func (sp *Spec) AState(s State, ins, acc int) (mbal, bal, val int) {
	mbal, vote := sp.aState(&s, ins, acc)
	bal, val = sp.decodeVote(vote)
	return mbal, bal, val
}

func (sp *Spec) aState(s *State, ins, acc int) (mbal, vote int) {
	i := sp.aStatePos[ins*sp.acceptors+acc]
	return s.field(i, sp.mbalW), s.field(i+sp.mbalW, sp.vW)
}

func (sp *Spec) setAState(s *State, ins, acc, mbal, vote int) {
	i := sp.aStatePos[ins*sp.acceptors+acc]
	s.setField(i, sp.mbalW, mbal)
	s.setField(i+sp.mbalW, sp.vW, vote)
}

func (sp *Spec) decodeVote(v int) (bal, val int) {
	if v == 0 {
		return -1, -1
	}
	return (v - 1) / 2, (v - 1) % 2
}

func encodeVote(bal int, val Value) int { return 1 + bal*2 + int(val) }

func (sp *Spec) bit1a(ins, bal int) int { return sp.off1a + ins*sp.ballots + bal }
func (sp *Spec) bit1b(ins, acc, mbal, vote int) int {
	return sp.off1b + ((ins*sp.acceptors+acc)*sp.ballots+mbal)*sp.votes + vote
}
func (sp *Spec) bit2a(ins, bal int, val Value) int {
	return sp.off2a + (ins*sp.ballots+bal)*2 + int(val)
}
func (sp *Spec) bit2b(acc, ins, bal int, val Value) int {
	return sp.off2b + ((acc*sp.rms+ins)*sp.ballots+bal)*2 + int(val)
}

// MsgCommit reports whether Commit was sent.
func (sp *Spec) MsgCommit(s State) bool { return s.has(sp.commit) }

// MsgAbort reports whether Abort was sent.
func (sp *Spec) MsgAbort(s State) bool { return s.has(sp.abort) }

// Init returns the single initial state: every RM working, every acceptor
// at mbal 0 with no vote, no message. It is the zero State.
func (sp *Spec) Init() []State { return []State{{}} }

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
