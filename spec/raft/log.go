package raft

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strings"
	"sync/atomic"
)

// Log is a Raft log: an immutable sequence of entries, passed by value
// (two words and two lengths). Log values that extend one another share
// one backing store, so appending does not copy the log:
//
//   - Append on a Log whose end is the store's claimed length claims the
//     next slots with a compare-and-swap and writes the entries in place
//     (amortised O(1) per entry, like append on a slice);
//   - Append on any other Log — a second successor of the same state, as
//     the model checker makes from several goroutines at once, or a log
//     that was truncated — copies the entries into a store of its own
//     first: copy on write, only where histories branch.
//
// An entry below a Log's length is never written again, so a state holding
// a Log reads the same entries forever, from any goroutine: Step stays
// pure. Slice makes a view of a part of a log without copying (a
// LogRequest's suffix is one). The zero Log is empty.
type Log struct {
	st     *logStore
	lo, hi int32 // the entries st.e[lo:hi]
}

// logStore is the backing array shared by Log values. e has a fixed
// length (its capacity); e[:claimed] are written, or being written by the
// one Append that claimed them, before any Log that covers them exists.
type logStore struct {
	claimed atomic.Int32
	e       []Entry
}

// LogOf returns a log holding es (copied).
func LogOf(es ...Entry) Log { return Log{}.Append(es...) }

// Len is the number of entries.
func (l Log) Len() int { return int(l.hi - l.lo) }

// At returns entry i, from 0 (Raft's index i+1).
func (l Log) At(i int) Entry {
	if uint(i) >= uint(l.hi-l.lo) {
		panic(fmt.Sprintf("raft: log index %d out of range [0:%d]", i, l.hi-l.lo))
	}
	return l.st.e[int(l.lo)+i]
}

// LastTerm is the term of the last entry, or 0.
func (l Log) LastTerm() int32 {
	if l.hi == l.lo {
		return 0
	}
	return l.st.e[l.hi-1].Term
}

// Slice returns entries i..j-1 (0 <= i <= j <= Len) without copying them.
func (l Log) Slice(i, j int) Log {
	if i < 0 || j < i || j > l.Len() {
		panic(fmt.Sprintf("raft: log slice [%d:%d] out of range [0:%d]", i, j, l.Len()))
	}
	return Log{l.st, l.lo + int32(i), l.lo + int32(j)}
}

// Append returns l followed by es; l itself is unchanged.
func (l Log) Append(es ...Entry) Log {
	if len(es) == 0 {
		return l
	}
	l = l.claim(len(es))
	copy(l.st.e[l.hi:], es)
	l.hi += int32(len(es))
	return l
}

// AppendLog returns l followed by the entries of m; neither changes.
func (l Log) AppendLog(m Log) Log {
	k := m.Len()
	if k == 0 {
		return l
	}
	l = l.claim(k)
	copy(l.st.e[l.hi:], m.st.e[m.lo:m.hi])
	l.hi += int32(k)
	return l
}

// claim returns a Log equal to l whose store's slots hi..hi+k-1 are this
// caller's to write: l's own store if l ends where the store's claimed
// entries end and the store has room, a new store with l's entries
// otherwise. A log that outgrows its store gets one of twice the size (so
// a log that only grows is copied O(1) times per entry, amortised); a
// branch gets a store just large enough (the model checker's states hold
// short logs, most of which never grow again).
func (l Log) claim(k int) Log {
	n := l.Len()
	if k > math.MaxInt32-int(l.hi) || n+k > math.MaxInt32/2 {
		panic("raft: log too long")
	}
	st := l.st
	if st != nil && int(l.hi)+k <= len(st.e) && st.claimed.CompareAndSwap(l.hi, l.hi+int32(k)) {
		return l
	}
	size := n + k
	if st != nil && st.claimed.Load() == l.hi {
		size *= 2 // l owns the end of a full store: grow
	}
	fresh := &logStore{e: make([]Entry, size)}
	if n > 0 {
		copy(fresh.e, st.e[l.lo:l.hi])
	}
	fresh.claimed.Store(int32(n + k))
	return Log{fresh, 0, int32(n)}
}

// Entries returns a copy of the entries.
func (l Log) Entries() []Entry {
	if l.Len() == 0 {
		return nil
	}
	return append([]Entry(nil), l.st.e[l.lo:l.hi]...)
}

// All yields each index (from 0) and entry.
func (l Log) All() iter.Seq2[int, Entry] {
	return func(yield func(int, Entry) bool) {
		for i := l.lo; i < l.hi; i++ {
			if !yield(int(i-l.lo), l.st.e[i]) {
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
	if l.st == m.st && l.lo == m.lo {
		return true
	}
	return m.HasPrefix(l)
}

// HasPrefix reports whether p is a prefix of l.
func (l Log) HasPrefix(p Log) bool {
	if p.Len() > l.Len() {
		return false
	}
	if p.Len() == 0 || (l.st == p.st && l.lo == p.lo) {
		return true
	}
	a, b := l.st.e[l.lo:l.hi], p.st.e[p.lo:p.hi]
	for k := range b {
		if a[k] != b[k] {
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
