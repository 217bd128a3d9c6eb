package explore

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// A BFS level is a list of segments (one per worker of the level before);
// the state at position i of segment j has record index base[j]+i.
type level[S any] struct {
	segs [][]S
	base []uint32
}

func (l *level[S]) size() int64 {
	var n int64
	for _, s := range l.segs {
		n += int64(len(s))
	}
	return n
}

// chunk is a unit of work: states lo..hi of one segment.
type chunk struct {
	seg    int
	lo, hi int
}

type bfsWorker[S, A any] struct {
	sr       *search[S, A]
	next     []S
	parent   []uint32
	ord      []uint32
	trans    int64
	added    int64
	boundary bool // at the depth bound: store nothing
	beyond   bool // at the depth bound, some successor would be new
	yield    func(A, S, bool)

	// The state being expanded.
	s     S
	idx   uint32
	pfp   uint64
	k     int  // ordinal of the next edge
	quiet bool // no non-fault edge has changed the state so far
	done  bool // stop visiting edges: a violation or a bound
	stop  bool // stop the worker
}

func newBFSWorker[S, A any](sr *search[S, A], boundary bool) *bfsWorker[S, A] {
	w := &bfsWorker[S, A]{sr: sr, boundary: boundary}
	w.yield = w.visit
	return w
}

// bfs is level-synchronous parallel breadth-first search. Each level's
// states are cut into chunks that workers take in order; new states go to
// the worker's own next-level segment, and parent links are merged in
// worker order at the end of the level, so no lock is taken per state except
// the visited set's shard lock.
func (sr *search[S, A]) bfs() {
	cur := sr.bfsInit()
	depth := 0
	for cur.size() > 0 && !sr.halt.Load() {
		if sr.opts.MaxDepth > 0 && depth >= sr.opts.MaxDepth {
			sr.bfsLevel(&cur, true)
			break
		}
		next := sr.bfsLevel(&cur, false)
		if sr.halt.Load() {
			break
		}
		depth++
		if next.size() > 0 {
			sr.maxDepth = depth
			sr.depth.Store(int64(depth))
		}
		cur = next
	}
}

func (sr *search[S, A]) bfsInit() level[S] {
	var first []S
	base := uint32(len(sr.parent))
	sr.transitions.Add(int64(len(sr.inits)))
	for i, s := range sr.inits {
		fp := sr.sys.Fingerprint(s)
		if !sr.set.insert(fp) {
			continue
		}
		idx := sr.addRecord(rootParent, i)
		sr.states.Add(1)
		if sr.checkState(s, ref{idx: idx, ord: -1, fp: fp}, [2]int64{int64(idx), -1}) {
			sr.halt.Store(true)
			break
		}
		first = append(first, s)
	}
	return level[S]{segs: [][]S{first}, base: []uint32{base}}
}

// bfsLevel expands one level. At the depth bound (boundary) it stores
// nothing: it only evaluates quiescence and notes whether any successor
// would have been new, in which case the result is Incomplete.
func (sr *search[S, A]) bfsLevel(cur *level[S], boundary bool) level[S] {
	n := cur.size()
	workers := sr.opts.Workers
	size := int(n / int64(workers*16))
	size = max(64, min(size, 4096))
	var chunks []chunk
	for j, seg := range cur.segs {
		for lo := 0; lo < len(seg); lo += size {
			chunks = append(chunks, chunk{seg: j, lo: lo, hi: min(lo+size, len(seg))})
		}
	}
	workers = max(1, min(workers, len(chunks)))
	sr.queue.Store(n)

	var nextChunk atomic.Int64
	var stopChunk atomic.Int64 // chunks after this one are not needed
	stopChunk.Store(math.MaxInt64)
	ws := make([]*bfsWorker[S, A], workers)
	var wg sync.WaitGroup
	for w := range ws {
		ws[w] = newBFSWorker(sr, boundary)
		wg.Add(1)
		go func(w *bfsWorker[S, A]) {
			defer wg.Done()
			for {
				c := nextChunk.Add(1) - 1
				if c >= int64(len(chunks)) || c > stopChunk.Load() || sr.overBudget() {
					return
				}
				ch := chunks[c]
				if sr.bfsChunk(w, cur, ch, c, &stopChunk) {
					return
				}
			}
		}(ws[w])
	}
	wg.Wait()

	if boundary {
		for _, w := range ws {
			if w.beyond {
				sr.stop(fmt.Sprintf("max-depth %d", sr.opts.MaxDepth))
				break
			}
		}
		return level[S]{}
	}
	var next level[S]
	for _, w := range ws {
		if len(w.next) == 0 {
			continue
		}
		next.base = append(next.base, uint32(len(sr.parent)))
		next.segs = append(next.segs, w.next)
		sr.parent = append(sr.parent, w.parent...)
		sr.ord = append(sr.ord, w.ord...)
	}
	if sr.violation != nil && !sr.opts.KeepGoing {
		sr.halt.Store(true)
	}
	return next
}

// bfsChunk expands the states of one chunk. It reports true when the worker
// should stop (a violation in this chunk, or a bound).
func (sr *search[S, A]) bfsChunk(w *bfsWorker[S, A], cur *level[S], ch chunk, c int64, stopChunk *atomic.Int64) bool {
	seg := cur.segs[ch.seg]
	base := cur.base[ch.seg]
	checkQuiet := len(sr.props.quiescent) > 0
	defer func() {
		sr.transitions.Add(w.trans)
		sr.states.Add(w.added)
		sr.queue.Add(-int64(ch.hi - ch.lo))
		w.trans, w.added = 0, 0
	}()
	for i := ch.lo; i < ch.hi; i++ {
		w.s = seg[i]
		w.idx = base + uint32(i)
		w.pfp = sr.sys.Fingerprint(w.s)
		w.k, w.quiet, w.done = 0, true, false
		sr.sys.Next(w.s, w.yield)
		if w.stop {
			return sr.violatedIn(c, stopChunk)
		}
		if !w.boundary {
			w.trans += int64(w.k)
		}
		if w.quiet && checkQuiet && sr.checkQuiescent(w.s, ref{idx: w.idx, ord: -1, fp: w.pfp}, [2]int64{int64(w.idx), int64(w.k)}) {
			return sr.violatedIn(c, stopChunk)
		}
	}
	return false
}

// visit handles one edge of the state being expanded.
func (w *bfsWorker[S, A]) visit(a A, t S, fault bool) {
	k := w.k
	w.k++
	if w.done {
		return
	}
	sr := w.sr
	fp := sr.sys.Fingerprint(t)
	if fp != w.pfp && !fault {
		w.quiet = false
	}
	if w.boundary {
		if fp != w.pfp && !w.beyond && !sr.set.contains(fp) {
			w.beyond = true
		}
		return
	}
	if len(sr.props.transition) > 0 {
		e := Edge[S, A]{Action: a, State: t, Fault: fault}
		if sr.checkEdge(w.s, &e, ref{idx: w.idx, ord: int32(k), fp: fp}, [2]int64{int64(w.idx), int64(k)}) {
			w.done, w.stop = true, true
			return
		}
	}
	if fp == w.pfp || !sr.set.insert(fp) {
		return
	}
	if max := sr.opts.MaxStates; max > 0 && sr.states.Load()+w.added >= max {
		sr.stop(fmt.Sprintf("max-states %d", max))
		w.done, w.stop = true, true
		return
	}
	w.added++
	if sr.checkState(t, ref{idx: w.idx, ord: int32(k), fp: fp}, [2]int64{int64(w.idx), int64(k)}) {
		w.done, w.stop = true, true
		return
	}
	w.next = append(w.next, t)
	w.parent = append(w.parent, w.idx)
	w.ord = append(w.ord, uint32(k))
}

// violatedIn makes chunks after c unnecessary: their findings would come
// later in BFS order than the one just made.
func (sr *search[S, A]) violatedIn(c int64, stopChunk *atomic.Int64) bool {
	for {
		old := stopChunk.Load()
		if c >= old || stopChunk.CompareAndSwap(old, c) {
			return true
		}
	}
}
