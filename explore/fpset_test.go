package explore

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

func TestFPSetStoresEachFingerprintOnceAcrossGrowth(t *testing.T) {
	s := newFPSet()
	for i := uint64(0); i < 200_000; i++ {
		if !s.insert(i) {
			t.Fatalf("fingerprint %d reported present before it was added", i)
		}
	}
	for i := uint64(0); i < 200_000; i++ {
		if s.insert(i) || !s.contains(i) {
			t.Fatalf("fingerprint %d lost", i)
		}
	}
	if s.contains(1 << 40) {
		t.Fatal("absent fingerprint reported present")
	}
}

// A shard keeps 56 bits of each fingerprint: fingerprints that differ only
// in their top byte go to different shards, and one whose low 56 bits are
// zero is kept apart, so the set stays exact.
func TestFPSetIsExactOnFingerprintsThatShareLowBits(t *testing.T) {
	s := newFPSet()
	want := map[uint64]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	var fps []uint64
	for top := range uint64(256) {
		fps = append(fps, top<<56, top<<56|1, top<<56|fpLowMask)
	}
	for range 300_000 {
		fps = append(fps, rng.Uint64())
	}
	for _, fp := range fps {
		if got := s.insertMixed(fp); got == want[fp] {
			t.Fatalf("insertMixed(%#x) = %v, already stored: %v", fp, got, want[fp])
		}
		want[fp] = true
	}
	for _, fp := range fps {
		if !s.containsMixed(fp) || s.insertMixed(fp) {
			t.Fatalf("fingerprint %#x lost", fp)
		}
	}
	for range 100_000 {
		fp := rng.Uint64()
		if s.containsMixed(fp) != want[fp] {
			t.Fatalf("containsMixed(%#x) != %v", fp, want[fp])
		}
	}
	var used int
	for i := range s.shards {
		sh := &s.shards[i]
		used += sh.used
		if sh.zero {
			used++
		}
		if sh.used >= sh.limit {
			t.Fatalf("shard %d is %d/%d full, past its limit %d", i, sh.used, sh.n, sh.limit)
		}
	}
	if used != len(want) {
		t.Fatalf("%d fingerprints stored, want %d", used, len(want))
	}
}

func TestFPSetShardSizesStepByThreeHalvesAndFourThirds(t *testing.T) {
	n := fpInitialSlot
	for range 20 {
		m := nextSize(n)
		if m*2 != n*3 && m*3 != n*4 {
			t.Fatalf("nextSize(%d) = %d", n, m)
		}
		n = m
	}
}

// With several workers each inserts only into its own shards (claim): no
// lock, and every fingerprint is reported new exactly once.
func TestFPSetShardOwnersInsertWithoutLocks(t *testing.T) {
	s := newFPSet()
	const n, workers = 200_000, 3
	var wg sync.WaitGroup
	added := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := uint64(0); i < n; i++ {
				fp := Mix64(i % (n / 2))
				if int(fp>>s.shift)%workers == w && s.insertMixed(fp) {
					added[w]++
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, a := range added {
		total += a
	}
	if total != n/2 {
		t.Fatalf("%d inserts reported new, want exactly %d", total, n/2)
	}
}

func TestHashIsStableAndSpreads(t *testing.T) {
	// Pinned: fingerprints must not change between runs or machines.
	if got := Hash64([]byte("distsys")); got != 0xe9995412ee6cc11a {
		t.Fatalf("Hash64(distsys) = %#x: the fingerprint function changed", got)
	}
	if got := Hash64(nil); got != 0xb39362cb946013e3 {
		t.Fatalf("Hash64(nil) = %#x: the fingerprint function changed", got)
	}
	seen := map[uint64]bool{}
	for i := range 1 << 16 {
		seen[Hash64([]byte{byte(i), byte(i >> 8)})] = true
	}
	if len(seen) != 1<<16 {
		t.Fatalf("%d distinct hashes of 65536 distinct inputs", len(seen))
	}
	if Combine(Combine(1, 2), 3) == Combine(Combine(1, 3), 2) {
		t.Fatal("Combine is order-independent")
	}
}

// Slots mapped outside the heap are given back when a search ends: the
// collector would never free them.
func TestFPSetFreeGivesBackItsMappedSlots(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("slots are mapped outside the heap on Linux only")
	}
	old := offHeapSlots
	offHeapSlots = 1 << 10
	defer func() { offHeapSlots = old }()
	s := newFPSet()
	for i := uint64(0); i < 100_000; i++ {
		s.insert(i)
	}
	if s.offHeap.Load() == 0 {
		t.Fatal("no shard was mapped outside the heap: the test checks nothing")
	}
	s.free()
	if n := s.offHeap.Load(); n != 0 {
		t.Fatalf("%d bytes still mapped after free", n)
	}
}
