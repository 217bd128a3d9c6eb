package raft

import (
	"encoding/json"
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Snapshot is a node's compacted log prefix (Raft paper, section 7): the
// first Index entries, the last of which has term Term, replaced by what
// the state machine made of them. Digest is a chained 64-bit hash of
// those entries (the raft-level applied sequence, in constant space:
// properties compare it between nodes, and a follower compares it with
// its own log); Data is the state of the Machine above the log after
// entry Index ("" without a Machine). The zero Snapshot is the empty
// prefix. A string is immutable, so snapshots share Data by value.
type Snapshot struct {
	Index  int32
	Term   int32
	Digest uint64
	Data   string
}

// String writes s as snap#3@t2, with the data's length if it has some.
func (s Snapshot) String() string {
	if s.Data != "" {
		return fmt.Sprintf("snap#%d@t%d+%dB", s.Index, s.Term, len(s.Data))
	}
	return fmt.Sprintf("snap#%d@t%d", s.Index, s.Term)
}

type jsonSnapshot struct {
	Index  int32
	Term   int32
	Digest uint64
	Data   []byte `json:",omitempty"`
}

// MarshalJSON writes s with its data in base64 (binary data survives).
func (s Snapshot) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonSnapshot{s.Index, s.Term, s.Digest, []byte(s.Data)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (s *Snapshot) UnmarshalJSON(data []byte) error {
	var j jsonSnapshot
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*s = Snapshot{Index: j.Index, Term: j.Term, Digest: j.Digest, Data: string(j.Data)}
	return nil
}

// Machine is the state machine the log feeds, as far as a snapshot needs
// it: Apply returns the machine's state after entries, applied in order
// to the state in data (a Snapshot's Data; "" is the initial state). It
// must be pure: Step calls it when a node compacts its log.
type Machine interface {
	Apply(data string, entries Log) string
}

// NewWithMachine is New for a Raft log under the state machine m: each
// snapshot holds m's state (spec/kv's store is one).
func NewWithMachine(p Params, m Machine) (*Protocol, error) {
	r, err := New(p)
	if err != nil {
		return nil, err
	}
	r.machine = m
	return r, nil
}

// FNV-1a's 64-bit constants, for the digest chain.
const (
	fnvOffset = 0xcbf29ce484222325
	fnvPrime  = 0x100000001b3
)

// chain extends the digest d of a prefix by entry e.
func chain(d uint64, e Entry) uint64 {
	h := d ^ fnvOffset
	for _, v := range [3]uint32{uint32(e.Term), uint32(e.Val), uint32(len(e.Cmd))} {
		for range 4 {
			h = (h ^ uint64(v&0xff)) * fnvPrime
			v >>= 8
		}
	}
	for i := 0; i < len(e.Cmd); i++ {
		h = (h ^ uint64(e.Cmd[i])) * fnvPrime
	}
	return h
}

// Len is the absolute length of s's log: its snapshot's entries and the
// ones after it.
func (s State) Len() int32 { return s.Snap.Index + int32(s.Log.Len()) }

// TermAt is the term of entry n (from 1; 0 for n = 0), which s knows for
// n = Snap.Index .. Len(); below its snapshot it answers -1.
func (s State) TermAt(n int32) int32 {
	switch {
	case n == 0:
		return 0
	case n == s.Snap.Index:
		return s.Snap.Term
	case n < s.Snap.Index:
		return -1
	}
	return s.Log.At(int(n-s.Snap.Index) - 1).Term
}

// EntryAt is entry n (from 1, past the snapshot: Snap.Index < n <= Len()).
func (s State) EntryAt(n int32) Entry { return s.Log.At(int(n-s.Snap.Index) - 1) }

// LastTerm is the term of the last entry, in the log or the snapshot.
func (s State) LastTerm() int32 {
	if s.Log.Len() == 0 {
		return s.Snap.Term
	}
	return s.Log.LastTerm()
}

// DigestAt is the digest of entries 1..n, for n from Snap.Index to Len().
func (s State) DigestAt(n int32) uint64 {
	d := s.Snap.Digest
	for k := s.Snap.Index + 1; k <= n; k++ {
		d = chain(d, s.EntryAt(k))
	}
	return d
}

// maybeCompact (Raft paper, section 7): once SnapshotEvery committed
// entries are past the snapshot, the node replaces them by a new snapshot
// at commitLength — the machine's state after them, their digest — and
// keeps only the entries after it. The snapshot-uncommitted mutant
// counts, applies and compacts every entry the log holds, committed or
// not.
func (p *Protocol) maybeCompact(s State, o out) (State, out) {
	every := int32(p.p.SnapshotEvery)
	if every == 0 {
		return s, o
	}
	at := s.Commit
	if p.mutant == snapshotUncommitted {
		at = s.Len()
		s, o = p.apply(s, at, o) // the machine applies what the snapshot covers
	}
	if at-s.Snap.Index < every {
		return s, o
	}
	return p.compact(s, at), o
}

// compact replaces entries Snap.Index+1..at (at most Commit, in the
// correct protocol) by a snapshot.
func (p *Protocol) compact(s State, at int32) State {
	done := s.Log.Slice(0, int(at-s.Snap.Index))
	snap := Snapshot{Index: at, Term: s.TermAt(at), Digest: s.DigestAt(at), Data: s.Snap.Data}
	if p.machine != nil {
		snap.Data = p.machine.Apply(s.Snap.Data, done)
	}
	s.Log = s.Log.Slice(int(at-s.Snap.Index), s.Log.Len())
	s.Snap = snap
	return s
}

// installSnapshot: the leader sends its snapshot to a follower that needs
// entries it has compacted away (sentLength below its snapshot).
func (p *Protocol) installSnapshot(s State, f int8) spec.Output[Msg] {
	snap := s.Snap
	return spec.SendTo(spec.NodeID(f), Msg{
		Kind: InstallSnapshot, From: s.ID, Term: s.Term, PrefixLen: s.Snap.Index, PrefixTer: s.Snap.Term,
		Commit: s.Commit, Snap: &snap,
	})
}

// onInstallSnapshot: a follower of the sender's term takes a snapshot
// that goes past what it has committed. If it holds the snapshot's last
// entry (same index, same term) it keeps the entries after it — by log
// matching they follow the same history; otherwise it discards its whole
// log, whose entries past the snapshot may conflict. Its commitLength
// becomes the snapshot's index, and it observes the installation (the
// layer above resets its machine to the snapshot's data). A snapshot the
// node's commitLength already covers changes nothing: it would roll the
// commit back. Either way the node acknowledges the snapshot's index,
// which it holds (committed) from then on.
func (p *Protocol) onInstallSnapshot(s State, m Msg) (State, out) {
	if m.Snap == nil {
		return s, nil // not a snapshot
	}
	o := make(out, 0, 4)
	if m.Term > s.Term {
		s, o = p.stepDown(s, m.Term, o)
	}
	resp := Msg{Kind: LogResponse, From: s.ID, Term: s.Term}
	if m.Term != s.Term {
		resp.Hint = s.Len()
		return s, append(o, spec.SendTo(spec.NodeID(m.From), resp))
	}
	if s.Role == Leader && m.From != s.ID {
		o = append(o, spec.CancelTimerOut[Msg](Heartbeat))
	}
	s.Role, s.Leader = Follower, m.From
	o = p.armElection(s, o)
	snap := *m.Snap
	if snap.Index > s.Commit || p.mutant == snapshotRollback {
		switch {
		case s.Len() >= snap.Index && snap.Index >= s.Snap.Index && s.TermAt(snap.Index) == snap.Term,
			p.mutant == snapshotKeepSuffix && s.Len() >= snap.Index && snap.Index >= s.Snap.Index:
			s.Log = s.Log.Slice(int(snap.Index-s.Snap.Index), s.Log.Len())
		default:
			s.Log = Log{}
		}
		s.Snap, s.Commit = snap, snap.Index
		o = append(o, spec.Emit(Msg{Kind: Installed, From: s.ID, Index: snap.Index, Term: snap.Term, InTerm: s.Term, Snap: m.Snap}))
		if m.Commit > s.Commit {
			s, o = p.deliver(s, min(m.Commit, s.Len()), o)
		}
	}
	resp.Ack, resp.Granted = snap.Index, true
	o = append(o, spec.SendTo(spec.NodeID(m.From), resp))
	s, fwd := p.flushPending(s)
	return s, append(o, fwd...)
}
