package kv

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
)

// Command is a client operation at run time, beyond a scenario's few:
// client Client's Seq-th operation (from 1; a client has one outstanding
// at a time and retries it with the same Seq) on integer keys and values.
// It travels in the Raft entry's command (Encode), and the store keeps,
// beside the scenario's keys, a Table: a map from key to value and, per
// client, the last Seq applied and its result — the dedup table of the
// Raft paper's section 8, whose size is the number of clients, not of
// operations.
type Command struct {
	Client uint32
	Seq    uint32
	Kind   OpKind
	Key    int32
	A, B   int32
}

// commandSize is an encoded command: a marker, then the fields.
const commandSize = 1 + 4 + 4 + 1 + 4 + 4 + 4

// Encode writes c as a Raft command.
func (c Command) Encode() string {
	b := make([]byte, 0, commandSize)
	b = append(b, 'C')
	b = binary.LittleEndian.AppendUint32(b, c.Client)
	b = binary.LittleEndian.AppendUint32(b, c.Seq)
	b = append(b, byte(c.Kind))
	b = binary.LittleEndian.AppendUint32(b, uint32(c.Key))
	b = binary.LittleEndian.AppendUint32(b, uint32(c.A))
	b = binary.LittleEndian.AppendUint32(b, uint32(c.B))
	return string(b)
}

// DecodeCommand reads what Encode wrote.
func DecodeCommand(s string) (Command, bool) {
	if len(s) != commandSize || s[0] != 'C' {
		return Command{}, false
	}
	b := []byte(s)
	return Command{
		Client: binary.LittleEndian.Uint32(b[1:]), Seq: binary.LittleEndian.Uint32(b[5:]), Kind: OpKind(b[9]),
		Key: int32(binary.LittleEndian.Uint32(b[10:])), A: int32(binary.LittleEndian.Uint32(b[14:])), B: int32(binary.LittleEndian.Uint32(b[18:])),
	}, true
}

// ID is the command's identity: its client and sequence number.
func (c Command) ID() uint64 { return uint64(c.Client)<<32 | uint64(c.Seq) }

// String writes c as c2#7 put(3, 40).
func (c Command) String() string {
	switch c.Kind {
	case Put:
		return fmt.Sprintf("c%d#%d put(%d, %d)", c.Client, c.Seq, c.Key, c.A)
	case Get:
		return fmt.Sprintf("c%d#%d get(%d)", c.Client, c.Seq, c.Key)
	}
	return fmt.Sprintf("c%d#%d cas(%d, %d→%d)", c.Client, c.Seq, c.Key, c.A, c.B)
}

// Session is a client's entry in the dedup table.
type Session struct {
	Seq    uint32 // the last operation applied
	Result int32  // its result
}

// Table is the store of run-time commands: a map and a dedup table. A
// Table is never changed once made: applying a command copies the maps
// it changes, so Step stays pure.
type Table struct {
	Keys     map[int32]int32
	Sessions map[uint32]Session
}

// apply runs c on t, unless the dedup table says c was applied (a retry):
// then dup is set and the result is the one recorded (for c's own Seq).
func (t Table) apply(c Command) (next Table, result int32, dup bool) {
	if s, ok := t.Sessions[c.Client]; ok && c.Seq <= s.Seq {
		return t, s.Result, true
	}
	v := t.Keys[c.Key]
	switch c.Kind {
	case Put:
		t.Keys = with(t.Keys, c.Key, c.A)
	case Get:
		result = v
	case Cas:
		if v == c.A {
			t.Keys, result = with(t.Keys, c.Key, c.B), 1
		}
	}
	t.Sessions = with(t.Sessions, c.Client, Session{Seq: c.Seq, Result: result})
	return t, result, false
}

// with returns a copy of m with k set to v.
func with[K comparable, V any](m map[K]V, k K, v V) map[K]V {
	out := make(map[K]V, len(m)+1)
	maps.Copy(out, m)
	out[k] = v
	return out
}

// empty reports whether t holds nothing.
func (t Table) empty() bool { return len(t.Keys) == 0 && len(t.Sessions) == 0 }

// appendTable encodes t canonically: keys and clients in order.
func appendTable(b []byte, t Table) []byte {
	b = binary.AppendUvarint(b, uint64(len(t.Keys)))
	for _, k := range slices.Sorted(maps.Keys(t.Keys)) {
		b = binary.AppendVarint(b, int64(k))
		b = binary.AppendVarint(b, int64(t.Keys[k]))
	}
	b = binary.AppendUvarint(b, uint64(len(t.Sessions)))
	for _, c := range slices.Sorted(maps.Keys(t.Sessions)) {
		s := t.Sessions[c]
		b = binary.AppendUvarint(b, uint64(c))
		b = binary.AppendUvarint(b, uint64(s.Seq))
		b = binary.AppendVarint(b, int64(s.Result))
	}
	return b
}

// readTable reads what appendTable wrote, and the bytes after it.
func readTable(b []byte) (Table, []byte, bool) {
	var t Table
	r := reader{b: b}
	if n := r.uvarint(); n > 0 {
		t.Keys = make(map[int32]int32, n)
		for range n {
			k := r.varint()
			t.Keys[int32(k)] = int32(r.varint())
		}
	}
	if n := r.uvarint(); n > 0 {
		t.Sessions = make(map[uint32]Session, n)
		for range n {
			c := r.uvarint()
			t.Sessions[uint32(c)] = Session{Seq: uint32(r.uvarint()), Result: int32(r.varint())}
		}
	}
	return t, r.b, !r.bad
}

// reader reads varints; bad records that one was cut short.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}
