package explore

import (
	"encoding/binary"
	"sync/atomic"
)

// fpSet is the visited set: open addressing with linear probing over 64-bit
// fingerprints, split into shards by the fingerprint's top 8 bits so that
// each shard grows on its own (no long stop-the-world rehash) and so that,
// with several workers, each shard has one writer (see claim). A shard
// stores only the low 56 bits of a fingerprint, in 7 bytes — its top 8
// bits are the shard's number — so the set is exact: two fingerprints
// share a slot only if they are equal. Zero marks an empty slot; a
// fingerprint whose low 56 bits are zero is kept in a flag of its shard.
// Shards are sized in steps of 3/2 and 4/3 rather than doubling, so that
// a full search ends with its set between half and seven tenths full
// rather than a third and seven tenths; large shards are mapped outside
// the Go heap (see allocSlots), where the collector neither scans them nor
// counts them twice.
type fpSet struct {
	shards  []fpShard
	shift   uint         // fp >> shift selects the shard
	size    atomic.Int64 // bytes of slots
	offHeap atomic.Int64 // bytes of slots mapped outside the Go heap
}

type fpShard struct {
	slots []byte // 7 bytes a slot, and 1 byte of padding at the end
	n     int    // slots in the table
	used  int    // fingerprints stored in slots
	limit int    // grow when used reaches limit
	zero  bool   // the fingerprint with low 56 bits zero is stored
	off   bool   // slots were mapped outside the Go heap
	set   *fpSet
	_     [64]byte // two workers never share a shard's cache lines
}

const (
	fpShardBits   = 8
	fpInitialSlot = 1 << 6 // per shard
	fpSlotBytes   = 7
	fpLowMask     = 1<<56 - 1
	// A shard grows at 7/10 full: linear probing slows down fast beyond.
	fpMaxLoadNum = 7
	fpMaxLoadDen = 10
)

func newFPSet() *fpSet {
	t := &fpSet{shards: make([]fpShard, 1<<fpShardBits), shift: 64 - fpShardBits}
	for i := range t.shards {
		t.shards[i].set = t
		t.shards[i].alloc(fpInitialSlot)
	}
	return t
}

// nextSize is the shard size after n: 2^k grows to 3·2^(k-1), which grows
// to 2^(k+1).
func nextSize(n int) int {
	if n&(n-1) == 0 {
		return n / 2 * 3
	}
	return n / 3 * 4
}

func (sh *fpShard) alloc(n int) {
	bytes := fpSlotBytes*n + 1
	slots, off := allocSlots(bytes)
	sh.set.size.Add(int64(bytes - len(sh.slots)))
	if sh.off {
		sh.set.offHeap.Add(-int64(len(sh.slots)))
	}
	if off {
		sh.set.offHeap.Add(int64(bytes))
	}
	sh.slots, sh.off, sh.n = slots, off, n
	sh.limit = n * fpMaxLoadNum / fpMaxLoadDen
}

// home maps a mixed fingerprint to its first slot among n: its low 32 bits
// scaled to n (the top bits chose the shard).
func home(fp uint64, n int) int { return int(uint64(uint32(fp)) * uint64(n) >> 32) }

func (sh *fpShard) load(i int) uint64 {
	return binary.LittleEndian.Uint64(sh.slots[fpSlotBytes*i:]) & fpLowMask
}

func (sh *fpShard) store(i int, low uint64) {
	b := sh.slots[fpSlotBytes*i:]
	w := binary.LittleEndian.Uint64(b)
	binary.LittleEndian.PutUint64(b, w&^fpLowMask|low)
}

// insert adds fp and reports whether it was absent. Fingerprints are mixed
// first, so a system may use its packed state itself as its fingerprint.
func (t *fpSet) insert(fp uint64) bool { return t.insertMixed(Mix64(fp)) }

// contains reports whether fp is stored.
func (t *fpSet) contains(fp uint64) bool { return t.containsMixed(Mix64(fp)) }

// containsMixed reports whether fp, already mixed, is stored. No one may
// insert into its shard meanwhile.
func (t *fpSet) containsMixed(fp uint64) bool {
	return t.shards[fp>>t.shift].contains(fp & fpLowMask)
}

// touch reads the byte where a probe for fp, already mixed, starts: done
// for several fingerprints before their probes, it lets their cache
// misses overlap.
func (t *fpSet) touch(fp uint64) byte {
	sh := &t.shards[fp>>t.shift]
	return sh.slots[fpSlotBytes*home(fp&fpLowMask, sh.n)]
}

// insertMixed adds fp, already mixed, and reports whether it was absent.
// No one else may use its shard meanwhile.
func (t *fpSet) insertMixed(fp uint64) bool {
	return t.shards[fp>>t.shift].insert(fp & fpLowMask)
}

func (sh *fpShard) contains(low uint64) bool {
	if low == 0 {
		return sh.zero
	}
	n := sh.n
	for i := home(low, n); ; {
		switch sh.load(i) {
		case low:
			return true
		case 0:
			return false
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (sh *fpShard) insert(low uint64) bool {
	if low == 0 {
		if sh.zero {
			return false
		}
		sh.zero = true
		return true
	}
	n := sh.n
	i := home(low, n)
	for {
		v := sh.load(i)
		if v == low {
			return false
		}
		if v == 0 {
			break
		}
		if i++; i == n {
			i = 0
		}
	}
	sh.store(i, low)
	sh.used++
	if sh.used >= sh.limit {
		sh.grow()
	}
	return true
}

func (sh *fpShard) grow() {
	old, oldN, oldOff := sh.slots, sh.n, sh.off
	sh.alloc(nextSize(oldN))
	n := sh.n
	for j := range oldN {
		low := binary.LittleEndian.Uint64(old[fpSlotBytes*j:]) & fpLowMask
		if low == 0 {
			continue
		}
		i := home(low, n)
		for sh.load(i) != 0 {
			if i++; i == n {
				i = 0
			}
		}
		sh.store(i, low)
	}
	freeSlots(old, oldOff)
}

// free gives back the slots mapped outside the Go heap, which the
// collector never frees: a program that runs many searches would
// otherwise keep every large visited set. The set is unusable after.
func (t *fpSet) free() {
	for i := range t.shards {
		sh := &t.shards[i]
		if sh.off {
			t.offHeap.Add(-int64(len(sh.slots)))
		}
		freeSlots(sh.slots, sh.off)
		sh.slots, sh.off, sh.n = nil, false, 0
	}
}

// bytes is the memory held by the slots.
func (t *fpSet) bytes() int64 { return t.size.Load() }
