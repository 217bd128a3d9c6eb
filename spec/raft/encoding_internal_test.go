package raft

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// The canonical encodings of states and messages within the checker's
// bounds are byte for byte those of the int8 fields the wide ones replaced
// (narrowState, narrowMsg: the encodings as they were, the refusal's hint
// added, and a state's empty snapshot: one zero byte), so every pinned
// state count stays what it was.
func TestEncodingOfCheckerValuesIsTheNarrowOne(t *testing.T) {
	p, err := New(Params{N: 3, MaxTerm: 7, Candidates: 3, Requests: 4, MaxBeats: 3})
	if err != nil {
		t.Fatal(err)
	}
	small := func(rt *rapid.T, name string, lo, hi int) int32 { return int32(rapid.IntRange(lo, hi).Draw(rt, name)) }
	rapid.Check(t, func(rt *rapid.T) {
		s := State{ID: int8(small(rt, "id", 0, 2)), Term: small(rt, "term", 0, 7), VotedFor: int8(small(rt, "voted", -1, 2)),
			Commit: small(rt, "commit", 0, 8), Role: Role(small(rt, "role", 0, 2)), Leader: int8(small(rt, "leader", -1, 2)),
			Votes: uint16(small(rt, "votes", 0, 7)), Beats: int8(small(rt, "beats", 0, 3))}
		for range small(rt, "len", 0, MaxEntries) {
			s.Log = s.Log.Append(Entry{Term: small(rt, "eterm", 0, 7), Val: small(rt, "val", 0, 6)})
		}
		for i := range 3 {
			s.Sent[i], s.Acked[i] = small(rt, "sent", 0, 8), small(rt, "acked", 0, 8)
		}
		for range small(rt, "pending", 0, 4) {
			s.Pending = append(s.Pending, Entry{Val: small(rt, "pval", 1, 6)})
		}
		if got, want := p.AppendState(nil, s), narrowState(p, s); string(got) != string(want) {
			rt.Fatalf("state %s encodes as %x, the narrow types as %x", p.FormatState(s), got, want)
		}
		m := Msg{Kind: MsgKind(small(rt, "kind", 1, 9)), From: int8(small(rt, "from", 0, 2)), Term: small(rt, "mterm", 0, 7),
			LogLen: small(rt, "loglen", 0, 8), LogTerm: small(rt, "logterm", 0, 7), Granted: rapid.Bool().Draw(rt, "granted"),
			PrefixLen: small(rt, "prefix", 0, 8), PrefixTer: small(rt, "prefixterm", 0, 7), Commit: small(rt, "mcommit", 0, 8),
			Ack: small(rt, "ack", 0, 8), Hint: small(rt, "hint", 0, 8), HintTerm: small(rt, "hintterm", 0, 7),
			Val: small(rt, "mval", 0, 6), Candidate: int8(small(rt, "cand", 0, 2)),
			Index: small(rt, "index", 0, 8), InTerm: small(rt, "interm", 0, 7)}
		m.Suffix = s.Log.Slice(int(small(rt, "from-entry", 0, s.Log.Len())), s.Log.Len())
		if got, want := p.AppendMsg(nil, m), narrowMsg(m); string(got) != string(want) {
			rt.Fatalf("message %s encodes as %x, the narrow types as %x", p.FormatMsg(m), got, want)
		}
	})
}

// narrowState is AppendState as it was when every field was an int8.
func narrowState(p *Protocol, s State) []byte {
	b := []byte{byte(s.ID), byte(int8(s.Term)), byte(s.VotedFor), byte(int8(s.Commit)), byte(s.Role), byte(s.Leader), byte(s.Votes), byte(s.Beats)}
	b = narrowEntries(b, s.Log)
	for i := range p.p.N {
		b = append(b, byte(int8(s.Sent[i])), byte(int8(s.Acked[i])))
	}
	b = append(b, byte(len(s.Pending)))
	for _, v := range s.Pending {
		b = append(b, byte(int8(v.Val)))
	}
	return append(b, 0) // no snapshot
}

func narrowMsg(m Msg) []byte {
	b := []byte{byte(m.Kind), byte(m.From), byte(int8(m.Term)), byte(int8(m.LogLen)), byte(int8(m.LogTerm)), bit(m.Granted),
		byte(int8(m.PrefixLen)), byte(int8(m.PrefixTer)), byte(int8(m.Commit)), byte(int8(m.Ack)), byte(int8(m.Hint)), byte(int8(m.HintTerm)), byte(int8(m.Val)), byte(m.Candidate), byte(int8(m.Index)), byte(int8(m.InTerm))}
	return narrowEntries(b, m.Suffix)
}

func narrowEntries(b []byte, l Log) []byte {
	b = append(b, byte(l.Len()))
	for _, e := range l.All() {
		b = append(b, byte(int8(e.Term)), byte(int8(e.Val)))
	}
	return b
}

// The encodings stay injective with wide values and commands: a decoder
// recovers every state and message from its encoding, with nothing left
// over.
func TestEncodingIsInjective(t *testing.T) {
	p, err := New(RuntimeParams(MaxNodes))
	if err != nil {
		t.Fatal(err)
	}
	wide := func(rt *rapid.T, name string) int32 {
		return rapid.OneOf(rapid.Int32Range(-70, 140), rapid.Int32Range(math.MinInt32, math.MaxInt32)).Draw(rt, name)
	}
	payload := func(rt *rapid.T) (int32, string) {
		return wide(rt, "val"), string(rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(rt, "cmd"))
	}
	rapid.Check(t, func(rt *rapid.T) {
		s := State{ID: rapid.Int8().Draw(rt, "id"), Term: wide(rt, "term"), VotedFor: rapid.Int8().Draw(rt, "voted"), Commit: wide(rt, "commit"),
			Role: Role(rapid.IntRange(0, 2).Draw(rt, "role")), Leader: rapid.Int8().Draw(rt, "leader"), Votes: rapid.Uint16().Draw(rt, "votes"), Beats: rapid.Int8().Draw(rt, "beats")}
		for range rapid.IntRange(0, 10).Draw(rt, "len") {
			v, cmd := payload(rt)
			s.Log = s.Log.Append(Entry{Term: wide(rt, "eterm"), Val: v, Cmd: cmd})
		}
		for i := range MaxNodes {
			s.Sent[i], s.Acked[i] = wide(rt, "sent"), wide(rt, "acked")
		}
		for range rapid.IntRange(0, 3).Draw(rt, "pending") {
			v, cmd := payload(rt)
			s.Pending = append(s.Pending, Entry{Val: v, Cmd: cmd})
		}
		snap := func(rt *rapid.T) Snapshot {
			if rapid.Bool().Draw(rt, "empty-snap") {
				return Snapshot{}
			}
			return Snapshot{Index: wide(rt, "sindex"), Term: wide(rt, "sterm"), Digest: rapid.Uint64().Draw(rt, "digest"),
				Data: string(rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(rt, "data"))}
		}
		s.Snap = snap(rt)
		d := &decoder{b: p.AppendState(nil, s)}
		got := d.state(p)
		if d.err != nil || len(d.b) > 0 {
			rt.Fatalf("decoding %s: %v, %d bytes left", p.FormatState(s), d.err, len(d.b))
		}
		if diff := cmp.Diff(s, got); diff != "" {
			rt.Fatalf("state decodes differently (-encoded +decoded):\n%s", diff)
		}

		m := Msg{Kind: MsgKind(rapid.Uint8().Draw(rt, "kind")), From: rapid.Int8().Draw(rt, "from"), Term: wide(rt, "mterm"),
			LogLen: wide(rt, "loglen"), LogTerm: wide(rt, "logterm"), Granted: rapid.Bool().Draw(rt, "granted"),
			PrefixLen: wide(rt, "prefix"), PrefixTer: wide(rt, "prefixterm"), Commit: wide(rt, "mcommit"), Ack: wide(rt, "ack"),
			Hint: wide(rt, "hint"), HintTerm: wide(rt, "hintterm"),
			Candidate: rapid.Int8().Draw(rt, "cand"), Index: wide(rt, "index"), InTerm: wide(rt, "interm"),
			Suffix: s.Log.Slice(rapid.IntRange(0, s.Log.Len()).Draw(rt, "from-entry"), s.Log.Len())}
		m.Val, m.Cmd = payload(rt)
		if m.Kind == InstallSnapshot || m.Kind == Installed || rapid.Bool().Draw(rt, "snap-kind") {
			sn := snap(rt)
			m.Kind, m.Snap = InstallSnapshot, &sn
		}
		d = &decoder{b: p.AppendMsg(nil, m)}
		gotMsg := d.msg()
		if d.err != nil || len(d.b) > 0 {
			rt.Fatalf("decoding %s: %v, %d bytes left", p.FormatMsg(m), d.err, len(d.b))
		}
		if diff := cmp.Diff(m, gotMsg); diff != "" {
			rt.Fatalf("message decodes differently (-encoded +decoded):\n%s", diff)
		}
	})
}

// decoder reads the canonical encodings back.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = fmt.Errorf("short")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) int() int32 {
	c := d.byte()
	switch {
	case c == wideInt:
		var v uint32
		for k := range 4 {
			v |= uint32(d.byte()) << (8 * k)
		}
		return int32(v)
	case 0x80 <= c && c < 0xC0:
		d.err = fmt.Errorf("byte %#x starts no integer", c)
	}
	return int32(int8(c))
}

func (d *decoder) value() (int32, string) {
	if len(d.b) == 0 || d.b[0] != withCmd {
		return d.int(), ""
	}
	d.byte()
	v, n := d.int(), d.int()
	if n < 0 || int(n) > len(d.b) {
		d.err = fmt.Errorf("command of %d bytes", n)
		return v, ""
	}
	cmd := string(d.b[:n])
	d.b = d.b[n:]
	return v, cmd
}

func (d *decoder) log() Log {
	var l Log
	for range d.int() {
		term := d.int()
		v, cmd := d.value()
		l = l.Append(Entry{Term: term, Val: v, Cmd: cmd})
	}
	return l
}

func (d *decoder) state(p *Protocol) State {
	s := State{ID: int8(d.byte()), Term: d.int(), VotedFor: int8(d.byte()), Commit: d.int(),
		Role: Role(d.byte()), Leader: int8(d.byte()), Votes: uint16(d.int()), Beats: int8(d.byte())}
	s.Log = d.log()
	for i := range p.p.N {
		s.Sent[i], s.Acked[i] = d.int(), d.int()
	}
	for range d.int() {
		v, cmd := d.value()
		s.Pending = append(s.Pending, Entry{Val: v, Cmd: cmd})
	}
	s.Snap = d.snapshot()
	return s
}

func (d *decoder) snapshot() Snapshot {
	if c := d.byte(); c != withCmd {
		if c != 0 {
			d.err = fmt.Errorf("byte %#x starts no snapshot", c)
		}
		return Snapshot{}
	}
	s := Snapshot{Index: d.int(), Term: d.int()}
	for k := range 8 {
		s.Digest |= uint64(d.byte()) << (8 * k)
	}
	n := d.int()
	if n < 0 || int(n) > len(d.b) {
		d.err = fmt.Errorf("snapshot data of %d bytes", n)
		return s
	}
	s.Data = string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) msg() Msg {
	m := Msg{Kind: MsgKind(d.byte()), From: int8(d.byte()), Term: d.int(), LogLen: d.int(), LogTerm: d.int(), Granted: d.byte() == 1,
		PrefixLen: d.int(), PrefixTer: d.int(), Commit: d.int(), Ack: d.int(), Hint: d.int(), HintTerm: d.int()}
	m.Val, m.Cmd = d.value()
	m.Candidate, m.Index, m.InTerm = int8(d.byte()), d.int(), d.int()
	m.Suffix = d.log()
	if m.Kind == InstallSnapshot || m.Kind == Installed {
		sn := d.snapshot()
		m.Snap = &sn
	}
	return m
}

// impl's DiskStore persists states with encoding/json: a state, binary
// commands included, reads back equal.
func TestStateRoundTripsThroughJSON(t *testing.T) {
	p, _ := New(RuntimeParams(3))
	s := State{ID: 1, Term: 300, VotedFor: 0, Commit: 2, Leader: -1,
		Log: LogOf(Entry{Term: 1, Val: 1}, Entry{Term: 300, Val: 70000, Cmd: "\x00\xff\x80binary"}, Entry{Term: 300, Val: 2, Cmd: "text"})}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if string(p.AppendState(nil, back)) != string(p.AppendState(nil, s)) {
		t.Errorf("%s\nreads back as\n%s\n(JSON %s)", p.FormatState(s), p.FormatState(back), data)
	}
	var empty State
	if err := json.Unmarshal([]byte(`{"Log":[]}`), &empty); err != nil || empty.Log.Len() != 0 {
		t.Errorf("empty log: %v, %d entries", err, empty.Log.Len())
	}
}
