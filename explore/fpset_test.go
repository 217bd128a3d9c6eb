package explore

import (
	"sync"
	"testing"
)

func TestFPSetStoresEachFingerprintOnceAcrossGrowth(t *testing.T) {
	s := newFPSet(false)
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

func TestFPSetConcurrentInsertsAgreeOnWhoWasFirst(t *testing.T) {
	s := newFPSet(true)
	const n, workers = 100_000, 4
	var wg sync.WaitGroup
	added := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := uint64(0); i < n; i++ {
				if s.insert(i * 7919) {
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
	if total != n {
		t.Fatalf("%d inserts reported new, want exactly %d", total, n)
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
