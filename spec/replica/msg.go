package replica

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MsgKind says what a Msg is: a write request, the store a replica sends,
// or an observation.
type MsgKind uint8

// The message kinds.
const (
	// Put asks a replica to write a new value to the key (a request).
	Put MsgKind = iota
	// Remove asks a replica to remove the key (a request).
	Remove
	// Sync carries a replica's whole store (Sibs[:NSibs]) and its Clock to
	// a peer: anti-entropy. With Pull set (sent by a replica that has just
	// recovered), the peer answers with its own store.
	Sync
	// Wrote observes that a replica made write V.W (a put, or a remove if
	// V.Tomb), stamped V.
	Wrote
)

var msgNames = [...]string{"put", "remove", "Sync", "Wrote"}

// String returns the kind's name as messages print it.
func (k MsgKind) String() string {
	if int(k) < len(msgNames) {
		return msgNames[k]
	}
	return fmt.Sprintf("MsgKind(%d)", k)
}

// Msg is a request, a message or an observation. Which fields are used
// depends on Kind; unused fields are zero.
type Msg struct {
	Kind MsgKind
	// Clock is the sender's clock (Sync under LWW and Physical).
	Clock uint8
	// Pull asks the receiver of a Sync to answer with its store.
	Pull bool
	// Sibs[:NSibs] is the sender's store (Sync).
	Sibs  [maxSibs]Version
	NSibs uint8
	// V is the write made (Wrote).
	V Version
}

// Versions returns the store a Sync carries (a copy).
func (m Msg) Versions() []Version { return append([]Version(nil), m.Sibs[:m.NSibs]...) }

// AppendMsg appends m's canonical encoding.
func (p *Protocol) AppendMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), m.Clock, m.NSibs)
	b = spec.AppendBool(b, m.Pull)
	for _, v := range m.Sibs[:m.NSibs] {
		b = appendVersion(b, v)
	}
	return appendVersion(b, m.V)
}

// FormatMsg describes m: put, Sync(clock=2 {w0.1@1}), Sync(pull {}),
// Wrote(✝w1.1@2).
func (p *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case Sync:
		store := formatVersions(m.Sibs[:m.NSibs], p.p.N)
		if m.Pull {
			store = "pull " + store
		}
		if p.p.Store == LWW || p.p.Store == Physical {
			return fmt.Sprintf("Sync(clock=%d %s)", m.Clock, store)
		}
		return "Sync(" + store + ")"
	case Wrote:
		return "Wrote(" + m.V.format(p.p.N) + ")"
	}
	return m.Kind.String()
}

// AppendState appends s's canonical encoding.
func (p *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.ID), s.Clock, s.Seq, s.Left, s.NSibs)
	for _, v := range s.Sibs[:s.NSibs] {
		b = appendVersion(b, v)
	}
	return b
}

// FormatState describes s on one line: "{w0.1@1} clock=1 resends=1".
func (p *Protocol) FormatState(s State) string {
	var b strings.Builder
	b.WriteString(formatVersions(s.Sibs[:s.NSibs], p.p.N))
	if p.p.Store == LWW || p.p.Store == Physical {
		fmt.Fprintf(&b, " clock=%d", s.Clock)
		if p.p.Store == Physical {
			fmt.Fprintf(&b, " reads %d", s.Clock+p.offset(s.ID))
		}
	}
	if s.Left > 0 {
		fmt.Fprintf(&b, " resends=%d", s.Left)
	}
	return b.String()
}

// wrote returns the observation of write v.
func wrote(v Version) spec.Output[Msg] { return spec.Emit(Msg{Kind: Wrote, V: v}) }
