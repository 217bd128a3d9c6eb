package model

import (
	"sync"
	"sync/atomic"
)

// Interner chunk geometry: ids index chunks of internChunk values; at most
// internChunks chunks (2^26 values).
const (
	internChunkBits = 12
	internChunk     = 1 << internChunkBits
	internChunks    = 1 << 14
	internShards    = 64
)

// interner gives each distinct value, named by its canonical encoding, a
// small id, and the value back for an id. Worlds waiting in the checker's
// frontier are lists of such ids (see pack.go): a node state or a message
// shared by a million worlds is kept once. Safe for concurrent use: the
// map from encodings to ids is split into locked shards, and values live
// in fixed chunks that never move, so reading a value by id takes no lock.
type interner[T any] struct {
	shards [internShards]struct {
		mu  sync.Mutex
		ids map[string]uint32
		_   [48]byte
	}
	grow   sync.Mutex
	chunks [internChunks]atomic.Pointer[[internChunk]T]
	next   atomic.Uint32 // the next id; 0 is never given
	bytes  atomic.Int64  // an estimate of the memory held
}

// id returns the id of the value whose encoding is key (hashed to h),
// storing make(id) under a new id the first time.
func (in *interner[T]) id(h uint64, key []byte, make func(id uint32) T) uint32 {
	sh := &in.shards[h%internShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if id, ok := sh.ids[string(key)]; ok {
		return id
	}
	if sh.ids == nil {
		sh.ids = map[string]uint32{}
	}
	id := in.next.Add(1)
	if id == 0 || id>>internChunkBits >= internChunks {
		panic("model: more than 2^26 distinct node states, messages or events")
	}
	c := in.chunk(id >> internChunkBits)
	c[id&(internChunk-1)] = make(id)
	sh.ids[string(key)] = id
	// The key twice (map key and, roughly, the value it stands for), and
	// the map's own bookkeeping.
	in.bytes.Add(2*int64(len(key)) + 64)
	return id
}

func (in *interner[T]) chunk(i uint32) *[internChunk]T {
	if c := in.chunks[i].Load(); c != nil {
		return c
	}
	in.grow.Lock()
	defer in.grow.Unlock()
	if c := in.chunks[i].Load(); c != nil {
		return c
	}
	c := new([internChunk]T)
	in.chunks[i].Store(c)
	return c
}

// get returns the value of id.
func (in *interner[T]) get(id uint32) *T {
	return &in.chunks[id>>internChunkBits].Load()[id&(internChunk-1)]
}
