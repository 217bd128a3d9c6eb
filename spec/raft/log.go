package raft

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strings"
)

// Log is a Raft log: an immutable sequence of entries, passed by value.
// Entries live in chunks of chunkSize; a full chunk is never written again
// and is shared by every Log derived from the one that filled it, so
// appending does not copy the log:
//
//   - Append copies only the last, partial chunk (fewer than chunkSize
//     entries) and, when that chunk fills, the list of chunk pointers
//     (one word per chunkSize entries);
//   - two successors of one state — as the model checker's workers make
//     from several goroutines at once — each get their own partial chunk,
//     so neither sees the other's entries and nothing shared is written.
//
// No Log value is ever changed after it is made, so Step stays pure
// without any synchronisation. Slice makes a view of a part of a log
// without copying (a LogRequest's suffix is one). The zero Log is empty.
type Log struct {
	full   []*[chunkSize]Entry // full chunks, immutable
	tail   []Entry             // the last chunk, fewer than chunkSize entries, immutable
	lo, hi int32               // the entries lo..hi-1 of full followed by tail
}

// chunkSize is the number of entries of a full chunk.
const chunkSize = 64

// LogOf returns a log holding es (copied).
func LogOf(es ...Entry) Log { return Log{}.Append(es...) }

// Len is the number of entries.
func (l Log) Len() int { return int(l.hi - l.lo) }

// at returns the entry at position k of l's chunks (not counting lo).
func (l Log) at(k int32) Entry {
	c := int(k) / chunkSize
	if c < len(l.full) {
		return l.full[c][int(k)%chunkSize]
	}
	return l.tail[int(k)-len(l.full)*chunkSize]
}

// At returns entry i, from 0 (Raft's index i+1).
func (l Log) At(i int) Entry {
	if uint(i) >= uint(l.hi-l.lo) {
		panic(fmt.Sprintf("raft: log index %d out of range [0:%d]", i, l.hi-l.lo))
	}
	return l.at(l.lo + int32(i))
}

// LastTerm is the term of the last entry, or 0.
func (l Log) LastTerm() int32 {
	if l.hi == l.lo {
		return 0
	}
	return l.at(l.hi - 1).Term
}

// Slice returns entries i..j-1 (0 <= i <= j <= Len) without copying them.
func (l Log) Slice(i, j int) Log {
	if i < 0 || j < i || j > l.Len() {
		panic(fmt.Sprintf("raft: log slice [%d:%d] out of range [0:%d]", i, j, l.Len()))
	}
	return Log{l.full, l.tail, l.lo + int32(i), l.lo + int32(j)}
}

// Append returns l followed by es; l itself is unchanged.
func (l Log) Append(es ...Entry) Log {
	if len(es) == 0 {
		return l
	}
	out := l.open(len(es))
	for _, e := range es {
		out = out.push(e)
	}
	return out
}

// AppendLog returns l followed by the entries of m; neither changes.
func (l Log) AppendLog(m Log) Log {
	if m.Len() == 0 {
		return l
	}
	out := l.open(m.Len())
	for k := m.lo; k < m.hi; k++ {
		out = out.push(m.at(k))
	}
	return out
}

// open returns a Log equal to l that starts at its first chunk and whose
// tail is a fresh copy with room for k more entries, ready for push. The
// full chunks up to l's end are shared; a view that does not start at 0
// (a suffix) is rebuilt.
func (l Log) open(k int) Log {
	if l.Len()+k > math.MaxInt32/2 {
		panic("raft: log too long")
	}
	if l.lo != 0 {
		var out Log
		for i := l.lo; i < l.hi; i++ {
			out = out.push(l.at(i))
		}
		return out
	}
	c := int(l.hi) / chunkSize // full chunks kept
	kept := l.full[:min(c, len(l.full)):min(c, len(l.full))]
	out := Log{full: kept, lo: 0, hi: int32(c * chunkSize)}
	out.tail = make([]Entry, 0, min(chunkSize, int(l.hi)-c*chunkSize+k))
	for i := int32(c * chunkSize); i < l.hi; i++ {
		out.tail = append(out.tail, l.at(i))
		out.hi++
	}
	return out
}

// push appends e to a Log made by open (whose tail is its own).
func (l Log) push(e Entry) Log {
	l.tail = append(l.tail, e)
	l.hi++
	if len(l.tail) == chunkSize {
		c := (*[chunkSize]Entry)(l.tail)
		l.full = append(l.full[:len(l.full):len(l.full)], c) // a new list: older Logs keep theirs
		l.tail = nil
	}
	return l
}

// Entries returns a copy of the entries.
func (l Log) Entries() []Entry {
	if l.Len() == 0 {
		return nil
	}
	out := make([]Entry, 0, l.Len())
	for _, e := range l.All() {
		out = append(out, e)
	}
	return out
}

// All yields each index (from 0) and entry.
func (l Log) All() iter.Seq2[int, Entry] {
	return func(yield func(int, Entry) bool) {
		for i := l.lo; i < l.hi; i++ {
			if !yield(int(i-l.lo), l.at(i)) {
				return
			}
		}
	}
}

// Equal reports whether l and m hold the same entries (go-cmp uses it to
// compare states and messages by content, not by store).
func (l Log) Equal(m Log) bool {
	if l.Len() != m.Len() {
		return false
	}
	return m.HasPrefix(l)
}

// HasPrefix reports whether p is a prefix of l.
func (l Log) HasPrefix(p Log) bool {
	if p.Len() > l.Len() {
		return false
	}
	for i := range p.Len() {
		if l.at(l.lo+int32(i)) != p.at(p.lo+int32(i)) {
			return false
		}
	}
	return true
}

// String writes the log as [v1@t1 v2@t2].
func (l Log) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range l.All() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.String())
	}
	b.WriteByte(']')
	return b.String()
}

// MarshalJSON writes the log as a JSON array of entries (impl's JSONCodec
// persists states this way).
func (l Log) MarshalJSON() ([]byte, error) {
	es := l.Entries()
	if es == nil {
		es = []Entry{}
	}
	return json.Marshal(es)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (l *Log) UnmarshalJSON(data []byte) error {
	var es []Entry
	if err := json.Unmarshal(data, &es); err != nil {
		return err
	}
	*l = LogOf(es...)
	return nil
}
