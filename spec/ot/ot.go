package ot

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations (they keep a state a few dozen bytes).
const (
	MaxClients = 3
	MaxEdits   = 2 // edits per client
	// maxOps is the number of distinct edits a run can make.
	maxOps = MaxClients * MaxEdits
	// firstOpID is the ID of the first edit: IDs below it name the
	// characters of the initial text.
	firstOpID = 8
)

// Server is the node that sequences the edits; clients are 1..Clients.
const Server spec.NodeID = 0

// Initial is the text every replica starts from.
const Initial = "BC"

// Alphabet is the letters an insert may type: the first Params.Letters.
const Alphabet = "ADE"

// Params configure the clients and the server.
type Params struct {
	// Clients is the number of clients (2..MaxClients); node 0 is the
	// server, nodes 1..Clients the clients.
	Clients int
	// Edits[i] is the number of edits client i+1 makes (0..MaxEdits); the
	// checker tries every insert and delete index and every letter.
	Edits [MaxClients]int
	// Letters is how many letters of Alphabet an insert may type (1..3).
	Letters int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two clients editing once each, typing A or D.
func DefaultParams() Params {
	return Params{Clients: 2, Edits: [MaxClients]int{1, 1}, Letters: 2}
}

// Protocol is the server and clients of one shared text. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Clients < 2 || p.Clients > MaxClients:
		return nil, fmt.Errorf("ot: %d clients, want 2..%d", p.Clients, MaxClients)
	case p.Letters < 1 || p.Letters > len(Alphabet):
		return nil, fmt.Errorf("ot: %d letters, want 1..%d", p.Letters, len(Alphabet))
	}
	for i, e := range p.Edits {
		if e < 0 || e > MaxEdits || i >= p.Clients && e != 0 {
			return nil, fmt.Errorf("ot: client %d makes %d edits, want 0..%d (and none beyond client %d)", i+1, e, MaxEdits, p.Clients)
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

// Nodes is the server and the clients.
func (pr *Protocol) Nodes() int { return 1 + pr.p.Clients }

// OpID names client c's k-th edit (k from 0), and the character it
// inserts, if it does.
func OpID(c spec.NodeID, k int) uint8 { return uint8(firstOpID + (int(c)-1)*MaxEdits + k) }

// Edit is one edit a client made (ghost, for the properties): its ID,
// kind, and the characters (IDs) it saw around it: for an insert its
// neighbours (Left, Right; Edge at an end), for a delete the character
// it meant to delete (Left).
type Edit struct {
	ID, Left, Right uint8
	Kind            OpKind
}

// Edge stands for the start or the end of the text in Edit.
const Edge = 0xff

// State is the server's or a client's state.
type State struct {
	Me spec.NodeID
	// Text is the replica's text; IDs holds the ID of each of its
	// characters (ghost, read by the properties only).
	Text, IDs string
	// Rev is the number of sequenced edits applied here: at the server,
	// the length of Log.
	Rev uint8
	// Log is the server's sequenced edits, as transformed and applied.
	Log [maxOps]Op
	// Next[c-1] is the number of client c's edits the server sequenced.
	Next [MaxClients]uint8
	// Sent is a client's edit sent to the server and not yet sequenced,
	// if HasSent; Buffer[:Buffered] are its later edits, waiting to go.
	// Each is kept transformed to apply on the client's text.
	Sent     Op
	HasSent  bool
	Buffer   [MaxEdits]Op
	Buffered uint8
	// Held is the sequenced edits a client received ahead of their turn
	// (a mask of revisions); Ahead[r] is each one.
	Held  uint8
	Ahead [maxOps]Op
	// Made counts a client's edits; Mine are they (ghost).
	Made uint8
	Mine [MaxEdits]Edit
	// Applied is the edits applied here (a mask of bits ID-firstOpID),
	// and Shifted records that a transformation moved or voided an edit
	// here (ghost, read by the properties only).
	Applied uint8
	Shifted bool
	// Concurrent records that an edit arrived here concurrent with one
	// applied here first: at the server, made on an older revision; at a
	// client, another's edit while its own was unsequenced (ghost).
	Concurrent bool
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// EditReq is the application's request: Op.Kind, Op.Pos and
	// Op.Letter (an index past the text is clamped to its end).
	EditReq MsgKind = iota
	// Submit carries a client's edit to the server: made on the text of
	// revision Rev plus nothing unsequenced.
	Submit
	// Sequenced carries an edit the server sequenced as revision Rev to
	// every client (to its author, an acknowledgement).
	Sequenced
	// Edited observes an edit applied where it was made.
	Edited
)

// Msg is a request, a message or an observation.
type Msg struct {
	Kind MsgKind
	Op   Op
	Rev  uint8
}

// TimerName names timer t: no node sets one.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }

// Init returns node id's state: the initial text, at revision 0.
func (pr *Protocol) Init(id spec.NodeID) State {
	ids := make([]byte, len(Initial))
	for i := range ids {
		ids[i] = byte(i)
	}
	return State{Me: id, Text: Initial, IDs: string(ids)}
}

// Crash keeps everything: the text is checked without crashes.
func (pr *Protocol) Crash(s State) State { return s }

func appendOp(b []byte, op Op) []byte {
	return append(b, byte(op.Kind), op.Pos, op.Letter, op.Author, op.ID)
}

// AppendState appends s's canonical encoding (only the parts in use).
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), s.Rev, s.Buffered, s.Held, s.Made, s.Applied)
	b = spec.AppendBool(b, s.HasSent)
	b = spec.AppendBool(b, s.Shifted)
	b = spec.AppendBool(b, s.Concurrent)
	b = spec.AppendString(b, s.Text)
	b = spec.AppendString(b, s.IDs)
	if s.Me == Server {
		for _, op := range s.Log[:s.Rev] {
			b = appendOp(b, op)
		}
		return append(b, s.Next[:]...)
	}
	if s.HasSent {
		b = appendOp(b, s.Sent)
	}
	for _, op := range s.Buffer[:s.Buffered] {
		b = appendOp(b, op)
	}
	for r := range maxOps {
		if s.Held>>r&1 == 1 {
			b = appendOp(b, s.Ahead[r])
		}
	}
	for _, e := range s.Mine[:s.Made] {
		b = append(b, e.ID, e.Left, e.Right, byte(e.Kind))
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return appendOp(append(b, byte(m.Kind), m.Rev), m.Op)
}

// FormatState describes s: `"ABC" rev 1`, with a client's unsequenced
// edits (" sent ins(0,A) buffer del(1)") and held ones (" held r2").
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q rev %d", s.Text, s.Rev)
	if s.HasSent {
		b.WriteString(" sent " + FormatOp(s.Sent, false))
	}
	if s.Buffered > 0 {
		b.WriteString(" buffer")
		for _, op := range s.Buffer[:s.Buffered] {
			b.WriteString(" " + FormatOp(op, false))
		}
	}
	if s.Held != 0 {
		b.WriteString(" held")
		for r := range maxOps {
			if s.Held>>r&1 == 1 {
				fmt.Fprintf(&b, " r%d", r)
			}
		}
	}
	return b.String()
}

// FormatMsg describes m: "edit ins(0,A)", "ins(0,A)@c1 on r0",
// "r1 = ins(3,D)@c2", "edited ins(0,A)".
func (pr *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case EditReq:
		return "edit " + FormatOp(m.Op, false)
	case Submit:
		return fmt.Sprintf("%s on r%d", FormatOp(m.Op, true), m.Rev)
	case Sequenced:
		return fmt.Sprintf("r%d = %s", m.Rev, FormatOp(m.Op, true))
	}
	return "edited " + FormatOp(m.Op, false)
}

// Workload is each client's edits, in order; the checker tries, for
// each, an insert of every letter at every index and a delete at every
// index the text can have then.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	total := 0
	for _, e := range pr.p.Edits {
		total += e
	}
	var choices []Msg
	for pos := range len(Initial) + total {
		for _, l := range []byte(Alphabet[:pr.p.Letters]) {
			choices = append(choices, Msg{Kind: EditReq, Op: Op{Kind: Ins, Pos: uint8(pos), Letter: l}})
		}
	}
	for pos := range len(Initial) + total - 1 {
		choices = append(choices, Msg{Kind: EditReq, Op: Op{Kind: Del, Pos: uint8(pos)}})
	}
	var work []spec.WorkItem[Msg]
	for c := range pr.p.Clients {
		for range pr.p.Edits[c] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(c + 1), Choices: choices})
		}
	}
	return work
}
