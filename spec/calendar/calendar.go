package calendar

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations (they keep a state a few bytes).
const (
	MaxNodes  = 3
	MaxEdits  = 2 // edits per node
	MaxFields = 3
)

// Granularity says what one timestamp covers.
type Granularity uint8

const (
	// PerField is the op-based LWW map: each field is a key with its own
	// timestamp, and an update names one field.
	PerField Granularity = iota
	// WholeEntry is last writer wins on the whole entry: an update carries
	// every field as its writer knew them, under one timestamp.
	WholeEntry
)

var granularityNames = [...]string{"field", "entry"}

func (g Granularity) String() string { return granularityNames[g&1] }

// Granularities lists the granularities in the order of their numbers.
func Granularities() []Granularity { return []Granularity{PerField, WholeEntry} }

// FieldNames name the entry's fields.
var FieldNames = [MaxFields]string{"title", "time", "place"}

// Params configure the replicas.
type Params struct {
	// Nodes is the number of replicas (2..MaxNodes).
	Nodes int
	// Edits[i] is the number of edits replica i makes (0..MaxEdits); each
	// edits one field, which the checker chooses.
	Edits [MaxNodes]int
	// Fields is the number of fields of the entry (1..MaxFields).
	Fields int
	// LWW is what a timestamp covers.
	LWW Granularity
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two replicas of an entry with two fields (title and
// time), each replica editing once, each field its own key.
func DefaultParams() Params { return Params{Nodes: 2, Edits: [MaxNodes]int{1, 1}, Fields: 2} }

// Protocol is the replicas of one calendar entry. It implements
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
		return nil, fmt.Errorf("calendar: %d nodes, want 2..%d", p.Nodes, MaxNodes)
	case p.Fields < 1 || p.Fields > MaxFields:
		return nil, fmt.Errorf("calendar: %d fields, want 1..%d", p.Fields, MaxFields)
	case p.LWW > WholeEntry:
		return nil, fmt.Errorf("calendar: LWW = %d, want field (0) or entry (1)", p.LWW)
	}
	for i, e := range p.Edits {
		if e < 0 || e > MaxEdits || i >= p.Nodes && e != 0 {
			return nil, fmt.Errorf("calendar: node %d makes %d edits, want 0..%d (and none beyond node %d)", i, e, MaxEdits, p.Nodes-1)
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

// Stamp is a unique Lamport timestamp (counter, node): the value an
// edit writes is named by its stamp.
type Stamp = spec.Stamp

// Edit is one edit a replica made: the field and the timestamp (which is
// also the value written).
type Edit struct {
	Field uint8
	Stamp Stamp
}

// State is one replica's state.
type State struct {
	Me spec.NodeID
	// Clock is the Lamport clock.
	Clock uint8
	// Fields[f] is the value of field f (the timestamp of the edit that
	// wrote it). Under per-field LWW it is also the field's timestamp.
	Fields [MaxFields]Stamp
	// Entry is the whole entry's timestamp (whole-entry LWW only).
	Entry Stamp
	// Applied has bit EditID(i, k) set once the replica applied node i's
	// k-th edit (its own, or delivered).
	Applied uint8
	// Mine are the replica's own edits, in order (ghost: read by the
	// properties, never by Step).
	Mine [MaxEdits]Edit
	// Made counts them.
	Made uint8
}

// EditID numbers node i's k-th edit (k from 0) in State.Applied.
func EditID(i spec.NodeID, k int) uint { return uint(int(i)*MaxEdits + k) }

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// EditReq is the application's request to edit Field.
	EditReq MsgKind = iota
	// Update is an edit broadcast to the other replicas.
	Update
	// Acked observes an edit applied locally: the user sees it done.
	Acked
)

// Msg is a request, an update or an observation.
type Msg struct {
	Kind  MsgKind
	Field uint8 // EditReq, Update, Acked: the field edited
	// Stamp is the edit's timestamp (Update, Acked).
	Stamp Stamp
	// ID is the edit's number (EditID), for Applied (Update).
	ID uint8
	// Fields is the whole entry as the writer knew it (Update under
	// whole-entry LWW).
	Fields [MaxFields]Stamp
}

// TimerName names timer t: the replicas set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }

// Init returns replica id's state: nothing written.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the replicas are checked without crashes, and a
// replica's entry, clock and applied set would be on disk.
func (pr *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), s.Clock, s.Entry.C, s.Entry.Node, s.Applied, s.Made)
	for _, f := range s.Fields {
		b = append(b, f.C, f.Node)
	}
	for _, e := range s.Mine {
		b = append(b, e.Field, e.Stamp.C, e.Stamp.Node)
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), m.Field, m.Stamp.C, m.Stamp.Node, m.ID)
	for _, f := range m.Fields {
		b = append(b, f.C, f.Node)
	}
	return b
}

// FormatState describes s: "clock=2 title=w0.1 time=w1.1 applied={0,2}"
// (with "entry=w1.1" first under whole-entry LWW).
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "clock=%d", s.Clock)
	if pr.p.LWW == WholeEntry {
		fmt.Fprintf(&b, " entry=%s", s.Entry)
	}
	for f := range pr.p.Fields {
		fmt.Fprintf(&b, " %s=%s", FieldNames[f], s.Fields[f])
	}
	b.WriteString(" applied={")
	first := true
	for i := range pr.p.Nodes {
		for k := range MaxEdits {
			if s.Applied>>EditID(spec.NodeID(i), k)&1 == 1 {
				if !first {
					b.WriteByte(',')
				}
				first = false
				fmt.Fprintf(&b, "n%d#%d", i, k+1)
			}
		}
	}
	b.WriteByte('}')
	return b.String()
}

// FormatMsg describes m: "edit time", "set time=w1.1" (per field),
// "entry w1.1 title=- time=w1.1" (whole entry), "acked time=w1.1".
func (pr *Protocol) FormatMsg(m Msg) string {
	name := FieldNames[m.Field%MaxFields]
	switch m.Kind {
	case EditReq:
		return "edit " + name
	case Acked:
		return fmt.Sprintf("acked %s=%s", name, m.Stamp)
	}
	if pr.p.LWW == PerField {
		return fmt.Sprintf("set %s=%s", name, m.Stamp)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "entry %s", m.Stamp)
	for f := range pr.p.Fields {
		fmt.Fprintf(&b, " %s=%s", FieldNames[f], m.Fields[f])
	}
	return b.String()
}

// Workload is each replica's edits, in order; the checker tries every
// field for each.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	var choices []Msg
	for f := range pr.p.Fields {
		choices = append(choices, Msg{Kind: EditReq, Field: uint8(f)})
	}
	var work []spec.WorkItem[Msg]
	for i := range pr.p.Nodes {
		for range pr.p.Edits[i] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: choices})
		}
	}
	return work
}
