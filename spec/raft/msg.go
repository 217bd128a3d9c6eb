package raft

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MsgKind says what a Msg is.
type MsgKind uint8

const (
	// ClientRequest asks the node to replicate Val and Cmd (a request
	// input).
	ClientRequest MsgKind = iota + 1
	// VoteRequest: candidate From asks for a vote in Term; LogLen and
	// LogTerm describe its log.
	VoteRequest
	// VoteResponse: From's answer to a VoteRequest of Term.
	VoteResponse
	// LogRequest: leader From of Term sends Suffix after the first
	// PrefixLen entries (the last of which has PrefixTerm), and its Commit.
	LogRequest
	// LogResponse: follower From acknowledges Ack entries (Granted) or
	// refuses; a refusal carries a hint, Hint and HintTerm, of where the
	// leader may resume (refusalHint).
	LogResponse
	// Forward carries a client's Val and Cmd from a follower to the
	// leader.
	Forward

	// BecameLeader observes that From became leader of Term.
	BecameLeader
	// Voted observes that From voted for Candidate in Term.
	Voted
	// Delivered observes that From delivered entry Index (from 1) with
	// value Val and command Cmd of term Term to the application, while in
	// term InTerm.
	Delivered

	// InstallSnapshot: leader From of Term sends its snapshot Snap (whose
	// last entry, PrefixLen, has term PrefixTer) and its Commit to a
	// follower that needs entries it has compacted (Raft paper, section 7).
	// The answer is a LogResponse acknowledging PrefixLen.
	InstallSnapshot
	// Installed observes that From installed Snap, a snapshot of the first
	// Index entries, the last of term Term, while in term InTerm.
	Installed
)

var kindNames = [...]string{"?", "request", "VoteRequest", "VoteResponse", "LogRequest", "LogResponse", "Forward", "leader", "voted", "deliver", "InstallSnapshot", "installed"}

func (k MsgKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("MsgKind(%d)", k)
}

// Msg is every message: which fields count depends on Kind.
type Msg struct {
	Kind      MsgKind
	From      int8
	Granted   bool // VoteResponse; LogResponse: success
	Candidate int8 // Voted
	Term      int32
	LogLen    int32     // VoteRequest
	LogTerm   int32     // VoteRequest
	PrefixLen int32     // LogRequest
	PrefixTer int32     // LogRequest: the term of entry PrefixLen
	Commit    int32     // LogRequest: the leader's commitLength
	Ack       int32     // LogResponse
	Hint      int32     // LogResponse refusal: the follower's log length, or where its entries of HintTerm start
	HintTerm  int32     // LogResponse refusal: the term of the follower's entry that conflicts with the prefix, 0 if its log is shorter
	Val       int32     // ClientRequest, Forward, Delivered
	Index     int32     // Delivered
	InTerm    int32     // Delivered: the deliverer's term, when the entry was known committed
	Suffix    Log       // LogRequest: a view of the leader's log
	Cmd       string    // ClientRequest, Forward, Delivered: the client's command (empty in the checker)
	Snap      *Snapshot // InstallSnapshot: the leader's snapshot; Installed: the one installed (never changed once sent)
}

// AppendMsg appends m's canonical encoding. Every value within the
// checker's bounds encodes in one byte, as when the fields were int8
// (appendInt), so the checker's encodings, and its state counts, are
// those of the narrow types.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), byte(m.From))
	b = appendInt(b, m.Term)
	b = appendInt(b, m.LogLen)
	b = appendInt(b, m.LogTerm)
	b = append(b, bit(m.Granted))
	b = appendInt(b, m.PrefixLen)
	b = appendInt(b, m.PrefixTer)
	b = appendInt(b, m.Commit)
	b = appendInt(b, m.Ack)
	b = appendInt(b, m.Hint)
	b = appendInt(b, m.HintTerm)
	b = appendValue(b, m.Val, m.Cmd)
	b = append(b, byte(m.Candidate))
	b = appendInt(b, m.Index)
	b = appendInt(b, m.InTerm)
	b = appendLog(b, m.Suffix)
	if m.Kind == InstallSnapshot || m.Kind == Installed {
		var snap Snapshot
		if m.Snap != nil {
			snap = *m.Snap
		}
		b = appendSnapshot(b, snap)
	}
	return b
}

// appendSnapshot encodes a snapshot: one zero byte for the empty one;
// otherwise withCmd (which starts no one-byte integer), its index and
// term, its digest's eight bytes, its data's length and its bytes.
func appendSnapshot(b []byte, s Snapshot) []byte {
	if s == (Snapshot{}) {
		return append(b, 0)
	}
	b = append(b, withCmd)
	b = appendInt(b, s.Index)
	b = appendInt(b, s.Term)
	for d, k := s.Digest, 0; k < 8; k++ {
		b = append(b, byte(d))
		d >>= 8
	}
	b = appendInt(b, int32(len(s.Data)))
	return append(b, s.Data...)
}

// The canonical encoding of a wide integer: its low byte alone when it is
// in -64..127, which covers every value the checker's bounds produce (so
// the byte is the one the int8 field it replaces had); otherwise wideInt
// and the value's four bytes, little endian. A one-byte encoding never
// lies in 0x80..0xBF, so wideInt and withCmd cannot start one: every
// encoding is self-delimiting, and a sequence of them is injective.
const (
	wideInt = 0x80 // a four-byte integer follows
	withCmd = 0x81 // a value with a command: the value, the command's length, its bytes
)

func appendInt(b []byte, v int32) []byte {
	if -64 <= v && v < 128 {
		return append(b, byte(v))
	}
	return append(b, wideInt, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// appendValue encodes a client's value and command: the value alone when
// there is no command (the checker), else withCmd, the value, the
// command's length and its bytes.
func appendValue(b []byte, v int32, cmd string) []byte {
	if cmd == "" {
		return appendInt(b, v)
	}
	b = append(b, withCmd)
	b = appendInt(b, v)
	b = appendInt(b, int32(len(cmd)))
	return append(b, cmd...)
}

func bit(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func appendLog(b []byte, l Log) []byte {
	b = appendInt(b, int32(l.Len()))
	for _, e := range l.All() {
		b = appendInt(b, e.Term)
		b = appendValue(b, e.Val, e.Cmd)
	}
	return b
}

// FormatMsg describes m on one line.
func (p *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case ClientRequest:
		return "request " + value(m.Val, m.Cmd)
	case VoteRequest:
		return fmt.Sprintf("VoteRequest(t%d len=%d last=t%d)", m.Term, m.LogLen, m.LogTerm)
	case VoteResponse:
		return fmt.Sprintf("VoteResponse(t%d %s)", m.Term, yesNo(m.Granted))
	case LogRequest:
		return fmt.Sprintf("LogRequest(t%d prefix=%d/t%d commit=%d %s)", m.Term, m.PrefixLen, m.PrefixTer, m.Commit, m.Suffix)
	case LogResponse:
		if m.Granted {
			return fmt.Sprintf("LogResponse(t%d ack=%d)", m.Term, m.Ack)
		}
		switch {
		case m.HintTerm > 0:
			return fmt.Sprintf("LogResponse(t%d refused, t%d from %d)", m.Term, m.HintTerm, m.Hint)
		case m.Hint > 0:
			return fmt.Sprintf("LogResponse(t%d refused, len=%d)", m.Term, m.Hint)
		}
		return fmt.Sprintf("LogResponse(t%d refused)", m.Term)
	case Forward:
		return "Forward(" + value(m.Val, m.Cmd) + ")"
	case BecameLeader:
		return fmt.Sprintf("leader of t%d", m.Term)
	case Voted:
		return fmt.Sprintf("voted for n%d in t%d", m.Candidate, m.Term)
	case Delivered:
		return fmt.Sprintf("deliver #%d %s (t%d)", m.Index, value(m.Val, m.Cmd), m.Term)
	case InstallSnapshot:
		return fmt.Sprintf("InstallSnapshot(t%d %v commit=%d)", m.Term, m.Snap, m.Commit)
	case Installed:
		return fmt.Sprintf("installed snapshot #%d@t%d", m.Index, m.Term)
	}
	return m.Kind.String()
}

func yesNo(b bool) string {
	if b {
		return "granted"
	}
	return "refused"
}

// value writes a client's value as v3, with its command's length if it
// has one (v3+16B).
func value(v int32, cmd string) string {
	if cmd != "" {
		return fmt.Sprintf("v%d+%dB", v, len(cmd))
	}
	return fmt.Sprintf("v%d", v)
}

// AppendState appends s's canonical encoding (byte for byte the narrow
// types' within the checker's bounds: see appendInt).
func (p *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.ID))
	b = appendInt(b, s.Term)
	b = append(b, byte(s.VotedFor))
	b = appendInt(b, s.Commit)
	b = append(b, byte(s.Role), byte(s.Leader))
	b = appendInt(b, int32(s.Votes)) // one byte for nodes 0..6, the checker's
	b = append(b, byte(s.Beats))
	b = appendLog(b, s.Log)
	for i := range p.p.N {
		b = appendInt(b, s.Sent[i])
		b = appendInt(b, s.Acked[i])
	}
	b = appendInt(b, int32(len(s.Pending)))
	for _, v := range s.Pending {
		b = appendValue(b, v.Val, v.Cmd)
	}
	return appendSnapshot(b, s.Snap)
}

// FormatState describes s on one line.
func (p *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s t%d", s.Role, s.Term)
	if s.VotedFor >= 0 {
		fmt.Fprintf(&b, " voted n%d", s.VotedFor)
	}
	if s.Snap.Index > 0 {
		fmt.Fprintf(&b, " %s", s.Snap)
	}
	fmt.Fprintf(&b, " log %s commit %d", s.Log, s.Commit)
	if s.Role == Leader {
		fmt.Fprintf(&b, " acked %v", s.Acked[:p.p.N])
	}
	if len(s.Pending) > 0 {
		b.WriteString(" pending [")
		for i, v := range s.Pending {
			if i > 0 {
				b.WriteByte(' ')
			}
			if v.Cmd != "" {
				fmt.Fprintf(&b, "%d+%dB", v.Val, len(v.Cmd))
			} else {
				fmt.Fprintf(&b, "%d", v.Val)
			}
		}
		b.WriteByte(']')
	}
	return b.String()
}

// TimerName names the timers.
func (p *Protocol) TimerName(t spec.Timer) string {
	switch t {
	case Election:
		return "election"
	case Heartbeat:
		return "heartbeat"
	case Flush:
		return "flush"
	}
	return fmt.Sprintf("timer%d", t)
}
