package explore

import (
	"encoding/binary"
	"fmt"
	"math"
)

// linkChunk is the number of parent links held by one chunk of a linkStore.
const linkChunk = 1 << 18

// linkStore holds one parent link per stored state, indexed by record
// index: the record index of the state it was first reached from (or
// rootParent) and which of that state's successors it was (for an initial
// state, its position among the initial states). Links are written once,
// in record order, and read only to rebuild a path, so full chunks can
// wait on disk: only the chunk being filled must stay in memory.
//
// A linkStore is used by one goroutine at a time.
type linkStore struct {
	size   int64      // links per chunk: linkChunk, or fewer in tests
	chunks [][]uint64 // parent<<32 | ord; nil once the chunk is on disk
	onDisk []int64    // per chunk: its offset in the spill file, or -1
	n      int64
	spill  *spillFile
	ram    int64 // bytes of chunks in memory
}

// len is the number of links stored.
func (l *linkStore) len() int64 { return l.n }

// add appends a link and returns its record index.
func (l *linkStore) add(parent uint32, ord uint32) uint32 {
	if l.n >= math.MaxUint32 {
		panic("explore: more than 2^32-1 stored states")
	}
	if l.size == 0 {
		l.size = linkChunk
	}
	i := l.n % l.size
	if i == 0 {
		l.chunks = append(l.chunks, make([]uint64, l.size))
		l.onDisk = append(l.onDisk, -1)
		l.ram += l.size * 8
	}
	l.chunks[len(l.chunks)-1][i] = uint64(parent)<<32 | uint64(ord)
	idx := uint32(l.n)
	l.n++
	return idx
}

// get returns the link of record idx.
func (l *linkStore) get(idx uint32) (parent uint32, ord uint32) {
	c, i := int64(idx)/l.size, int64(idx)%l.size
	var v uint64
	if ch := l.chunks[c]; ch != nil {
		v = ch[i]
	} else {
		var b [8]byte
		if err := l.spill.readAt(b[:], l.onDisk[c]+i*8); err != nil {
			panic(fmt.Sprintf("explore: reading a parent link back from disk: %v", err))
		}
		v = binary.LittleEndian.Uint64(b[:])
	}
	return uint32(v >> 32), uint32(v)
}

// spillFull writes every full chunk still in memory to f and releases it.
// It returns the bytes released.
func (l *linkStore) spillFull(f *spillFile) (int64, error) {
	var freed int64
	for c := range l.chunks {
		full := int64(c+1)*l.size <= l.n
		if !full || l.chunks[c] == nil {
			continue
		}
		buf := make([]byte, l.size*8)
		for i, v := range l.chunks[c] {
			binary.LittleEndian.PutUint64(buf[i*8:], v)
		}
		off, err := f.write(buf)
		if err != nil {
			return freed, err
		}
		l.spill = f
		l.onDisk[c] = off
		l.chunks[c] = nil
		l.ram -= l.size * 8
		freed += l.size * 8
	}
	return freed, nil
}

// bytes is the memory the links hold.
func (l *linkStore) bytes() int64 { return l.ram }
