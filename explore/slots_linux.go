//go:build linux

package explore

import "syscall"

// offHeapSlots is the size from which a shard's slots are mapped outside
// the Go heap: they hold no pointers, so the collector has nothing to do
// with them, and outside the heap they neither count towards its growth
// nor linger as garbage after a shard grows (they go back to the system at
// once). A variable so that tests can map small shards.
var offHeapSlots = 1 << 20

// allocSlots returns n zeroed bytes and whether they were mapped outside
// the Go heap (to be given back with freeSlots).
func allocSlots(n int) ([]byte, bool) {
	if n < offHeapSlots {
		return make([]byte, n), false
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]byte, n), false
	}
	return b, true
}

// freeSlots gives back bytes from allocSlots mapped outside the heap.
func freeSlots(b []byte, off bool) {
	if off {
		_ = syscall.Munmap(b)
	}
}
