package twophase

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MaxRMs is the largest number of resource managers a State can hold.
const MaxRMs = 15

// RMState is a resource manager's state.
type RMState uint8

// The resource-manager states of TwoPhase.
const (
	Working RMState = iota
	Prepared
	Committed
	Aborted
)

var rmNames = [...]string{"working", "prepared", "committed", "aborted"}

func (r RMState) String() string { return rmNames[r&3] }

// TMState is the transaction manager's state.
type TMState uint8

// The transaction-manager states of TwoPhase.
const (
	TMInit TMState = iota
	TMCommitted
	TMAborted
)

var tmNames = [...]string{"init", "committed", "aborted", "invalid"}

func (t TMState) String() string { return tmNames[t&3] }

// State is one state of the whole system packed into 64 bits, with RMs
// numbered from 0:
//
//	bits 0..2n-1     rmState, 2 bits per RM
//	bits 2n..2n+1    tmState
//	bits 2n+2..3n+1  tmPrepared, 1 bit per RM
//	bits 3n+2..4n+1  Prepared(rm) in msgs, 1 bit per RM
//	bit  4n+2        Commit in msgs
//	bit  4n+3        Abort in msgs
//
// The packing is canonical (one value per TLA+ state), so the state is its
// own fingerprint.
type State uint64

// ActionKind names a TwoPhase action.
type ActionKind uint8

// The actions of TwoPhase's Next, in the order Next enumerates them.
const (
	TMCommit ActionKind = iota
	TMAbort
	TMRcvPrepared
	RMPrepare
	RMChooseToAbort
	RMRcvCommitMsg
	RMRcvAbortMsg
)

var actionNames = [...]string{"TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"}

func (k ActionKind) String() string { return actionNames[k] }

// Action is one action instance: its kind and, for RM actions and
// TMRcvPrepared, the RM (from 0).
type Action struct {
	Kind ActionKind
	RM   uint8
}

// Mutants lists the known-buggy variants New accepts, with what each breaks.
var Mutants = []spec.Mutant{
	{Name: "commit-without-prepared", Doc: "the TM may commit before every RM has prepared", Breaks: PropConsistent},
}

// Property names.
const (
	PropConsistent   = "consistent"
	PropAllCommitted = "all-committed"
	PropAllAborted   = "all-aborted"
)

// Spec is TwoPhase with a fixed number of RMs. It satisfies the explorer's
// System interface (Init, Next, Fingerprint, Label) without importing it.
type Spec struct {
	rms    int
	mutant string
	// symmetric: Fingerprint names the state's orbit under permutations of
	// the RMs (see Symmetric).
	symmetric bool

	tmShift, tmPrepShift, msgPrepShift uint
	commitBit, abortBit, tmPrepAll     State
	// rmHigh and rmLow select the high and low bit of every RM's 2-bit
	// state, so predicates over all RMs are a few bit operations.
	rmHigh, rmLow State
}

// New returns TwoPhase with rms resource managers (1..MaxRMs) and the named
// mutant ("" for the correct protocol).
func New(rms int, mutant string) (*Spec, error) {
	if rms < 1 || rms > MaxRMs {
		return nil, fmt.Errorf("twophase: %d resource managers, want 1..%d", rms, MaxRMs)
	}
	if mutant != "" {
		known := false
		for _, m := range Mutants {
			known = known || m.Name == mutant
		}
		if !known {
			return nil, fmt.Errorf("twophase: unknown mutant %q", mutant)
		}
	}
	n := uint(rms)
	sp := &Spec{
		rms:          rms,
		mutant:       mutant,
		tmShift:      2 * n,
		tmPrepShift:  2*n + 2,
		msgPrepShift: 3*n + 2,
		commitBit:    1 << (4*n + 2),
		abortBit:     1 << (4*n + 3),
	}
	sp.tmPrepAll = State(1<<n-1) << sp.tmPrepShift
	for i := uint(0); i < n; i++ {
		sp.rmLow |= 1 << (2 * i)
		sp.rmHigh |= 2 << (2 * i)
	}
	return sp, nil
}

// RMs is the number of resource managers.
func (sp *Spec) RMs() int { return sp.rms }

// RM returns the state of resource manager rm.
func (sp *Spec) RM(s State, rm int) RMState { return RMState(s >> (2 * uint(rm)) & 3) }

// TM returns the transaction manager's state.
func (sp *Spec) TM(s State) TMState { return TMState(s >> sp.tmShift & 3) }

// TMPrepared reports whether the TM has received Prepared from rm.
func (sp *Spec) TMPrepared(s State, rm int) bool { return s>>(sp.tmPrepShift+uint(rm))&1 == 1 }

// MsgPrepared reports whether Prepared(rm) has been sent.
func (sp *Spec) MsgPrepared(s State, rm int) bool { return s>>(sp.msgPrepShift+uint(rm))&1 == 1 }

// MsgCommit reports whether Commit has been sent.
func (sp *Spec) MsgCommit(s State) bool { return s&sp.commitBit != 0 }

// MsgAbort reports whether Abort has been sent.
func (sp *Spec) MsgAbort(s State) bool { return s&sp.abortBit != 0 }

// Init returns the single initial state: every RM working, the TM in init,
// no message sent. It is the zero State.
func (sp *Spec) Init() []State { return []State{0} }

// Next enumerates every enabled action instance, self-loops included, so
// that the number of transitions equals TLC's "states generated".
func (sp *Spec) Next(s State, yield func(Action, State, bool)) {
	tm := sp.TM(s)
	if tm == TMInit {
		if s&sp.tmPrepAll == sp.tmPrepAll || sp.mutant == "commit-without-prepared" {
			yield(Action{Kind: TMCommit}, s&^(3<<sp.tmShift)|State(TMCommitted)<<sp.tmShift|sp.commitBit, false)
		}
		yield(Action{Kind: TMAbort}, s&^(3<<sp.tmShift)|State(TMAborted)<<sp.tmShift|sp.abortBit, false)
	}
	commit, abort := s&sp.commitBit != 0, s&sp.abortBit != 0
	for i := uint(0); i < uint(sp.rms); i++ {
		rm := uint8(i)
		shift := 2 * i
		if tm == TMInit && s>>(sp.msgPrepShift+i)&1 == 1 {
			yield(Action{Kind: TMRcvPrepared, RM: rm}, s|1<<(sp.tmPrepShift+i), false)
		}
		if RMState(s>>shift&3) == Working {
			yield(Action{Kind: RMPrepare, RM: rm}, s&^(3<<shift)|State(Prepared)<<shift|1<<(sp.msgPrepShift+i), false)
			yield(Action{Kind: RMChooseToAbort, RM: rm}, s&^(3<<shift)|State(Aborted)<<shift, false)
		}
		if commit {
			yield(Action{Kind: RMRcvCommitMsg, RM: rm}, s&^(3<<shift)|State(Committed)<<shift, false)
		}
		if abort {
			yield(Action{Kind: RMRcvAbortMsg, RM: rm}, s&^(3<<shift)|State(Aborted)<<shift, false)
		}
	}
}

// Fingerprint is the packed state itself: the packing is canonical. With
// symmetry on it is the canonical member of the state's orbit instead.
func (sp *Spec) Fingerprint(s State) uint64 {
	if sp.symmetric {
		return uint64(sp.Canonical(s))
	}
	return uint64(s)
}

// Pack appends s as 8 bytes: with Unpack it lets the explorer keep its
// frontier as bytes, which can wait on disk beyond a memory budget.
func (sp *Spec) Pack(dst []byte, s State) []byte {
	return binary.LittleEndian.AppendUint64(dst, uint64(s))
}

// Unpack reads a state Pack wrote.
func (sp *Spec) Unpack(b []byte) State { return State(binary.LittleEndian.Uint64(b)) }

// Symmetric returns a copy of sp whose Fingerprint is the same for every
// state that differs from another only by a renaming of the RMs. The RMs
// are interchangeable in TwoPhase: no action names a particular RM, and
// every property (consistency, all committed, all aborted) is the same
// under any renaming. So the explorer, storing one state per fingerprint,
// keeps exactly one state per orbit, and every path it reports is still an
// execution of the unreduced system, naming the RMs as they really are.
func (sp *Spec) Symmetric() *Spec {
	c := *sp
	c.symmetric = true
	return &c
}

// Canonical returns the member of s's orbit whose RMs are sorted by their
// local view: each RM is its state, whether the TM has its Prepared and
// whether its Prepared was sent (four bits), and nothing else refers to
// an RM, so two states are renamings of each other exactly when their
// multisets of views are equal, and listing the views in order is a
// canonical form (exact: no two orbits share it).
func (sp *Spec) Canonical(s State) State {
	var count [16]uint8
	for i := uint(0); i < uint(sp.rms); i++ {
		v := uint8(s>>(2*i)&3) | uint8(s>>(sp.tmPrepShift+i)&1)<<2 | uint8(s>>(sp.msgPrepShift+i)&1)<<3
		count[v]++
	}
	c := s & (3<<sp.tmShift | sp.commitBit | sp.abortBit)
	i := uint(0)
	for v := range uint8(16) {
		for range count[v] {
			c |= State(v&3)<<(2*i) | State(v>>2&1)<<(sp.tmPrepShift+i) | State(v>>3&1)<<(sp.msgPrepShift+i)
			i++
		}
	}
	return c
}

// Label names an action as TLA+ writes it, with RMs numbered from 1.
func (sp *Spec) Label(_ State, a Action) string {
	switch a.Kind {
	case TMCommit, TMAbort:
		return a.Kind.String()
	}
	return fmt.Sprintf("%s(r%d)", a.Kind, a.RM+1)
}

// Describe renders a state on one line.
func (sp *Spec) Describe(s State) string {
	var b strings.Builder
	b.WriteString("rm=[")
	for i := range sp.rms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sp.RM(s, i).String())
	}
	fmt.Fprintf(&b, "] tm=%s tmPrepared={", sp.TM(s))
	sp.writeSet(&b, func(i int) bool { return sp.TMPrepared(s, i) })
	b.WriteString("} msgs={")
	var msgs []string
	for i := range sp.rms {
		if sp.MsgPrepared(s, i) {
			msgs = append(msgs, fmt.Sprintf("Prepared(r%d)", i+1))
		}
	}
	if sp.MsgCommit(s) {
		msgs = append(msgs, "Commit")
	}
	if sp.MsgAbort(s) {
		msgs = append(msgs, "Abort")
	}
	b.WriteString(strings.Join(msgs, ", "))
	b.WriteByte('}')
	return b.String()
}

func (sp *Spec) writeSet(b *strings.Builder, in func(int) bool) {
	first := true
	for i := range sp.rms {
		if in(i) {
			if !first {
				b.WriteString(", ")
			}
			first = false
			fmt.Fprintf(b, "r%d", i+1)
		}
	}
}

// Consistent is TLA+'s TCConsistent: no RM has committed while another has
// aborted.
func (sp *Spec) Consistent(s State) error {
	if sp.rmsIn(s, Committed) != 0 && sp.rmsIn(s, Aborted) != 0 {
		committed, aborted := -1, -1
		for i := range sp.rms {
			switch sp.RM(s, i) {
			case Committed:
				committed = i
			case Aborted:
				aborted = i
			}
		}
		return fmt.Errorf("r%d committed while r%d aborted", committed+1, aborted+1)
	}
	return nil
}

// AllCommitted reports whether every RM has committed (a sometimes property:
// the commit path is reachable).
func (sp *Spec) AllCommitted(s State) bool { return sp.rmsIn(s, Committed) == sp.rmLow }

// AllAborted reports whether every RM has aborted.
func (sp *Spec) AllAborted(s State) bool { return sp.rmsIn(s, Aborted) == sp.rmLow }

// rmsIn returns the RMs in state want, as the low bit of each RM's field.
// Committed is 0b10 and Aborted 0b11: a field matches when its high bit is
// want's high bit and its low bit is want's low bit.
func (sp *Spec) rmsIn(s State, want RMState) State {
	hi := s & sp.rmHigh >> 1
	lo := s & sp.rmLow
	if want&2 == 0 {
		hi = ^hi & sp.rmLow
	}
	if want&1 == 0 {
		lo = ^lo & sp.rmLow
	}
	return hi & lo
}
