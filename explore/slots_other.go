//go:build !linux

package explore

// allocSlots returns n zeroed bytes from the Go heap.
func allocSlots(n int) ([]byte, bool) { return make([]byte, n), false }

// freeSlots has nothing to give back: the collector frees heap slots.
func freeSlots([]byte, bool) {}

// offHeapSlots has no use here: no slots are mapped outside the heap.
var offHeapSlots = 1 << 20
