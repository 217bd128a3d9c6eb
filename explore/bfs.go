package explore

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// offeredSlots is the size of a worker's memory of its offers.
const offeredSlots = 1 << 15

// claimAhead is how many candidates ahead claim touches the visited set.
const claimAhead = 8

// bfsWorker expands blocks of the current level and fills blocks of the
// next.
type bfsWorker[S, A any] struct {
	sr       *search[S, A]
	out      *block[S] // the block being filled
	outs     []*block[S]
	packBuf  []byte
	trans    int64
	added    int64
	boundary bool // at the depth bound: store nothing
	beyond   bool // at the depth bound, some successor would be new
	err      error
	file     func() (*spillFile, error) // the level's spill file, opened on first use
	yield    func(A, S, bool)
	// pending are the edges of the state being expanded, visited once
	// Next has yielded them all: first every successor's slot of the
	// visited set is touched, so that those cache misses overlap, then
	// each edge is visited in order.
	pending []pendingEdge[S, A]
	sink    byte
	// offered remembers the candidates this worker has kept during the
	// level (direct-mapped, so it forgets some).
	offered []uint64

	// The state being expanded, and the block it is in.
	c     int64
	s     S
	idx   uint32
	pfp   uint64
	k     int  // ordinal of the next edge
	quiet bool // no non-fault edge has changed the state so far
	done  bool // stop visiting edges: a violation or a bound
	stop  bool // stop the worker
}

func newBFSWorker[S, A any](sr *search[S, A], boundary bool, file func() (*spillFile, error)) *bfsWorker[S, A] {
	w := &bfsWorker[S, A]{sr: sr, boundary: boundary, file: file}
	w.yield = w.collect
	return w
}

type pendingEdge[S, A any] struct {
	a     A
	t     S
	fault bool
	fp    uint64
}

// collect keeps an edge of the state being expanded for visitAll.
func (w *bfsWorker[S, A]) collect(a A, t S, fault bool) {
	w.pending = append(w.pending, pendingEdge[S, A]{a, t, fault, w.sr.sys.Fingerprint(t)})
}

// visitAll visits the edges collect kept, in order.
func (w *bfsWorker[S, A]) visitAll() {
	set := w.sr.set
	for i := range w.pending {
		if fp := w.pending[i].fp; fp != w.pfp {
			w.sink += set.touch(Mix64(fp))
		}
	}
	for i := range w.pending {
		e := &w.pending[i]
		w.visit(e.a, e.t, e.fault, e.fp)
	}
	clear(w.pending) // let go of the states
	w.pending = w.pending[:0]
}

// bfs is level-synchronous parallel breadth-first search. A level is a
// list of blocks; workers take blocks in order and write the new states of
// block c to blocks of their own, which join the next level in the order
// of c, so the entries of the next level are in the order of their keys
// (parent record index, edge ordinal). With one worker a successor joins
// the visited set as it is found. With several, nothing locks: while a
// level is expanded the visited set is only read, and every successor not
// in it is kept as a candidate; then each worker owns a share of the
// visited set's shards and walks the candidates in key order, adding those
// of its shards: the first candidate of each new fingerprint, the one with
// the smallest key, is the state stored. So the states stored, their order
// and their parents are exactly a single worker's, and so are the
// counterexamples. When the memory budget is reached, packed blocks and
// parent links wait on disk.
func (sr *search[S, A]) bfs() {
	cur := sr.bfsInit()
	depth := 0
	for len(cur) > 0 && !sr.halt.Load() {
		if sr.opts.MaxDepth > 0 && depth >= sr.opts.MaxDepth {
			sr.bfsLevel(cur, depth, true)
			break
		}
		next := sr.bfsLevel(cur, depth, false)
		if sr.halt.Load() {
			break
		}
		depth++
		if len(next) > 0 {
			sr.maxDepth = depth
			sr.depth.Store(int64(depth))
		}
		cur = next
	}
}

func (sr *search[S, A]) bfsInit() []*block[S] {
	b := &block[S]{base: uint32(sr.links.len())}
	sr.transitions.Add(int64(len(sr.inits)))
	var buf []byte
	for i, s := range sr.inits {
		fp := sr.sys.Fingerprint(s)
		if !sr.set.insert(fp) {
			continue
		}
		idx := sr.links.add(rootParent, uint32(i))
		sr.states.Add(1)
		if sr.checkState(s, ref{idx: idx, ord: -1, fp: fp}, [2]int64{int64(idx), -1}) {
			sr.halt.Store(true)
			break
		}
		if sr.front.packer != nil {
			buf = sr.front.packer.Pack(buf[:0], s)
		}
		sr.front.add(b, s, buf, Mix64(fp), 0, false)
	}
	if b.n == 0 {
		return nil
	}
	sr.front.account(b)
	sr.front.dropMeta(b)
	return []*block[S]{b}
}

// bfsLevel expands one level. At the depth bound (boundary) it stores
// nothing: it only evaluates quiescence and notes whether any successor
// would have been new, in which case the result is Incomplete.
func (sr *search[S, A]) bfsLevel(cur []*block[S], depth int, boundary bool) []*block[S] {
	var n int64
	for _, b := range cur {
		n += int64(b.n)
	}
	sr.queue.Store(n)
	sr.multi = sr.opts.Workers > 1 && !boundary
	var file *spillFile // this level's new blocks, once spilling starts
	var fileOnce sync.Mutex
	spillFile := func() (*spillFile, error) {
		fileOnce.Lock()
		defer fileOnce.Unlock()
		if file == nil {
			f, err := sr.work.open(fmt.Sprintf("level-%d", depth+1))
			if err != nil {
				return nil, err
			}
			file = f
		}
		return file, nil
	}

	workers := max(1, min(sr.opts.Workers, len(cur)))
	outs := make([][]*block[S], len(cur))
	sr.blockTrans = make([]int64, len(cur))
	statesBefore, transBefore := sr.links.len(), sr.transitions.Load()
	var nextChunk atomic.Int64
	var stopChunk atomic.Int64 // blocks after this one are not needed
	stopChunk.Store(math.MaxInt64)
	ws := make([]*bfsWorker[S, A], workers)
	var wg sync.WaitGroup
	for i := range ws {
		ws[i] = newBFSWorker(sr, boundary, spillFile)
		wg.Add(1)
		go func(w *bfsWorker[S, A]) {
			defer wg.Done()
			for {
				c := nextChunk.Add(1) - 1
				if c >= int64(len(cur)) || c > stopChunk.Load() || sr.overBudget() {
					return
				}
				stop := sr.bfsBlock(w, cur[c], c, &stopChunk)
				outs[c] = w.finish()
				if w.err != nil {
					sr.fail(w.err)
					return
				}
				if stop {
					return
				}
			}
		}(ws[i])
	}
	wg.Wait()
	for _, b := range cur {
		sr.front.free(b)
	}
	// The blocks just expanded are gone: so is the file they waited in.
	if sr.curFile != nil {
		sr.curFile.close()
	}
	sr.curFile = file

	if boundary {
		for _, w := range ws {
			if w.beyond {
				sr.stop(fmt.Sprintf("max-depth %d", sr.opts.MaxDepth))
				break
			}
		}
		return nil
	}
	halting := sr.halting()
	var counted int64
	var next []*block[S]
	var blocks []*block[S]
	for _, bs := range outs {
		blocks = append(blocks, bs...)
	}
	// A window of blocks at a time: their fingerprints and keys are in
	// memory together (read back from disk if they were spilled).
	const window = 64
	metas := make([][2][]uint64, 0, window)
	for lo := 0; lo < len(blocks); lo += window {
		win := blocks[lo:min(lo+window, len(blocks))]
		metas = metas[:0]
		failed := false
		for _, b := range win {
			fps, keys, err := sr.front.loadMeta(b)
			if err != nil {
				sr.fail(err)
				failed = true
			}
			metas = append(metas, [2][]uint64{fps, keys})
		}
		if failed {
			for _, b := range win {
				sr.front.free(b)
			}
			continue
		}
		if sr.multi {
			sr.claim(win, metas)
		}
		for i, b := range win {
			keys := metas[i][1]
			if halting != nil {
				counted += sr.countBefore(b, keys, halting)
			}
			if sr.seal(b, keys) {
				next = append(next, b)
			}
		}
	}
	if halting != nil {
		// What a single worker stopping at the finding would report.
		sr.states.Store(statesBefore + counted)
		t := transBefore + halting.at.part
		for b := int64(0); b < halting.at.blk; b++ {
			t += sr.blockTrans[b]
		}
		sr.transitions.Store(t)
	} else if sr.multi {
		sr.states.Store(int64(sr.links.len()))
	}
	sr.multi = false
	if sr.violation != nil && !sr.opts.KeepGoing {
		sr.halt.Store(true)
	}
	if sr.mem.spillNeeded() {
		f, err := sr.linkFile()
		if err == nil {
			_, err = sr.links.spillFull(f)
		}
		if err != nil {
			sr.fail(err)
		}
	}
	return next
}

// halting returns the finding at which a single worker would have stopped
// during the level just expanded, or nil if the search goes on: without
// KeepGoing the first violation; with it, once every safety property is
// violated, the last of their first violations.
func (sr *search[S, A]) halting() *finding {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	if sr.violation == nil {
		return nil
	}
	if !sr.opts.KeepGoing {
		return sr.violation
	}
	if sr.alive.Load() != 0 {
		return nil
	}
	var last *finding
	for _, f := range sr.perProp {
		if last == nil || less(last.key, f.key) {
			last = f
		}
	}
	return last
}

// countBefore counts the entries of block b (whose keys are given) that a
// single worker would have stored before it stopped at f: the stored ones
// whose key comes before f's, and the violating state itself when f is an
// always property's.
func (sr *search[S, A]) countBefore(b *block[S], keys []uint64, f *finding) int64 {
	stop := uint64(f.key[0])<<32 | uint64(f.key[1])
	var n int64
	for j, k := range keys {
		if k > stop || k == stop && f.kind != Always || !b.stored(j) {
			continue
		}
		n++
	}
	return n
}

// claim decides, with several workers, which entries of a window of
// blocks of the level just expanded are stored: worker p adds to the
// visited set, in key order, the candidates of the shards s with
// s mod workers = p, so no shard has two writers; a candidate added is the
// first of its fingerprint in key order, the one a single worker stores.
func (sr *search[S, A]) claim(win []*block[S], metas [][2][]uint64) {
	for _, b := range win {
		b.owner = make([]uint64, (b.n+63)/64)
	}
	step := uint64(sr.opts.Workers)
	shift := sr.set.shift
	sinks := make([]byte, step)
	var wg sync.WaitGroup
	for p := range step {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sink byte
			for i, b := range win {
				fps := metas[i][0]
				for j, fp := range fps {
					// Touch the slot of a candidate a few ahead, so that
					// its cache miss overlaps with this insert.
					if k := j + claimAhead; k < len(fps) && (fps[k]>>shift)%step == p {
						sink += sr.set.touch(fps[k])
					}
					if (fp>>shift)%step == p && sr.set.insertMixed(fp) {
						atomic.OrUint64(&b.owner[j>>6], 1<<(j&63))
					}
				}
			}
			sinks[p] = sink
		}()
	}
	wg.Wait()
}

// seal writes the parent links of the entries of a block of the level
// just expanded that are stored (all of them with one worker; with
// several, those claim marked), given their keys, and reports whether any
// is. With several workers the max-states bound is applied here, in key
// order, so the states stored are a single worker's.
func (sr *search[S, A]) seal(b *block[S], keys []uint64) bool {
	stored := b.n
	if b.owner != nil {
		stored = 0
		max := sr.opts.MaxStates
		for j := range b.n {
			if !b.stored(j) {
				continue
			}
			if max > 0 && int64(sr.links.len())+int64(stored) >= max {
				sr.stop(fmt.Sprintf("max-states %d", max))
				for ; j < b.n; j++ {
					b.owner[j>>6] &^= 1 << (j & 63)
				}
				break
			}
			stored++
		}
	}
	if stored == 0 {
		sr.front.free(b)
		return false
	}
	if stored == b.n {
		b.owner = nil
	}
	b.base = uint32(sr.links.len())
	for j := range b.n {
		if b.stored(j) {
			sr.links.add(uint32(keys[j]>>32), uint32(keys[j]))
		}
	}
	// keys may be the block's own: it goes back to the spares only now.
	sr.front.dropMeta(b)
	return true
}

// bfsBlock expands the stored states of block c. It reports true when the
// worker should stop (a violation in this block, or a bound).
func (sr *search[S, A]) bfsBlock(w *bfsWorker[S, A], b *block[S], c int64, stopChunk *atomic.Int64) bool {
	checkQuiet := len(sr.props.quiescent) > 0
	defer func() {
		sr.blockTrans[c] = w.trans
		sr.transitions.Add(w.trans)
		sr.states.Add(w.added)
		sr.queue.Add(-int64(b.n))
		w.trans, w.added = 0, 0
	}()
	w.c = c
	var ends []uint32
	var data []byte
	if sr.front.packer != nil {
		var err error
		if ends, data, err = sr.front.loadData(b); err != nil {
			w.err = err
			return true
		}
	}
	idx := b.base
	for j := range b.n {
		if !b.stored(j) {
			continue
		}
		if sr.front.packer != nil {
			lo := uint32(0)
			if j > 0 {
				lo = ends[j-1]
			}
			w.s = sr.front.packer.Unpack(data[lo:ends[j]])
		} else {
			w.s = b.states[j]
		}
		w.idx = idx
		idx++
		w.pfp = sr.sys.Fingerprint(w.s)
		w.k, w.quiet, w.done = 0, true, false
		sr.sys.Next(w.s, w.yield)
		w.visitAll()
		if w.stop {
			return sr.violatedIn(c, stopChunk)
		}
		if !w.boundary {
			w.trans += int64(w.k)
		}
		if w.quiet && checkQuiet && sr.checkQuiescent(w.s, ref{idx: w.idx, ord: -1, fp: w.pfp, blk: c, part: w.trans}, [2]int64{int64(w.idx), int64(w.k)}) {
			return sr.violatedIn(c, stopChunk)
		}
	}
	return false
}

// visit handles one edge of the state being expanded.
func (w *bfsWorker[S, A]) visit(a A, t S, fault bool, fp uint64) {
	k := w.k
	w.k++
	if w.done {
		return
	}
	sr := w.sr
	if fp != w.pfp && !fault {
		w.quiet = false
	}
	if w.boundary {
		if fp != w.pfp && !w.beyond && !sr.set.containsMixed(Mix64(fp)) {
			w.beyond = true
		}
		return
	}
	key := [2]int64{int64(w.idx), int64(k)}
	if len(sr.props.transition) > 0 {
		e := Edge[S, A]{Action: a, State: t, Fault: fault}
		if sr.checkEdge(w.s, &e, ref{idx: w.idx, ord: int32(k), fp: fp, blk: w.c, part: w.trans}, key) {
			w.done, w.stop = true, true
			return
		}
	}
	if fp == w.pfp {
		return
	}
	mfp := Mix64(fp)
	if !sr.multi {
		if !sr.set.insertMixed(mfp) {
			return
		}
		if max := sr.opts.MaxStates; max > 0 && sr.states.Load()+w.added >= max {
			sr.stop(fmt.Sprintf("max-states %d", max))
			w.done, w.stop = true, true
			return
		}
	} else {
		// A candidate: claim decides at the level's end whether it is
		// new. A worker's keys only grow, so its second candidate of a
		// fingerprint cannot be the first in key order.
		if sr.set.containsMixed(mfp) {
			return
		}
		if w.offered == nil {
			w.offered = make([]uint64, offeredSlots)
		}
		o := &w.offered[mfp&(offeredSlots-1)]
		if *o == mfp && mfp != 0 {
			return
		}
		*o = mfp
	}
	if !sr.multi {
		// With several workers the count is known only once claim has
		// run: the progress line shows it level by level.
		w.added++
	}
	// The state is stored even when it violates a property, so that the
	// level's count includes it (see countToHalt).
	stop := sr.checkState(t, ref{idx: w.idx, ord: int32(k), fp: fp, blk: w.c, part: w.trans}, key)
	if stop {
		w.done, w.stop = true, true
	}
	if w.out == nil {
		w.out = sr.front.newBlock(sr.multi)
	}
	if sr.front.packer != nil {
		w.packBuf = sr.front.packer.Pack(w.packBuf[:0], t)
	}
	sr.front.add(w.out, t, w.packBuf, mfp, uint64(w.idx)<<32|uint64(k), sr.multi)
	if w.out.full() {
		w.outs = append(w.outs, w.out)
		w.sealOut()
		w.out = nil
	}
}

// sealOut accounts the last block of w.outs and spills it if the budget
// says so.
func (w *bfsWorker[S, A]) sealOut() {
	b := w.outs[len(w.outs)-1]
	w.sr.front.account(b)
	if w.err != nil || w.sr.front.packer == nil || !w.sr.mem.spillNeeded() {
		return
	}
	f, err := w.file()
	if err == nil {
		err = w.sr.front.spill(b, f)
	}
	if err != nil {
		w.err = err
	}
}

// finish closes the blocks filled while expanding one block and returns
// them.
func (w *bfsWorker[S, A]) finish() []*block[S] {
	if w.out != nil && w.out.n > 0 {
		w.outs = append(w.outs, w.out)
		w.sealOut()
	}
	w.out = nil
	outs := w.outs
	w.outs = nil
	return outs
}

// violatedIn makes blocks after c unnecessary: their findings would come
// later in BFS order than the one just made.
func (sr *search[S, A]) violatedIn(c int64, stopChunk *atomic.Int64) bool {
	for {
		old := stopChunk.Load()
		if c >= old || stopChunk.CompareAndSwap(old, c) {
			return true
		}
	}
}
