package explore

import (
	"sync"
	"sync/atomic"
)

// levelSet holds the fingerprints first stored during the current BFS level
// when several workers search, each with the key of the edge that reached
// it (parent record index << 32 | ordinal), keeping the smallest key. The
// state with the smallest key is the one a single worker would have stored,
// so the level's states, their order, their parents and hence every
// counterexample are the same whatever the number of workers. At the end of
// the level its fingerprints join the visited set, which is only read
// during a level and so needs no lock.
type levelSet struct {
	shards []levelShard
	shift  uint
	size   atomic.Int64 // bytes held, read by the memory budget
}

type levelShard struct {
	mu    sync.Mutex
	fps   []uint64
	keys  []uint64
	n     int
	limit int
	zero  bool
	zkey  uint64
	_     [40]byte
}

func newLevelSet() *levelSet {
	t := &levelSet{shards: make([]levelShard, 1<<fpShardBits), shift: 64 - fpShardBits}
	return t
}

func (sh *levelShard) alloc(t *levelSet, n int) {
	t.size.Add(16 * int64(n-len(sh.fps)))
	sh.fps = make([]uint64, n)
	sh.keys = make([]uint64, n)
	sh.limit = n * fpMaxLoadNum / fpMaxLoadDen
}

// offer records that key reached fp (already mixed) and reports whether fp
// is new to the level and whether key is now its smallest key.
func (t *levelSet) offer(fp, key uint64) (isNew, owner bool) {
	sh := &t.shards[fp>>t.shift]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if fp == 0 {
		switch {
		case !sh.zero:
			sh.zero, sh.zkey = true, key
			return true, true
		case key < sh.zkey:
			sh.zkey = key
			return false, true
		}
		return false, false
	}
	if sh.fps == nil {
		sh.alloc(t, fpInitialSlot)
	}
	mask := uint64(len(sh.fps) - 1)
	i := fp & mask
	for {
		switch sh.fps[i] {
		case fp:
			if key < sh.keys[i] {
				sh.keys[i] = key
				return false, true
			}
			return false, false
		case 0:
			sh.fps[i], sh.keys[i] = fp, key
			sh.n++
			if sh.n >= sh.limit {
				sh.grow(t)
			}
			return true, true
		}
		i = (i + 1) & mask
	}
}

// key returns the smallest key recorded for fp (already mixed).
func (t *levelSet) key(fp uint64) (uint64, bool) {
	sh := &t.shards[fp>>t.shift]
	if fp == 0 {
		return sh.zkey, sh.zero
	}
	if sh.fps == nil {
		return 0, false
	}
	mask := uint64(len(sh.fps) - 1)
	for i := fp & mask; ; i = (i + 1) & mask {
		switch sh.fps[i] {
		case fp:
			return sh.keys[i], true
		case 0:
			return 0, false
		}
	}
}

func (sh *levelShard) grow(t *levelSet) {
	ofps, okeys := sh.fps, sh.keys
	sh.alloc(t, 2*len(ofps))
	mask := uint64(len(sh.fps) - 1)
	for j, fp := range ofps {
		if fp == 0 {
			continue
		}
		i := fp & mask
		for sh.fps[i] != 0 {
			i = (i + 1) & mask
		}
		sh.fps[i], sh.keys[i] = fp, okeys[j]
	}
}

// bytes is the memory the level set holds.
func (t *levelSet) bytes() int64 { return t.size.Load() }

// mergeInto adds shards lo, lo+step, … of t to set, which must be sharded
// the same way and not be used by anyone else for those shards meanwhile.
func (t *levelSet) mergeInto(set *fpSet, lo, step int) {
	for s := lo; s < len(t.shards); s += step {
		sh, dst := &t.shards[s], &set.shards[s]
		if sh.zero {
			dst.insert(0)
		}
		for _, fp := range sh.fps {
			if fp != 0 {
				dst.insert(fp)
			}
		}
		sh.fps, sh.keys = nil, nil
	}
}
