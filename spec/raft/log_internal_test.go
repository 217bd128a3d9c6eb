package raft

import (
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/distsys/distsys/spec"
)

func TestLogBranchesWithoutChangingOlderValues(t *testing.T) {
	var l Log
	for i := range 600 {
		l = l.Append(Entry{Term: int32(i)})
	}
	a := l.Append(Entry{Term: 1000})                                  // shares l's full chunks
	b := l.Append(Entry{Term: 2000})                                  // a branch: shares them too
	c := a.Slice(0, 300).Append(Entry{Term: 3000}, Entry{Term: 3001}) // a truncation: shares the chunks below 300
	if l.Len() != 600 || a.Len() != 601 || b.Len() != 601 || c.Len() != 302 {
		t.Fatalf("lengths %d %d %d %d", l.Len(), a.Len(), b.Len(), c.Len())
	}
	if a.At(600).Term != 1000 || b.At(600).Term != 2000 || c.At(300).Term != 3000 || c.At(301).Term != 3001 {
		t.Errorf("a[600]=%d b[600]=%d c[300]=%d c[301]=%d", a.At(600).Term, b.At(600).Term, c.At(300).Term, c.At(301).Term)
	}
	for i := range 600 {
		if a.At(i).Term != int32(i) || b.At(i).Term != int32(i) || (i < 300 && c.At(i).Term != int32(i)) {
			t.Fatalf("entry %d changed", i)
		}
	}
	if !sharesChunks(a, l, 9) || !sharesChunks(b, l, 9) || !sharesChunks(c, l, 4) || len(c.full) != 4 {
		t.Errorf("a and b should share l's 9 full chunks, c the first 4")
	}
	// A view (a LogRequest's suffix) reads its part and does not change
	// when the log it was cut from grows.
	v := a.Slice(598, 601)
	a2 := a.Append(Entry{Term: 4000})
	if v.Len() != 3 || v.At(0).Term != 598 || v.At(2).Term != 1000 || !sharesChunks(a2, a, 9) {
		t.Errorf("view %v, chunks shared %v", v, sharesChunks(a2, a, 9))
	}
	if !a.Equal(a2.Slice(0, 601)) || a.Equal(b) || !LogOf(a.Entries()...).Equal(a) || !a.HasPrefix(l) || b.HasPrefix(a) {
		t.Errorf("Equal/HasPrefix wrong")
	}
}

// sharesChunks reports whether a and b hold the same first n full chunks
// (the same memory, not copies).
func sharesChunks(a, b Log, n int) bool {
	if len(a.full) < n || len(b.full) < n {
		return false
	}
	for i := range n {
		if a.full[i] != b.full[i] {
			return false
		}
	}
	return true
}

// A log that only grows never copies a full chunk: every append copies at
// most the partial last chunk, and a chunk, once full, is the one every
// later log holds.
func TestLogGrowsWithoutCopyingFullChunks(t *testing.T) {
	var l Log
	var first *[chunkSize]Entry
	for i := range 100_000 {
		l = l.Append(Entry{Term: 1, Val: int32(i)})
		if len(l.tail) >= chunkSize {
			t.Fatalf("after %d appends the partial chunk holds %d entries", i+1, len(l.tail))
		}
		if i+1 == chunkSize {
			first = l.full[0]
		}
	}
	if len(l.full) != 100_000/chunkSize || l.full[0] != first {
		t.Errorf("%d full chunks, first chunk kept %v", len(l.full), l.full[0] == first)
	}
	for i, e := range l.All() {
		if e.Val != int32(i) {
			t.Fatalf("entry %d holds %d", i, e.Val)
		}
	}
}

// TestLogConcurrentSuccessors appends to one log value from several
// goroutines at once, as the model checker's workers step one state into
// several successors: all share the full chunks, each sees its own
// entries, and the shared prefix never changes (run with -race).
func TestLogConcurrentSuccessors(t *testing.T) {
	var base Log
	for i := range 300 {
		base = base.Append(Entry{Term: int32(i)})
	}
	base = base.Append(Entry{Term: 300})
	const g = 8
	out := make([]Log, g)
	var wg sync.WaitGroup
	for k := range g {
		wg.Go(func() {
			l := base
			for j := range 100 {
				l = l.Append(Entry{Term: int32(1000*(k+1) + j)})
			}
			out[k] = l
		})
	}
	wg.Wait()
	for k, l := range out {
		if !sharesChunks(l, base, 4) {
			t.Errorf("goroutine %d copied the full chunks", k)
		}
		for i := range 301 {
			if l.At(i).Term != int32(i) {
				t.Fatalf("goroutine %d: shared entry %d is %d", k, i, l.At(i).Term)
			}
		}
		for j := range 100 {
			if got := l.At(301 + j).Term; got != int32(1000*(k+1)+j) {
				t.Fatalf("goroutine %d: entry %d is %d", k, 301+j, got)
			}
		}
	}
}

func TestLogPanicsOutOfRange(t *testing.T) {
	l := LogOf(Entry{Term: 1}, Entry{Term: 2}).Append(Entry{Term: 3})
	v := l.Slice(0, 2) // its chunk holds a third entry: At must not reach it
	for name, f := range map[string]func(){
		"At(2) of a 2-entry view": func() { v.At(2) },
		"At(-1)":                  func() { v.At(-1) },
		"Slice(1, 3)":             func() { v.Slice(1, 3) },
		"Slice(2, 1)":             func() { v.Slice(2, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

// Step at the runtime's scale appends to the leader's and the followers'
// logs without copying their full chunks; a second successor of the same
// state leaves the first intact.
func TestStepAppendsWithoutCopying(t *testing.T) {
	p, err := New(RuntimeParams(3))
	if err != nil {
		t.Fatal(err)
	}
	grown := func() Log { // 5000 entries appended one by one: 78 full chunks
		var l Log
		for i := range 5000 {
			l = l.Append(Entry{Term: 2, Val: int32(i), Cmd: "0123456789abcdef"})
		}
		return l
	}
	leader := State{ID: 0, Term: 2, VotedFor: 0, Log: grown(), Commit: 4999, Role: Leader, Leader: 0}
	leader.Sent = [MaxNodes]int32{5000, 5000, 5000}
	leader.Acked = [MaxNodes]int32{5000, 5000, 5000}
	req := spec.Input[Msg]{Kind: spec.Request, Msg: Msg{Kind: ClientRequest, Val: 7, Cmd: "fedcba9876543210"}}
	next, outs := p.Step(leader, req)
	if next.Log.Len() != 5001 || !sharesChunks(next.Log, leader.Log, 78) || len(outs) != 2 {
		t.Fatalf("leader: log of %d entries, chunks shared %v, %d outputs", next.Log.Len(), sharesChunks(next.Log, leader.Log, 78), len(outs))
	}
	lr := outs[0].Msg
	if lr.Kind != LogRequest || lr.PrefixLen != 5000 || lr.PrefixTer != 2 || lr.Suffix.Len() != 1 || lr.Suffix.At(0) != (Entry{Term: 2, Val: 7, Cmd: "fedcba9876543210"}) {
		t.Fatalf("LogRequest %s", p.FormatMsg(lr))
	}
	other, _ := p.Step(leader, spec.Input[Msg]{Kind: spec.Request, Msg: Msg{Kind: ClientRequest, Val: 8}})
	if other.Log.At(5000).Val != 8 || next.Log.At(5000).Val != 7 || leader.Log.Len() != 5000 {
		t.Errorf("a second successor must copy and leave the first intact")
	}

	follower := State{ID: 1, Term: 2, VotedFor: 0, Log: grown(), Commit: 4999, Leader: 0}
	fnext, fouts := p.Step(follower, spec.Input[Msg]{Kind: spec.Receive, From: 0, Msg: lr})
	if fnext.Log.Len() != 5001 || !sharesChunks(fnext.Log, follower.Log, 78) || fnext.Log.At(5000) != lr.Suffix.At(0) {
		t.Fatalf("follower: log of %d entries, chunks shared %v", fnext.Log.Len(), sharesChunks(fnext.Log, follower.Log, 78))
	}
	resp := fouts[len(fouts)-1].Msg
	if resp.Kind != LogResponse || !resp.Granted || resp.Ack != 5001 {
		t.Fatalf("response %s", p.FormatMsg(resp))
	}
	committed, couts := p.Step(next, spec.Input[Msg]{Kind: spec.Receive, From: 1, Msg: resp})
	if committed.Commit != 5001 || len(couts) != 2 || couts[1].Msg.Kind != Delivered || couts[1].Msg.Index != 5001 || couts[1].Msg.Cmd != "fedcba9876543210" {
		t.Fatalf("commit %d, outputs %v", committed.Commit, couts)
	}
}

// scanReady is commitEntries' search as the course writes it: the longest
// prefix 1..len(log) that a quorum has acknowledged, one length at a time.
func scanReady(p *Protocol, s State) int {
	ready := 0
	for l := 1; l <= s.Log.Len(); l++ {
		acks := 0
		for j := range p.p.N {
			if int(s.Acked[j]) >= l {
				acks++
			}
		}
		if acks >= p.Quorum() {
			ready = l
		}
	}
	return ready
}

// commitEntries takes the quorum-th largest acknowledgement instead of
// scanning the log: the same commits, for every cluster size, quorum
// (floor-half mutant included) and set of acknowledgements, also ones
// beyond the log (a leader's own, left from an earlier term).
func TestCommitIsTheQuorumthLargestAck(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, MaxNodes).Draw(rt, "n")
		mutant := rapid.SampledFrom([]string{"", "floor-half-quorum", "commit-any-term"}).Draw(rt, "mutant")
		p, err := New(Params{N: n, MaxTerm: 7, Candidates: 1, Mutant: mutant})
		if err != nil {
			rt.Fatal(err)
		}
		s := State{ID: 0, Term: 3, Role: Leader, Leader: 0}
		for range rapid.IntRange(0, 12).Draw(rt, "len") {
			s.Log = s.Log.Append(Entry{Term: int32(rapid.IntRange(1, 3).Draw(rt, "term")), Val: 1})
		}
		s.Commit = int32(rapid.IntRange(0, s.Log.Len()).Draw(rt, "commit"))
		for j := range n {
			s.Acked[j] = int32(rapid.IntRange(0, 14).Draw(rt, "acked"))
		}
		want := s.Commit
		if r := scanReady(p, s); r > int(s.Commit) && (s.Log.At(r-1).Term == s.Term || p.mutant == noCurrentTermCheck) {
			want = int32(r)
		}
		got, outs := p.commitEntries(s)
		if got.Commit != want || len(outs) != int(want-s.Commit) {
			rt.Fatalf("commit %d with %d deliveries, want %d (acked %v, log %s)", got.Commit, len(outs), want, s.Acked[:n], s.Log)
		}
	})
}
