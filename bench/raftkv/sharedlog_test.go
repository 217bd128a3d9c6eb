package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// sharedLog is a measured sketch of README.md's change 1 for spec/raft: a
// log value that Step can extend without copying and still never change
// what an older state value sees. Log values that extend one another share
// one store of fixed-size chunks. Appending to a value whose length is the
// store's claims the next slot with a compare-and-swap and writes it in
// place; appending to any other value (a second successor of the same
// state, as the model checker makes, or a truncated log) copies the
// entries into a new store first. An entry below a value's length is never
// written again, so a state holding that value reads the same log forever,
// from any goroutine.
//
// It lives in a test file: it is evidence for the README's proposal, not
// code spec/raft uses.
type sharedLog struct {
	s *logStore
	n int
}

const chunkSize = 256

type logStore struct {
	claimed atomic.Int64                            // entries handed out: the next append at this length is in place
	chunks  atomic.Pointer[[]*[chunkSize]wideEntry] // grown (by copying the small pointer slice) by the one writer
}

func (l sharedLog) Len() int { return l.n }

func (l sharedLog) At(i int) wideEntry {
	return (*l.s.chunks.Load())[i/chunkSize][i%chunkSize]
}

// Append returns l with e added; l itself is unchanged.
func (l sharedLog) Append(e wideEntry) sharedLog {
	if l.s == nil || !l.s.claimed.CompareAndSwap(int64(l.n), int64(l.n)+1) {
		l = l.copied()
		l.s.claimed.Store(int64(l.n) + 1)
	}
	// This goroutine is now the only one that may write slot l.n, and the
	// only one that may grow the chunk list: whoever claims slot l.n+1
	// holds the value returned below, so comes after this write.
	cs := *l.s.chunks.Load()
	if l.n/chunkSize == len(cs) {
		grown := append(cs[:len(cs):len(cs)], new([chunkSize]wideEntry))
		l.s.chunks.Store(&grown)
		cs = grown
	}
	cs[l.n/chunkSize][l.n%chunkSize] = e
	return sharedLog{l.s, l.n + 1}
}

// Truncate returns the first n entries of l (n <= l.Len()); the next
// append to it copies.
func (l sharedLog) Truncate(n int) sharedLog { return sharedLog{l.s, n} }

// copied is l in a store of its own. Full chunks are shared (nobody
// writes them again); the partial last chunk is copied.
func (l sharedLog) copied() sharedLog {
	s := &logStore{}
	var cs []*[chunkSize]wideEntry
	if l.s != nil {
		old := *l.s.chunks.Load()
		full := l.n / chunkSize
		cs = append(cs, old[:full]...)
		if r := l.n % chunkSize; r > 0 {
			c := new([chunkSize]wideEntry)
			copy(c[:r], old[full][:r])
			cs = append(cs, c)
		}
	}
	s.chunks.Store(&cs)
	s.claimed.Store(int64(l.n))
	return sharedLog{s, l.n}
}

func TestSharedLogBranchesWithoutChangingOlderValues(t *testing.T) {
	var l sharedLog
	for i := range 600 {
		l = l.Append(wideEntry{Term: uint64(i)})
	}
	a := l.Append(wideEntry{Term: 1000}) // in place
	b := l.Append(wideEntry{Term: 2000}) // a branch: copies
	c := a.Truncate(300).Append(wideEntry{Term: 3000})
	if l.Len() != 600 || a.Len() != 601 || b.Len() != 601 || c.Len() != 301 {
		t.Fatalf("lengths %d %d %d %d", l.Len(), a.Len(), b.Len(), c.Len())
	}
	if a.At(600).Term != 1000 || b.At(600).Term != 2000 || c.At(300).Term != 3000 || a.At(300).Term != 300 {
		t.Errorf("a[600]=%d b[600]=%d c[300]=%d a[300]=%d", a.At(600).Term, b.At(600).Term, c.At(300).Term, a.At(300).Term)
	}
	for i := range 600 {
		if a.At(i).Term != uint64(i) || b.At(i).Term != uint64(i) {
			t.Fatalf("entry %d changed", i)
		}
	}
	if a.s != l.s || b.s == l.s {
		t.Errorf("a should extend l in place and b copy")
	}
}

// TestSharedLogConcurrentSuccessors appends to one log value from several
// goroutines at once, as the model checker steps one state into several
// successors: exactly one extends in place, each sees its own entry, and
// the shared prefix never changes (run with -race).
func TestSharedLogConcurrentSuccessors(t *testing.T) {
	var base sharedLog
	for i := range 300 {
		base = base.Append(wideEntry{Term: uint64(i)})
	}
	const g = 8
	out := make([]sharedLog, g)
	var wg sync.WaitGroup
	for k := range g {
		wg.Go(func() {
			l := base
			for j := range 100 {
				l = l.Append(wideEntry{Term: uint64(1000*(k+1) + j)})
			}
			out[k] = l
		})
	}
	wg.Wait()
	inPlace := 0
	for k, l := range out {
		if l.s == base.s {
			inPlace++
		}
		for i := range 300 {
			if l.At(i).Term != uint64(i) {
				t.Fatalf("goroutine %d: shared entry %d is %d", k, i, l.At(i).Term)
			}
		}
		for j := range 100 {
			if got := l.At(300 + j).Term; got != uint64(1000*(k+1)+j) {
				t.Fatalf("goroutine %d: entry %d is %d", k, 300+j, got)
			}
		}
	}
	if inPlace != 1 {
		t.Errorf("%d goroutines extended the store in place, want 1", inPlace)
	}
}

// BenchmarkSharedLogAppend is the append spec/raft makes per proposal, at
// the lengths of BenchmarkCopyLog, with the shared log instead of a copy.
func BenchmarkSharedLogAppend(b *testing.B) {
	for _, l := range []int{1024, 1536, 2048} {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			var log sharedLog
			for i := range l {
				log = log.Append(wideEntry{Term: uint64(i)})
			}
			b.ReportAllocs()
			for b.Loop() {
				log = log.Append(wideEntry{Term: 1})
				if log.Len() >= 2*l { // keep the length where it was: compaction's role
					log = log.Truncate(l)
				}
			}
		})
	}
}
