package raft

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MsgKind says what a Msg is.
type MsgKind uint8

const (
	// ClientRequest asks the node to replicate Val (a request input).
	ClientRequest MsgKind = iota + 1
	// VoteRequest: candidate From asks for a vote in Term; LogLen and
	// LogTerm describe its log.
	VoteRequest
	// VoteResponse: From's answer to a VoteRequest of Term.
	VoteResponse
	// LogRequest: leader From of Term sends Suffix after the first
	// PrefixLen entries (the last of which has PrefixTerm), and its Commit.
	LogRequest
	// LogResponse: follower From acknowledges Ack entries (Success) or
	// refuses.
	LogResponse
	// Forward carries a client's Val from a follower to the leader.
	Forward

	// BecameLeader observes that From became leader of Term.
	BecameLeader
	// Voted observes that From voted for Candidate in Term.
	Voted
	// Delivered observes that From delivered entry Index (from 1) with
	// value Val of term Term to the application, while in term InTerm.
	Delivered
)

var kindNames = [...]string{"?", "request", "VoteRequest", "VoteResponse", "LogRequest", "LogResponse", "Forward", "leader", "voted", "deliver"}

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
	Term      int8
	LogLen    int8 // VoteRequest
	LogTerm   int8 // VoteRequest
	Granted   bool // VoteResponse; LogResponse: success
	PrefixLen int8 // LogRequest
	PrefixTer int8 // LogRequest: the term of entry PrefixLen
	Commit    int8 // LogRequest: the leader's commitLength
	Suffix    []Entry
	Ack       int8 // LogResponse
	Val       int8 // ClientRequest, Forward, Delivered
	Candidate int8 // Voted
	Index     int8 // Delivered
	InTerm    int8 // Delivered: the deliverer's term, when the entry was known committed
}

// AppendMsg appends m's canonical encoding.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), byte(m.From), byte(m.Term), byte(m.LogLen), byte(m.LogTerm), bit(m.Granted),
		byte(m.PrefixLen), byte(m.PrefixTer), byte(m.Commit), byte(m.Ack), byte(m.Val), byte(m.Candidate), byte(m.Index), byte(m.InTerm))
	return appendEntries(b, m.Suffix)
}

func bit(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func appendEntries(b []byte, es []Entry) []byte {
	b = append(b, byte(len(es)))
	for _, e := range es {
		b = append(b, byte(e.Term), byte(e.Val))
	}
	return b
}

// FormatMsg describes m on one line.
func (p *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case ClientRequest:
		return fmt.Sprintf("request v%d", m.Val)
	case VoteRequest:
		return fmt.Sprintf("VoteRequest(t%d len=%d last=t%d)", m.Term, m.LogLen, m.LogTerm)
	case VoteResponse:
		return fmt.Sprintf("VoteResponse(t%d %s)", m.Term, yesNo(m.Granted))
	case LogRequest:
		return fmt.Sprintf("LogRequest(t%d prefix=%d/t%d commit=%d %s)", m.Term, m.PrefixLen, m.PrefixTer, m.Commit, formatLog(m.Suffix))
	case LogResponse:
		if m.Granted {
			return fmt.Sprintf("LogResponse(t%d ack=%d)", m.Term, m.Ack)
		}
		return fmt.Sprintf("LogResponse(t%d refused)", m.Term)
	case Forward:
		return fmt.Sprintf("Forward(v%d)", m.Val)
	case BecameLeader:
		return fmt.Sprintf("leader of t%d", m.Term)
	case Voted:
		return fmt.Sprintf("voted for n%d in t%d", m.Candidate, m.Term)
	case Delivered:
		return fmt.Sprintf("deliver #%d v%d (t%d)", m.Index, m.Val, m.Term)
	}
	return m.Kind.String()
}

func yesNo(b bool) string {
	if b {
		return "granted"
	}
	return "refused"
}

// formatLog writes a log as [v1@t1 v2@t2].
func formatLog(es []Entry) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("v%d@t%d", e.Val, e.Term)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// AppendState appends s's canonical encoding.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.ID), byte(s.Term), byte(s.VotedFor), byte(s.Commit), byte(s.Role), byte(s.Leader), s.Votes, byte(s.Beats))
	b = appendEntries(b, s.Log)
	for i := range p.p.N {
		b = append(b, byte(s.Sent[i]), byte(s.Acked[i]))
	}
	b = append(b, byte(len(s.Pending)))
	for _, v := range s.Pending {
		b = append(b, byte(v))
	}
	return b
}

// FormatState describes s on one line.
func (p *Protocol) FormatState(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s t%d", s.Role, s.Term)
	if s.VotedFor >= 0 {
		fmt.Fprintf(&b, " voted n%d", s.VotedFor)
	}
	fmt.Fprintf(&b, " log %s commit %d", formatLog(s.Log), s.Commit)
	if s.Role == Leader {
		fmt.Fprintf(&b, " acked %v", s.Acked[:p.p.N])
	}
	if len(s.Pending) > 0 {
		fmt.Fprintf(&b, " pending %v", s.Pending)
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
	}
	return fmt.Sprintf("timer%d", t)
}
