package explore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Check explores sys under opts and evaluates props. It returns an error only
// for malformed input (bad options or properties, no initial state); every
// finding, including an exhausted bound, is in the Result.
func Check[S, A any](sys System[S, A], props []Property[S, A], opts Options) (Result[S, A], error) {
	if err := opts.validate(); err != nil {
		return Result[S, A]{}, err
	}
	if err := validateProperties(props); err != nil {
		return Result[S, A]{}, err
	}
	sr := newSearch(sys, props, opts)
	if len(sr.inits) == 0 {
		return Result[S, A]{}, errors.New("explore: the system has no initial state")
	}
	defer sr.work.removeAll()
	defer sr.set.free() // after the result is assembled
	if opts.MaxMemory > 0 {
		// The collector works harder as the heap nears the budget, instead
		// of letting it double.
		old := debug.SetMemoryLimit(opts.MaxMemory / 5 * 4)
		defer debug.SetMemoryLimit(old)
	}
	stopProgress := sr.startProgress()
	switch opts.Strategy {
	case BFS:
		sr.bfs()
	case DFS:
		sr.dfs()
	case Random:
		sr.random()
	}
	stopProgress()
	return sr.result(), nil
}

// rootParent marks the record of an initial state.
const rootParent = math.MaxUint32

// ref names a state found during the search: the state with record index
// idx when ord < 0, or the ord-th successor of that state otherwise. Under
// Random, chain holds the walk instead of record links.
type ref struct {
	idx   uint32
	ord   int32
	fp    uint64
	chain []uint32 // Random only: the walk (initial-state index, then successor ordinals) to the state ord is taken from
	// BFS only: the block of the level being expanded, and the transitions
	// of the states of that block expanded before this point. With the key
	// they give the counts a single worker stopping right here would report.
	blk  int64
	part int64
}

// own returns a ref that no longer shares its walk with the caller.
func (r ref) own() ref {
	if r.chain != nil {
		r.chain = append([]uint32(nil), r.chain...)
	}
	return r
}

// finding is a property violation awaiting reconstruction.
type finding struct {
	at     ref
	prop   string
	kind   Kind
	reason string
	// key orders findings of one BFS level: (record index of the state
	// expanded, edge ordinal). With one worker, record indices and hence the
	// finding kept are the same on every run; with several, which worker
	// stores a state first (and so its index and parent) can vary.
	key [2]int64
}

// search is the state shared by all strategies.
type search[S, A any] struct {
	sys   System[S, A]
	props propertySet[S, A]
	opts  Options
	inits []S
	set   *fpSet

	// Parent links, indexed by record index: the record of the state this
	// one was first reached from, and which of its successors it was.
	links linkStore
	// BFS: the frontier's blocks, whether the level being expanded keeps
	// candidates for claim (several workers), the memory budget and where
	// spilled data waits.
	front      frontier[S]
	multi      bool
	mem        memBudget
	work       workDir
	curFile    *spillFile // blocks of the level being expanded
	blockTrans []int64    // transitions of each block of the level being expanded
	linkSpill  *spillFile

	start    time.Time
	deadline time.Time
	ctx      context.Context

	// Counters read by the progress goroutine.
	states      atomic.Int64
	transitions atomic.Int64
	depth       atomic.Int64
	queue       atomic.Int64
	peakHeap    atomic.Uint64

	mu        sync.Mutex
	violation *finding
	stopped   string
	halt      atomic.Bool // a bound was hit, or the search is over: stop work
	witnesses []*ref      // per sometimes property; nil until reached
	witKeys   [][2]int64  // per sometimes property: the key of its witness
	// KeepGoing: the first finding of each property, which properties are
	// settled (one flag per property, by kind), and how many are not.
	perProp  map[string]*finding
	dead     struct{ always, transition, quiescent []settled }
	alive    atomic.Int32
	pending  atomic.Int32
	seed     uint64
	maxDepth int
}

func newSearch[S, A any](sys System[S, A], props []Property[S, A], opts Options) *search[S, A] {
	if opts.Workers == 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Strategy != BFS {
		opts.Workers = 1
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = time.Second
	}
	sr := &search[S, A]{
		sys:   sys,
		props: splitProperties(props),
		opts:  opts,
		set:   newFPSet(),
		start: time.Now(),
		ctx:   opts.Context,
	}
	sr.work.parent = opts.WorkDir
	if opts.Strategy == BFS {
		sr.front.packer, _ = sys.(Packer[S])
	}
	sr.mem.limit = opts.MaxMemory
	sr.mem.force = opts.forceSpill
	if opts.forceSpill {
		sr.links.size = 64
	}
	if opts.MaxMemory > 0 {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			sr.mem.baseHeap = sample[0].Value.Uint64()
		}
	}
	sysMem, _ := sys.(MemReporter)
	sr.front.spare.limit = spareBytes
	if opts.MaxMemory > 0 {
		sr.front.spare.limit = min(spareBytes, opts.MaxMemory/32)
	}
	sr.mem.spillable = func() int64 { return sr.front.ram.Load() + sr.front.spare.held.Load() + sr.links.bytes() }
	sr.mem.fixed = func() int64 {
		n := sr.set.bytes()
		if sysMem != nil {
			n += sysMem.MemBytes()
		}
		return n
	}
	if sr.ctx == nil {
		sr.ctx = context.Background()
	}
	if opts.Timeout > 0 {
		sr.deadline = sr.start.Add(opts.Timeout)
	}
	sr.witnesses = make([]*ref, len(sr.props.sometimes))
	sr.witKeys = make([][2]int64, len(sr.props.sometimes))
	sr.perProp = map[string]*finding{}
	sr.dead.always = make([]settled, len(sr.props.always))
	sr.dead.transition = make([]settled, len(sr.props.transition))
	sr.dead.quiescent = make([]settled, len(sr.props.quiescent))
	sr.alive.Store(int32(len(sr.props.always) + len(sr.props.transition) + len(sr.props.quiescent)))
	sr.pending.Store(int32(len(sr.props.sometimes)))
	sr.inits = sys.Init()
	return sr
}

// addRecord stores a parent link and returns the new record's index.
func (sr *search[S, A]) addRecord(parent uint32, ord int) uint32 {
	return sr.links.add(parent, uint32(ord))
}

// fail ends the search on an I/O error of its own (spilling to disk): the
// result is Incomplete, naming it.
func (sr *search[S, A]) fail(err error) {
	sr.stop(err.Error())
}

// linkFile returns the file parent links spill to, opening it on first use.
func (sr *search[S, A]) linkFile() (*spillFile, error) {
	if sr.linkSpill == nil {
		f, err := sr.work.open("links")
		if err != nil {
			return nil, err
		}
		sr.linkSpill = f
	}
	return sr.linkSpill, nil
}

// overBudget reports whether a time or cancellation bound has been hit and,
// if so, records it.
func (sr *search[S, A]) overBudget() bool {
	if sr.halt.Load() {
		return true
	}
	if !sr.deadline.IsZero() && time.Now().After(sr.deadline) {
		sr.stop("timeout " + sr.opts.Timeout.String())
		return true
	}
	if err := sr.ctx.Err(); err != nil {
		sr.stop("cancelled")
		return true
	}
	if why := sr.mem.exhausted(); why != "" {
		sr.stop(why)
		return true
	}
	return false
}

// stop records that a bound ended the search.
func (sr *search[S, A]) stop(why string) {
	sr.mu.Lock()
	if sr.stopped == "" && (sr.violation == nil || sr.opts.KeepGoing) {
		sr.stopped = why
	}
	sr.mu.Unlock()
	sr.halt.Store(true)
}

// violate records a finding, keeping the one with the smallest key; with
// KeepGoing, the one with the smallest key for each property, and it marks
// the property as settled so that it is not evaluated again.
func (sr *search[S, A]) violate(f finding, dead *settled) {
	sr.mu.Lock()
	f.at = f.at.own()
	if sr.violation == nil || less(f.key, sr.violation.key) {
		sr.violation = &f
	}
	if sr.opts.KeepGoing {
		if old := sr.perProp[f.prop]; old == nil || less(f.key, old.key) {
			g := f
			sr.perProp[f.prop] = &g
			dead.key.Store(packKey(f.key))
		}
		if !dead.dead.Swap(true) && sr.alive.Add(-1) == 0 {
			sr.halt.Store(true) // every safety property is violated: nothing left to learn
		}
	}
	sr.mu.Unlock()
}

// settled records, under KeepGoing, that a property is violated and the
// key of its first violation so far: it is evaluated again only where a
// violation would come earlier (another worker may still reach one).
type settled struct {
	dead atomic.Bool
	key  atomic.Uint64
}

// skip reports whether a property settled this way need not be evaluated
// at key.
func (d *settled) skip(key [2]int64) bool {
	return d.dead.Load() && packKey(key) >= d.key.Load()
}

// packKey orders keys as less does, in one word (record indices and
// ordinals are below 2^32; an ordinal of -1 marks an initial state).
func packKey(k [2]int64) uint64 { return uint64(k[0])<<32 | uint64(k[1]+1) }

func less(a, b [2]int64) bool {
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1])
}

// The check functions report whether the search should stop expanding the
// state: a property was violated and the search does not keep going.

// checkState evaluates always properties on a newly stored state and records
// sometimes witnesses.
func (sr *search[S, A]) checkState(s S, at ref, key [2]int64) bool {
	for i, p := range sr.props.always {
		if sr.dead.always[i].skip(key) {
			continue
		}
		if err := p.State(s); err != nil {
			sr.violate(finding{at: at, prop: p.Name, kind: Always, reason: err.Error(), key: key}, &sr.dead.always[i])
			if !sr.opts.KeepGoing {
				return true
			}
		}
	}
	if sr.pending.Load() > 0 {
		for i, p := range sr.props.sometimes {
			if p.Reach(s) {
				sr.mu.Lock()
				if sr.witnesses[i] == nil || less(key, sr.witKeys[i]) {
					if sr.witnesses[i] == nil {
						sr.pending.Add(-1)
					}
					w := at.own()
					sr.witnesses[i] = &w
					sr.witKeys[i] = key
				}
				sr.mu.Unlock()
			}
		}
	}
	return false
}

// checkEdge evaluates transition properties on one edge.
func (sr *search[S, A]) checkEdge(from S, e *Edge[S, A], at ref, key [2]int64) bool {
	for i, p := range sr.props.transition {
		if sr.dead.transition[i].skip(key) {
			continue
		}
		if err := p.Step(from, e.Action, e.State); err != nil {
			sr.violate(finding{at: at, prop: p.Name, kind: OnTransition, reason: err.Error(), key: key}, &sr.dead.transition[i])
			if !sr.opts.KeepGoing {
				return true
			}
		}
	}
	return false
}

// checkQuiescent evaluates quiescence properties on a quiescent state.
func (sr *search[S, A]) checkQuiescent(s S, at ref, key [2]int64) bool {
	for i, p := range sr.props.quiescent {
		if sr.dead.quiescent[i].skip(key) {
			continue
		}
		if err := p.State(s); err != nil {
			sr.violate(finding{at: at, prop: p.Name, kind: AtQuiescence, reason: err.Error(), key: key}, &sr.dead.quiescent[i])
			if !sr.opts.KeepGoing {
				return true
			}
		}
	}
	return false
}

// startProgress samples the heap and reports progress until the returned
// function is called.
func (sr *search[S, A]) startProgress() func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		every := min(200*time.Millisecond, sr.opts.ProgressEvery)
		if sr.mem.limit > 0 {
			every = min(every, 50*time.Millisecond)
		}
		heapTick := time.NewTicker(every)
		defer heapTick.Stop()
		lastReport := time.Now()
		for {
			select {
			case <-done:
				sr.sampleHeap(sample)
				return
			case now := <-heapTick.C:
				sr.sampleHeap(sample)
				if sr.opts.Progress != nil && now.Sub(lastReport) >= sr.opts.ProgressEvery {
					lastReport = now
					sr.opts.Progress(Progress{
						States:      sr.states.Load(),
						Transitions: sr.transitions.Load(),
						Depth:       int(sr.depth.Load()),
						Queue:       sr.queue.Load(),
						Elapsed:     now.Sub(sr.start),
						Heap:        sr.mem.heap.Load(),
						PeakHeap:    sr.peakHeap.Load(),
						Disk:        sr.work.size.Load(),
					})
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func (sr *search[S, A]) sampleHeap(sample []metrics.Sample) {
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	// The visited set's large shards live outside the Go heap: they
	// count as heap here, in the budget and in every figure reported.
	off := uint64(sr.set.offHeap.Load())
	if sample[1].Value.Kind() == metrics.KindUint64 {
		sr.mem.live.Store(sample[1].Value.Uint64() + off)
	}
	v := sample[0].Value.Uint64() + off
	sr.mem.heap.Store(v)
	if sr.mem.limit > 0 {
		// The collector's limit covers the Go heap only: what the set
		// holds outside it comes off.
		debug.SetMemoryLimit(max(sr.mem.limit/5*4-int64(off), sr.mem.limit/10))
	}
	for {
		old := sr.peakHeap.Load()
		if v <= old || sr.peakHeap.CompareAndSwap(old, v) {
			return
		}
	}
}

// result assembles the Result, rebuilding paths from parent links.
func (sr *search[S, A]) result() Result[S, A] {
	res := Result[S, A]{
		Options: sr.opts,
		Seed:    sr.seed,
		Stats: Stats{
			States:       sr.states.Load(),
			Transitions:  sr.transitions.Load(),
			MaxDepth:     sr.maxDepth,
			Elapsed:      time.Since(sr.start),
			Workers:      sr.opts.Workers,
			StoreBytes:   sr.set.bytes() + sr.links.len()*8,
			PeakHeap:     sr.peakHeap.Load(),
			PeakRSS:      peakRSS(),
			PeakDisk:     sr.work.peak.Load(),
			PeakFrontier: sr.front.peak.Load(),
			MaxMemory:    sr.opts.MaxMemory,
		},
	}
	for i, p := range sr.props.sometimes {
		w := Witness[S, A]{Property: p.Name}
		if at := sr.witnesses[i]; at != nil {
			w.Reached = true
			w.Path = sr.path(*at)
		}
		res.Sometimes = append(res.Sometimes, w)
	}
	switch {
	case sr.violation != nil:
		f := sr.violation
		res.Status = Violated
		res.Violation = &Violation[S, A]{Property: f.prop, Kind: f.kind, Reason: f.reason, Path: sr.path(f.at)}
		if sr.opts.KeepGoing {
			for _, p := range sr.props.all {
				if g := sr.perProp[p.Name]; g != nil {
					res.Violations = append(res.Violations, Violation[S, A]{Property: g.prop, Kind: g.kind, Reason: g.reason, Path: sr.path(g.at)})
				}
			}
			res.Stopped = sr.stopped
		}
	case sr.stopped != "":
		res.Status = Incomplete
		res.Stopped = sr.stopped
	default:
		res.Status = OK
		for _, w := range res.Sometimes {
			if !w.Reached {
				res.Status = Violated
				res.Violation = &Violation[S, A]{
					Property: w.Property,
					Kind:     Sometimes,
					Reason:   fmt.Sprintf("never reached in %d states: the paths it stands for do not happen", res.Stats.States),
				}
				break
			}
		}
	}
	return res
}
