package explore

import (
	"sync"
	"sync/atomic"
)

// fpSet is the visited set: open addressing with linear probing over 64-bit
// fingerprints, split into shards by the fingerprint's top bits so that each
// shard grows on its own (no long stop-the-world rehash) and, when several
// workers insert, each shard has its own lock. Zero marks an empty slot; the
// zero fingerprint itself is kept in a flag of its shard.
type fpSet struct {
	shards []fpShard
	shift  uint // fp >> shift selects the shard
	locked bool // several workers insert concurrently
	size   atomic.Int64
}

type fpShard struct {
	mu    sync.Mutex
	slots []uint64
	n     int           // fingerprints stored in slots
	limit int           // grow when n reaches limit
	zero  bool          // the zero fingerprint is stored
	size  *atomic.Int64 // the set's bytes
	_     [64]byte      // 128 bytes in all: two workers never share a shard's cache lines
}

const (
	fpShardBits   = 8
	fpInitialSlot = 1 << 6 // per shard
	fpMaxLoadNum  = 7      // grow at 7/10 full
	fpMaxLoadDen  = 10
	// The visited set doubles at 7/10 full. Growing by half again up to
	// 3/4 full saves a fifth of its memory but cost a fifth of the speed of
	// a search as cheap as TwoPhase's (longer probes, more rehashing).
	fpGrowNum    = 2
	fpGrowDen    = 1
	fpSetLoadNum = 7
	fpSetLoadDen = 10
)

func newFPSet(locked bool) *fpSet {
	t := &fpSet{shards: make([]fpShard, 1<<fpShardBits), shift: 64 - fpShardBits, locked: locked}
	for i := range t.shards {
		t.shards[i].size = &t.size
		t.shards[i].alloc(fpInitialSlot)
	}
	return t
}

func (sh *fpShard) alloc(n int) {
	sh.size.Add(8 * int64(n-len(sh.slots)))
	sh.slots = make([]uint64, n)
	sh.limit = n * fpSetLoadNum / fpSetLoadDen
}

// slot maps a mixed fingerprint to its first slot among n, a power of two
// (the top bits chose the shard, the low bits the slot).
func slot(fp uint64, n int) int { return int(fp & uint64(n-1)) }

// insert adds fp and reports whether it was absent. Fingerprints are mixed
// first, so a system may use its packed state itself as its fingerprint.
func (t *fpSet) insert(fp uint64) bool {
	fp = Mix64(fp)
	sh := &t.shards[fp>>t.shift]
	if t.locked {
		sh.mu.Lock()
		added := sh.insert(fp)
		sh.mu.Unlock()
		return added
	}
	return sh.insert(fp)
}

// contains reports whether fp is stored.
func (t *fpSet) contains(fp uint64) bool {
	fp = Mix64(fp)
	sh := &t.shards[fp>>t.shift]
	if t.locked {
		sh.mu.Lock()
		defer sh.mu.Unlock()
	}
	return sh.contains(fp)
}

// containsMixed reports whether fp, already mixed, is stored. It takes no
// lock: no one may insert meanwhile.
func (t *fpSet) containsMixed(fp uint64) bool {
	return t.shards[fp>>t.shift].contains(fp)
}

// insertMixed adds fp, already mixed, and reports whether it was absent.
// It takes no lock: no one else may use the set meanwhile.
func (t *fpSet) insertMixed(fp uint64) bool {
	return t.shards[fp>>t.shift].insert(fp)
}

func (sh *fpShard) contains(fp uint64) bool {
	if fp == 0 {
		return sh.zero
	}
	n := len(sh.slots)
	for i := slot(fp, n); ; {
		switch sh.slots[i] {
		case fp:
			return true
		case 0:
			return false
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (sh *fpShard) insert(fp uint64) bool {
	if fp == 0 {
		if sh.zero {
			return false
		}
		sh.zero = true
		return true
	}
	n := len(sh.slots)
	i := slot(fp, n)
	for {
		v := sh.slots[i]
		if v == fp {
			return false
		}
		if v == 0 {
			break
		}
		if i++; i == n {
			i = 0
		}
	}
	sh.slots[i] = fp
	sh.n++
	if sh.n >= sh.limit {
		sh.grow()
	}
	return true
}

func (sh *fpShard) grow() {
	old := sh.slots
	sh.alloc(len(old) * fpGrowNum / fpGrowDen)
	n := len(sh.slots)
	for _, fp := range old {
		if fp == 0 {
			continue
		}
		i := slot(fp, n)
		for sh.slots[i] != 0 {
			if i++; i == n {
				i = 0
			}
		}
		sh.slots[i] = fp
	}
}

// bytes is the memory held by the slots.
func (t *fpSet) bytes() int64 { return t.size.Load() }
