package rpc

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MsgKind says what a Msg is: the application's request, a message between
// the nodes, or an observation.
type MsgKind uint8

// The message kinds.
const (
	// CallReq asks the client to make call Call (a request).
	CallReq MsgKind = iota
	// Call asks the server to execute call Call, as request ID, with Op.
	Call
	// Reply tells the client that request ID of call Call was executed.
	Reply
	// Restarted tells the client that the server has recovered from a
	// crash (a new connection): a retrying client resends its call.
	Restarted

	// Invoked observes that the application issued call Call.
	Invoked
	// Applied observes that the server executed call Call, taking its
	// register from Before to After.
	Applied
	// Answered observes that the server answered a duplicate of call Call
	// from its table, without executing it.
	Answered
	// Returned observes that call Call returned to the application.
	Returned
	// GaveUp observes that call Call timed out and the client gave up on
	// it (AtMostOnce): the application does not know whether it was
	// executed.
	GaveUp
)

var msgNames = [...]string{"call", "Call", "Reply", "Restarted", "Invoked", "Applied", "Answered", "Returned", "GaveUp"}

// String returns the kind's name as messages print it.
func (k MsgKind) String() string {
	if int(k) < len(msgNames) {
		return msgNames[k]
	}
	return fmt.Sprintf("MsgKind(%d)", k)
}

// Op is the operation a call performs on the server's register.
type Op uint8

// The operations.
const (
	// Inc adds one: executing it twice counts twice.
	Inc Op = iota
	// Set sets the register to the call's number: idempotent.
	Set
)

// Msg is a request, a message or an observation. Which fields are used
// depends on Kind; unused fields are zero.
type Msg struct {
	Kind MsgKind
	// Call numbers the application's call (1..Ops): what the client means.
	Call uint8
	// ID is the request id the server's table records. A correct client
	// sends every attempt of call k as request k.
	ID uint8
	Op Op
	// Before and After are the register around an execution (Applied).
	Before, After int8
}

// AppendMsg appends m's canonical encoding: one byte a field.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), m.Call, m.ID, byte(m.Op), byte(m.Before), byte(m.After))
}

// FormatMsg describes m: call(1), Call(1 inc), Reply(1),
// Applied(1 x:0→1).
func (p *Protocol) FormatMsg(m Msg) string { return m.String() }

// String describes m as FormatMsg does.
func (m Msg) String() string {
	id := ""
	if m.ID != m.Call {
		id = fmt.Sprintf(" id=%d", m.ID)
	}
	switch m.Kind {
	case Call:
		op := "inc"
		if m.Op == Set {
			op = fmt.Sprintf("set %d", m.Call)
		}
		return fmt.Sprintf("Call(%d%s %s)", m.Call, id, op)
	case Reply:
		return fmt.Sprintf("Reply(%d%s)", m.Call, id)
	case Restarted:
		return "Restarted"
	case Applied:
		return fmt.Sprintf("Applied(%d x:%d→%d)", m.Call, m.Before, m.After)
	}
	return fmt.Sprintf("%s(%d)", m.Kind, m.Call)
}

// AppendState appends s's canonical encoding: one byte a field, two for
// the table.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	return append(b, byte(s.Role), byte(s.X), byte(s.Table), byte(s.Table>>8), s.Issued, s.Done, s.Cur, s.Tries)
}

// FormatState describes s on one line: "server x=1 table={1}",
// "client call 2 (1 retry) issued 2 done 1".
func (p *Protocol) FormatState(s State) string {
	var b strings.Builder
	if s.Role == ServerRole {
		fmt.Fprintf(&b, "server x=%d", s.X)
		if p.p.Semantics.Dedup() {
			b.WriteString(" table={")
			first := true
			for id := range 16 {
				if s.Table&(1<<id) != 0 {
					if !first {
						b.WriteByte(',')
					}
					first = false
					fmt.Fprint(&b, id)
				}
			}
			b.WriteByte('}')
		}
		return b.String()
	}
	b.WriteString("client")
	if s.Cur != 0 {
		fmt.Fprintf(&b, " call %d", s.Cur)
		if s.Tries > 0 {
			fmt.Fprintf(&b, " (%d %s)", s.Tries, plural(int(s.Tries), "retry", "retries"))
		}
	} else {
		b.WriteString(" idle")
	}
	fmt.Fprintf(&b, " issued %d done %d", s.Issued, s.Done)
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// emit returns an observation of kind k about call c.
func emit(k MsgKind, c uint8) spec.Output[Msg] { return spec.Emit(Msg{Kind: k, Call: c}) }
