package explore

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
)

// Packer is implemented by a System whose states can wait in the
// breadth-first frontier as bytes rather than as Go values. The frontier
// of a large search holds millions of states; as bytes they cost what
// their encoding costs, hold no pointers for the garbage collector to
// scan, and can be written to disk when the memory budget is reached
// (Options.MaxMemory). Without a Packer the frontier holds the states
// themselves and stays in memory.
//
// Unpack(Pack(nil, s)) must be a state equal to s for every purpose of
// the System (the same fingerprint, the same edges, the same labels), and
// both must be safe for concurrent use.
type Packer[S any] interface {
	Pack(dst []byte, s S) []byte
	Unpack(b []byte) S
}

// Block limits: a block is the unit of work of one BFS worker and of
// spilling to disk.
const (
	blockEntries = 4096
	blockBytes   = 1 << 20
)

// block is a run of states of one BFS level, in the order a single worker
// would have stored them. While the level that fills it is expanded, each
// entry also carries the key of the edge that reached it (parent record
// index << 32 | ordinal) and, with several workers, its mixed fingerprint;
// when that level ends claim marks the entries that are stored (owner: the
// first of each new fingerprint in key order), their parent links are
// written, and fingerprints and keys are dropped.
type block[S any] struct {
	n      int
	states []S      // without a Packer
	data   []byte   // with a Packer: the packed states back to back
	ends   []uint32 // end of entry j's bytes in data
	fps    []uint64
	keys   []uint64
	owner  []uint64 // bit j set: entry j is stored; nil: every entry is
	base   uint32   // record index of the first stored entry
	ram    int64    // bytes held in memory (states of a non-Packer system not counted)

	// On disk: ends, data, then fingerprints and keys, from off.
	file    *spillFile
	off     int64
	dataLen int64
	nfps    int // fingerprints written (0 or n)
}

func (b *block[S]) full() bool {
	return b.n >= blockEntries || len(b.data) >= blockBytes
}

func (b *block[S]) stored(j int) bool {
	return b.owner == nil || b.owner[j>>6]&(1<<(j&63)) != 0
}

// frontier does the bookkeeping of a search's blocks: the bytes they hold
// in memory, and writing them to disk and back.
type frontier[S any] struct {
	packer Packer[S]
	ram    atomic.Int64 // bytes of blocks in memory
	peak   atomic.Int64
	spare  spares
}

// spares keeps the pointer-free buffers of blocks already expanded (and
// the fingerprints and keys of blocks already claimed) for the blocks
// filled next, so that a search does not allocate, zero and grow a
// block's slices again for every block of every level. Together they hold
// at most limit bytes (spareBytes, less under a small memory budget); the
// memory budget counts them with what may leave memory, and once blocks
// must go to disk they are let go.
type spares struct {
	mu    sync.Mutex
	u64   spareList[uint64]
	u32   spareList[uint32]
	bytes spareList[byte]
	held  atomic.Int64
	limit int64
}

const spareBytes = 64 << 20

// drain lets every kept buffer go.
func (p *spares) drain() {
	p.mu.Lock()
	p.u64.bufs, p.u32.bufs, p.bytes.bufs = nil, nil, nil
	p.held.Store(0)
	p.mu.Unlock()
}

// spareList is the buffers of one element type kept for reuse.
type spareList[T any] struct{ bufs [][]T }

// put keeps b (emptied) unless it is below min capacity or would pass the
// spares' bound; size is the bytes of one element.
func put[T any](p *spares, l *spareList[T], b []T, min int, size int64) {
	if cap(b) == 0 || cap(b) < min {
		return
	}
	p.mu.Lock()
	if n := size * int64(cap(b)); p.held.Load()+n <= p.limit {
		l.bufs = append(l.bufs, b[:0])
		p.held.Add(n)
	}
	p.mu.Unlock()
}

// get takes a kept buffer, or makes one of capacity fresh (none: nil).
func get[T any](p *spares, l *spareList[T], fresh int, size int64) []T {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(l.bufs); n > 0 {
		b := l.bufs[n-1]
		l.bufs = l.bufs[:n-1]
		p.held.Add(-size * int64(cap(b)))
		return b
	}
	if fresh == 0 {
		return nil
	}
	return make([]T, 0, fresh)
}

func (p *spares) putU64(b []uint64) { put(p, &p.u64, b, blockEntries, 8) }
func (p *spares) putU32(b []uint32) { put(p, &p.u32, b, blockEntries, 4) }
func (p *spares) putBytes(b []byte) { put(p, &p.bytes, b, 1, 1) }
func (p *spares) getU64() []uint64  { return get(p, &p.u64, blockEntries, 8) }
func (p *spares) getU32() []uint32  { return get(p, &p.u32, blockEntries, 4) }
func (p *spares) getBytes() []byte  { return get(p, &p.bytes, 0, 1) }

// newBlock is an empty block whose buffers come from the spares.
func (f *frontier[S]) newBlock(withFP bool) *block[S] {
	b := &block[S]{keys: f.spare.getU64()}
	if withFP {
		b.fps = f.spare.getU64()
	}
	if f.packer != nil {
		b.ends, b.data = f.spare.getU32(), f.spare.getBytes()
	}
	return b
}

// add appends a state to b, with the key of the edge that reached it and,
// when claim will need it (withFP), its mixed fingerprint.
func (f *frontier[S]) add(b *block[S], s S, packed []byte, fp, key uint64, withFP bool) {
	if f.packer != nil {
		b.data = append(b.data, packed...)
		b.ends = append(b.ends, uint32(len(b.data)))
	} else {
		b.states = append(b.states, s)
	}
	if withFP {
		b.fps = append(b.fps, fp)
	}
	b.keys = append(b.keys, key)
	b.n++
}

// account counts b's memory once it is sealed.
func (f *frontier[S]) account(b *block[S]) {
	b.ram = int64(cap(b.data)) + 4*int64(cap(b.ends)) + 8*int64(cap(b.fps)) + 8*int64(cap(b.keys))
	now := f.ram.Add(b.ram)
	for {
		p := f.peak.Load()
		if now <= p || f.peak.CompareAndSwap(p, now) {
			return
		}
	}
}

func (f *frontier[S]) release(b *block[S], bytes int64) {
	b.ram -= bytes
	f.ram.Add(-bytes)
}

// spill writes b to file and frees its memory. Only packed blocks spill.
func (f *frontier[S]) spill(b *block[S], file *spillFile) error {
	if f.packer == nil || b.file != nil {
		return nil
	}
	buf := make([]byte, 0, 4*b.n+len(b.data)+8*len(b.fps)+8*len(b.keys))
	for _, e := range b.ends {
		buf = binary.LittleEndian.AppendUint32(buf, e)
	}
	buf = append(buf, b.data...)
	for _, v := range b.fps {
		buf = binary.LittleEndian.AppendUint64(buf, v)
	}
	for _, v := range b.keys {
		buf = binary.LittleEndian.AppendUint64(buf, v)
	}
	off, err := file.write(buf)
	if err != nil {
		return err
	}
	b.file, b.off, b.dataLen, b.nfps = file, off, int64(len(b.data)), len(b.fps)
	// Memory is short: the buffers go, and so do the ones kept.
	f.spare.drain()
	b.data, b.ends, b.fps, b.keys = nil, nil, nil, nil
	f.release(b, b.ram)
	return nil
}

// loadMeta brings a spilled block's fingerprints and keys back (they are
// read once, when the level that filled the block ends).
func (f *frontier[S]) loadMeta(b *block[S]) ([]uint64, []uint64, error) {
	if b.file == nil {
		return b.fps, b.keys, nil
	}
	buf := make([]byte, 8*(b.nfps+b.n))
	if err := b.file.readAt(buf, b.off+4*int64(b.n)+b.dataLen); err != nil {
		return nil, nil, fmt.Errorf("explore: reading the frontier back from disk: %w", err)
	}
	var fps []uint64
	if b.nfps > 0 {
		fps = make([]uint64, b.nfps)
		for j := range fps {
			fps[j] = binary.LittleEndian.Uint64(buf[8*j:])
		}
	}
	keys := make([]uint64, b.n)
	for j := range keys {
		keys[j] = binary.LittleEndian.Uint64(buf[8*(b.nfps+j):])
	}
	return fps, keys, nil
}

// loadData returns the ends and bytes of a packed block, from disk if it
// was spilled.
func (f *frontier[S]) loadData(b *block[S]) ([]uint32, []byte, error) {
	if b.file == nil {
		return b.ends, b.data, nil
	}
	buf := make([]byte, 4*int64(b.n)+b.dataLen)
	if err := b.file.readAt(buf, b.off); err != nil {
		return nil, nil, fmt.Errorf("explore: reading the frontier back from disk: %w", err)
	}
	ends := make([]uint32, b.n)
	for j := range ends {
		ends[j] = binary.LittleEndian.Uint32(buf[4*j:])
	}
	return ends, buf[4*b.n:], nil
}

// dropMeta frees the fingerprints and keys of a block in memory.
func (f *frontier[S]) dropMeta(b *block[S]) {
	if b.file != nil {
		return
	}
	freed := 8*int64(cap(b.fps)) + 8*int64(cap(b.keys))
	f.spare.putU64(b.fps)
	f.spare.putU64(b.keys)
	b.fps, b.keys = nil, nil
	f.release(b, freed)
}

// free drops a block once it has been expanded.
func (f *frontier[S]) free(b *block[S]) {
	if b.file == nil {
		f.spare.putBytes(b.data)
		f.spare.putU32(b.ends)
		f.spare.putU64(b.fps)
		f.spare.putU64(b.keys)
	}
	b.states, b.data, b.ends, b.fps, b.keys = nil, nil, nil, nil, nil
	f.release(b, b.ram)
}
