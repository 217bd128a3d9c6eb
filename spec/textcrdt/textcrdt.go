package textcrdt

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations (they keep a state a few dozen bytes).
const (
	MaxNodes   = 3
	MaxOps     = 3 // inserts and deletes per replica
	MaxLetters = 2
	MaxBits    = 8
	// maxIDs is the number of distinct updates a run can make.
	maxIDs = MaxNodes * MaxOps
	// none marks a missing neighbour: the sentinel.
	none = 0xff
)

// Delivery says how an update reaches the other replicas.
type Delivery uint8

const (
	// Causal holds an update back until every update its writer had
	// applied is applied here too (causal broadcast).
	Causal Delivery = iota
	// Reliable applies an update as soon as it arrives: every update
	// reaches every replica, in any order.
	Reliable
)

var deliveryNames = [...]string{"causal", "reliable"}

func (d Delivery) String() string { return deliveryNames[d&1] }

// Deliveries lists the deliveries in the order of their numbers.
func Deliveries() []Delivery { return []Delivery{Causal, Reliable} }

// Letters is the alphabet the checker types from.
const Letters = "ab"

// Params configure the replicas.
type Params struct {
	// Nodes is the number of replicas (2..MaxNodes).
	Nodes int
	// Inserts[i] is the number of characters replica i types; the checker
	// tries every index and letter for each.
	Inserts [MaxNodes]int
	// Deletes[i] is the number of characters replica i deletes after its
	// inserts; the checker tries every index. Inserts[i]+Deletes[i] is at
	// most MaxOps.
	Deletes [MaxNodes]int
	// Letters is the size of the alphabet (1..MaxLetters): "a", or "a"
	// and "b".
	Letters int
	// Delivery is how updates are delivered.
	Delivery Delivery
	// Bits is 0 for exact positions, or the precision of bounded
	// positions (1..MaxBits bits after the point; a midpoint rounds down).
	Bits int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two replicas each typing one character, from an
// alphabet of one letter, over causal broadcast with exact positions.
func DefaultParams() Params {
	return Params{Nodes: 2, Inserts: [MaxNodes]int{1, 1}, Letters: 1}
}

// Protocol is the replicas of one text. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Nodes < 2 || p.Nodes > MaxNodes:
		return nil, fmt.Errorf("textcrdt: %d nodes, want 2..%d", p.Nodes, MaxNodes)
	case p.Letters < 1 || p.Letters > MaxLetters:
		return nil, fmt.Errorf("textcrdt: %d letters, want 1..%d", p.Letters, MaxLetters)
	case p.Delivery > Reliable:
		return nil, fmt.Errorf("textcrdt: Delivery = %d, want causal (0) or reliable (1)", p.Delivery)
	case p.Bits < 0 || p.Bits > MaxBits:
		return nil, fmt.Errorf("textcrdt: Bits = %d, want 0 (exact) or 1..%d", p.Bits, MaxBits)
	}
	for i := range MaxNodes {
		in, de := p.Inserts[i], p.Deletes[i]
		if in < 0 || de < 0 || in+de > MaxOps || i >= p.Nodes && in+de != 0 {
			return nil, fmt.Errorf("textcrdt: node %d makes %d inserts and %d deletes, want at most %d in all (and none beyond node %d)", i, in, de, MaxOps, p.Nodes-1)
		}
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is the number of replicas.
func (pr *Protocol) Nodes() int { return pr.p.Nodes }

// ID names one update: node i's k-th (k from 0). An insert's ID also
// names the character it types. A set of IDs is a bit mask.
func ID(i spec.NodeID, k int) uint8 { return uint8(int(i)*MaxOps + k) }

// NodeOf is the replica that made update id.
func NodeOf(id uint8) spec.NodeID { return spec.NodeID(id / MaxOps) }

// Op is one update a replica made (ghost, for the properties).
type Op struct {
	Kind MsgKind // Insert or Delete
	ID   uint8
	// Char is the letter typed (Insert).
	Char uint8
	// Left and Right are the characters the insert went between at its
	// writer (none: a sentinel); Target the character deleted.
	Left, Right, Target uint8
	// Deps is the updates its writer had applied before it.
	Deps uint16
}

// State is one replica's state.
type State struct {
	Me spec.NodeID
	// Text is the IDs of the characters, in text order; Len of them.
	Text [maxIDs]uint8
	Len  uint8
	// Pos and Char are each applied insert's position and letter, by ID.
	Pos  [maxIDs]Pos
	Char [maxIDs]uint8
	// Applied is the updates applied here (a mask of IDs).
	Applied uint16
	// Held is the updates received but held back until their causal
	// past is applied; Pending[id] is each one.
	Held    uint16
	Pending [maxIDs]Msg
	// Mine are the replica's own updates, in order (ghost: read by the
	// properties, never by Step); Made counts them.
	Mine [MaxOps]Op
	Made uint8
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// InsertReq asks to type Char at Index.
	InsertReq MsgKind = iota
	// DeleteReq asks to delete the character at Index.
	DeleteReq
	// Insert is a typed character broadcast to the other replicas.
	Insert
	// Delete is a deletion broadcast to the other replicas.
	Delete
	// Done observes an update applied at its writer (its Op is the
	// update's kind).
	Done
)

// Msg is a request, an update or an observation.
type Msg struct {
	Kind MsgKind
	// Op is the update's kind (Done).
	Op MsgKind
	// Index is the requested place (InsertReq, DeleteReq).
	Index uint8
	// Char is the letter (InsertReq, Insert).
	Char uint8
	// ID is the update's; Target the deleted character's (Delete).
	ID, Target uint8
	// P is the inserted character's position (Insert), or the deleted
	// one's (Delete): a delete removes (P, node of Target).
	P Pos
	// Deps is the updates its writer had applied before it: its causal
	// past.
	Deps uint16
}

// TimerName names timer t: the replicas set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }

// Init returns replica id's state: an empty text.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the replicas are checked without crashes, and
// a replica's text, applied set and hold-back queue would be on disk.
func (pr *Protocol) Crash(s State) State { return s }

func appendPos(b []byte, p Pos) []byte { return append(spec.AppendUint(b, uint64(p.N)), p.E) }

// AppendState appends s's canonical encoding (positions of present
// characters, held updates only).
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), s.Len, s.Made)
	b = spec.AppendUint(b, uint64(s.Applied))
	b = spec.AppendUint(b, uint64(s.Held))
	for _, id := range s.Text[:s.Len] {
		b = append(b, id, s.Char[id])
		b = appendPos(b, s.Pos[id])
	}
	for id := range maxIDs {
		if s.Held>>id&1 == 1 {
			b = pr.AppendMsg(b, s.Pending[id])
		}
	}
	for _, o := range s.Mine[:s.Made] {
		b = append(b, byte(o.Kind), o.ID, o.Char, o.Left, o.Right, o.Target)
		b = spec.AppendUint(b, uint64(o.Deps))
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), byte(m.Op), m.Index, m.Char, m.ID, m.Target)
	b = appendPos(b, m.P)
	return spec.AppendUint(b, uint64(m.Deps))
}

// Name names update or character id: "n1.2" for node 1's second update.
func Name(id uint8) string { return fmt.Sprintf("n%d.%d", id/MaxOps, id%MaxOps+1) }

// FormatIDs is "{n0.1,n1.1}".
func FormatIDs(mask uint16) string {
	var parts []string
	for id := range uint8(maxIDs) {
		if mask>>id&1 == 1 {
			parts = append(parts, Name(id))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// String is the text as its letters.
func (s State) String() string {
	b := make([]byte, s.Len)
	for i, id := range s.Text[:s.Len] {
		b[i] = Letters[s.Char[id]%MaxLetters]
	}
	return string(b)
}

// FormatState describes s: `"ab" a=n0.1@1/2 b=n1.1@3/4 applied={n0.1,n1.1}`,
// with " held={...}" when updates wait.
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", s.String())
	for _, id := range s.Text[:s.Len] {
		fmt.Fprintf(&b, " %c=%s@%s", Letters[s.Char[id]%MaxLetters], Name(id), s.Pos[id])
	}
	fmt.Fprintf(&b, " applied=%s", FormatIDs(s.Applied))
	if s.Held != 0 {
		fmt.Fprintf(&b, " held=%s", FormatIDs(s.Held))
	}
	return b.String()
}

// FormatMsg describes m: "type a at 0", "delete at 1",
// "insert n0.1 a@1/2 after {}", "delete n1.1: n0.1@1/2 after {n0.1}",
// "typed n0.1 a@1/2", "deleted n0.1@1/2".
func (pr *Protocol) FormatMsg(m Msg) string {
	letter := Letters[m.Char%MaxLetters]
	switch m.Kind {
	case InsertReq:
		return fmt.Sprintf("type %c at %d", letter, m.Index)
	case DeleteReq:
		return fmt.Sprintf("delete at %d", m.Index)
	case Insert:
		return fmt.Sprintf("insert %s %c@%s after %s", Name(m.ID), letter, m.P, FormatIDs(m.Deps))
	case Delete:
		return fmt.Sprintf("delete %s: %s@%s after %s", Name(m.ID), Name(m.Target), m.P, FormatIDs(m.Deps))
	}
	if m.Op == Delete {
		return fmt.Sprintf("deleted %s@%s", Name(m.Target), m.P)
	}
	return fmt.Sprintf("typed %s %c@%s", Name(m.ID), letter, m.P)
}

// Workload is each replica's inserts, then its deletes; the checker tries
// every index (up to the most characters a text can hold before it) and
// every letter. An index past the end of the text means the end (an
// insert) or the last character (a delete).
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	total := 0
	for _, n := range pr.p.Inserts {
		total += n
	}
	var ins, del []Msg
	for i := range max(total, 1) {
		for c := range pr.p.Letters {
			ins = append(ins, Msg{Kind: InsertReq, Index: uint8(i), Char: uint8(c)})
		}
		del = append(del, Msg{Kind: DeleteReq, Index: uint8(i)})
	}
	var work []spec.WorkItem[Msg]
	for i := range pr.p.Nodes {
		for range pr.p.Inserts[i] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: ins})
		}
		for range pr.p.Deletes[i] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: del})
		}
	}
	return work
}
