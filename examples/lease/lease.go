// Package lease is a lock service with leases, written from scratch
// against distsys's public API only: the example of docs/tutorial.md.
//
// Node 0 is the lock service, node 1 the storage the lock protects, the
// other nodes are clients. A client with a write to do asks the lock
// service for the lock; the service grants it with a lease and a token
// (1, 2, 3, …) and, when the lease expires (its timer fires) before the
// holder releases it, grants it to the next client waiting. The holder
// sends its write, with the token, to the storage, and releases the lock
// when the storage answers.
//
// A lease expires on the service's clock, not on the holder's: a holder
// whose write is slow (a pause, a slow link) acts on a grant that has
// expired, and its write lands after the next holder's — two holders'
// writes interleave, and mutual exclusion is lost. The fix is the
// fencing token: the storage refuses a write whose token is lower than
// one it has accepted. Mutant no-fencing is the storage without it;
// mutant volatile-token is a lock service that forgets its token in a
// crash, and hands out a token again.
package lease

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/spec"
)

// The nodes' roles.
const (
	Service spec.NodeID = 0
	Storage spec.NodeID = 1
	// FirstClient is the first client; clients are FirstClient, FirstClient+1, ….
	FirstClient spec.NodeID = 2
)

// LeaseTimer is the lock service's lease: when it fires the holder's
// lease has expired.
const LeaseTimer spec.Timer = 0

// Kind is a message's kind.
type Kind uint8

// The messages, the client request, and the observations.
const (
	Acquire  Kind = iota // client → service: I want the lock
	Grant                // service → client: the lock is yours, token Token
	Release              // client → service: I am done with token Token
	Write                // client → storage: write Val under token Token
	Ack                  // storage → client: Val written
	Reject               // storage → client: Val refused, a later token wrote
	WriteReq             // request to a client: write Val
	Done                 // observed by a client: Val is written
	Fenced               // observed by a client: Val was refused
)

var kindNames = [...]string{"Acquire", "Grant", "Release", "Write", "Ack", "Reject", "WriteReq", "Done", "Fenced"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Msg is a message, a request or an observation.
type Msg struct {
	Kind  Kind
	Token uint8
	Val   uint8
}

// Record is a write the storage accepted.
type Record struct {
	Token  uint8
	Client spec.NodeID
	Val    uint8
}

// State is a node's state; which fields matter depends on its role.
type State struct {
	ID spec.NodeID
	// The lock service: the last token granted (persisted), the holder
	// (-1: none) and the clients waiting, a bit each.
	Token   uint8
	Holder  spec.NodeID
	Waiting uint32
	// The storage: the writes accepted, in order, and how many it
	// refused (persisted: it is the storage).
	Log     []Record
	Refused uint8
	// A client: the values still to write (the first is under way), and
	// whether it asked for the lock.
	Pending []uint8
	Asked   bool
}

// Params configure the protocol.
type Params struct {
	Clients int // clients, 1..MaxClients
	Writes  int // writes per client
	Mutant  string
}

// MaxClients is the largest number of clients (the waiting set is a
// 32-bit mask).
const MaxClients = 30

// The mutants.
const (
	MutantNoFencing     = "no-fencing"
	MutantVolatileToken = "volatile-token"
)

// Protocol is the lock service, its storage and its clients.
type Protocol struct{ p Params }

// New checks p and makes the protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Clients < 1 || p.Clients > MaxClients:
		return nil, fmt.Errorf("lease: %d clients, want 1..%d", p.Clients, MaxClients)
	case p.Writes < 0 || p.Clients*p.Writes > 255:
		return nil, fmt.Errorf("lease: %d writes per client, want 0..%d", p.Writes, 255/p.Clients)
	case p.Mutant != "" && p.Mutant != MutantNoFencing && p.Mutant != MutantVolatileToken:
		return nil, fmt.Errorf("lease: no mutant %q", p.Mutant)
	}
	return &Protocol{p}, nil
}

// Nodes counts the service, the storage and the clients.
func (pr *Protocol) Nodes() int { return int(FirstClient) + pr.p.Clients }

// Workload gives each client its writes: client c writes the values
// after the previous clients'.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	var work []spec.WorkItem[Msg]
	for c := range pr.p.Clients {
		for w := range pr.p.Writes {
			v := uint8(1 + c*pr.p.Writes + w)
			work = append(work, spec.WorkItem[Msg]{Node: FirstClient + spec.NodeID(c), Choices: []Msg{{Kind: WriteReq, Val: v}}})
		}
	}
	return work
}

// Init is a node before its start.
func (pr *Protocol) Init(id spec.NodeID) State { return State{ID: id, Holder: -1} }

// Step applies one input to one node.
func (pr *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch s.ID {
	case Service:
		return pr.service(s, in)
	case Storage:
		return pr.storage(s, in)
	}
	return pr.client(s, in)
}

// service is the lock service: it grants the lock with a new token,
// queues the clients that wait, and takes the lock back on a release or
// when the lease expires.
func (pr *Protocol) service(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch {
	case in.Kind == spec.Receive && in.Msg.Kind == Acquire:
		if s.Holder < 0 {
			return grant(s, in.From)
		}
		s.Waiting |= 1 << (in.From - FirstClient)
	case in.Kind == spec.Receive && in.Msg.Kind == Release && in.From == s.Holder && in.Msg.Token == s.Token:
		s, outs := next(s)
		return s, append([]spec.Output[Msg]{spec.CancelTimerOut[Msg](LeaseTimer)}, outs...)
	case in.Kind == spec.Fire && in.Timer == LeaseTimer && s.Holder >= 0:
		return next(s) // the lease expired, whatever the holder thinks
	}
	return s, nil
}

// grant gives the lock to client c with a new token and starts its lease.
func grant(s State, c spec.NodeID) (State, []spec.Output[Msg]) {
	s.Token++
	s.Holder = c
	return s, []spec.Output[Msg]{spec.SendTo(c, Msg{Kind: Grant, Token: s.Token}), spec.SetTimerOut[Msg](LeaseTimer)}
}

// next frees the lock and grants it to the first client waiting.
func next(s State) (State, []spec.Output[Msg]) {
	s.Holder = -1
	for c := spec.NodeID(0); s.Waiting != 0; c++ {
		if s.Waiting&(1<<c) != 0 {
			s.Waiting &^= 1 << c
			return grant(s, FirstClient+c)
		}
	}
	return s, nil
}

// storage accepts a write unless a later lease has written (fencing),
// and answers.
func (pr *Protocol) storage(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	if in.Kind != spec.Receive || in.Msg.Kind != Write {
		return s, nil
	}
	m := in.Msg
	if pr.p.Mutant != MutantNoFencing && len(s.Log) > 0 && m.Token < s.Log[len(s.Log)-1].Token {
		// A later lease has written: this holder's lease has expired.
		s.Refused++
		return s, []spec.Output[Msg]{spec.SendTo(in.From, Msg{Kind: Reject, Token: m.Token, Val: m.Val})}
	}
	s.Log = append(slices.Clip(s.Log), Record{Token: m.Token, Client: in.From, Val: m.Val})
	return s, []spec.Output[Msg]{spec.SendTo(in.From, Msg{Kind: Ack, Token: m.Token, Val: m.Val})}
}

// client asks for the lock for its first pending write, writes when the
// lock is granted, and reports the storage's answer.
func (pr *Protocol) client(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch {
	case in.Kind == spec.Request && in.Msg.Kind == WriteReq:
		s.Pending = append(slices.Clip(s.Pending), in.Msg.Val)
		if !s.Asked {
			s.Asked = true
			return s, []spec.Output[Msg]{spec.SendTo(Service, Msg{Kind: Acquire})}
		}
	case in.Kind == spec.Receive && in.Msg.Kind == Grant && s.Asked && len(s.Pending) > 0:
		// The holder trusts its grant: it writes at once.
		return s, []spec.Output[Msg]{spec.SendTo(Storage, Msg{Kind: Write, Token: in.Msg.Token, Val: s.Pending[0]})}
	case in.Kind == spec.Receive && (in.Msg.Kind == Ack || in.Msg.Kind == Reject) && len(s.Pending) > 0 && s.Pending[0] == in.Msg.Val:
		obs := Done
		if in.Msg.Kind == Reject {
			obs = Fenced
		}
		s.Pending = s.Pending[1:]
		outs := []spec.Output[Msg]{spec.Emit(Msg{Kind: obs, Val: in.Msg.Val}), spec.SendTo(Service, Msg{Kind: Release, Token: in.Msg.Token})}
		s.Asked = len(s.Pending) > 0
		if s.Asked {
			outs = append(outs, spec.SendTo(Service, Msg{Kind: Acquire}))
		}
		return s, outs
	case in.Kind == spec.Recover:
		s.Asked = false
	}
	return s, nil
}

// Crash keeps what is on disk: the service's token (unless mutant
// volatile-token) and the storage's log. A client forgets its writes.
func (pr *Protocol) Crash(s State) State {
	kept := State{ID: s.ID, Holder: -1}
	switch s.ID {
	case Service:
		if pr.p.Mutant != MutantVolatileToken {
			kept.Token = s.Token
		}
	case Storage:
		kept.Log, kept.Refused = s.Log, s.Refused
	}
	return kept
}

// AppendState encodes s canonically.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.ID), s.Token, byte(s.Holder+1), s.Refused, byte(len(s.Log)), byte(len(s.Pending)))
	b = spec.AppendUint(b, uint64(s.Waiting))
	b = spec.AppendBool(b, s.Asked)
	for _, e := range s.Log {
		b = append(b, e.Token, byte(e.Client), e.Val)
	}
	return append(b, s.Pending...)
}

// AppendMsg encodes m canonically.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte { return append(b, byte(m.Kind), m.Token, m.Val) }

// FormatState describes s by its role.
func (pr *Protocol) FormatState(s State) string {
	switch s.ID {
	case Service:
		holder := "none"
		if s.Holder >= 0 {
			holder = fmt.Sprintf("n%d", s.Holder)
		}
		return fmt.Sprintf("token=%d holder=%s waiting=%b", s.Token, holder, s.Waiting)
	case Storage:
		var w []string
		for _, e := range s.Log {
			w = append(w, fmt.Sprintf("%d@%d(n%d)", e.Val, e.Token, e.Client))
		}
		return fmt.Sprintf("log=[%s] refused=%d", strings.Join(w, " "), s.Refused)
	}
	return fmt.Sprintf("pending=%v asked=%t", s.Pending, s.Asked)
}

// FormatMsg describes m.
func (pr *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case Acquire:
		return "Acquire"
	case Grant, Release:
		return fmt.Sprintf("%s(token %d)", m.Kind, m.Token)
	case WriteReq, Done, Fenced:
		return fmt.Sprintf("%s(%d)", m.Kind, m.Val)
	}
	return fmt.Sprintf("%s(%d, token %d)", m.Kind, m.Val, m.Token)
}

// TimerName names the lease timer.
func (pr *Protocol) TimerName(t spec.Timer) string {
	if t == LeaseTimer {
		return "lease"
	}
	return fmt.Sprintf("timer%d", t)
}
