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
	if got := Hash64([]byte("distsys")); got != Hash64([]byte("distsys")) {
		t.Fatal("Hash64 not deterministic")
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
