package explore

import (
	"encoding/binary"
	"math/bits"
)

// Odd 64-bit constants: the golden-ratio increment and two large primes.
const (
	hashK1 = 0x9e3779b97f4a7c15
	hashK2 = 0xc2b2ae3d27d4eb4f
	hashK3 = 0x165667b19e3779f9
)

// Mix64 scrambles x into a well-distributed 64-bit value. It is a bijection
// (the splitmix64 finaliser), so a system whose whole state fits in 64 bits
// can use Mix64(state) as a fingerprint with no collisions at all.
func Mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Hash64 hashes b (a canonical state or message encoding) to 64 bits. It is
// deterministic across runs and machines, so fingerprints are reproducible.
func Hash64(b []byte) uint64 {
	h := uint64(len(b))*hashK1 ^ hashK3
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		h = bits.RotateLeft64(h^(w*hashK2), 31) * hashK1
		b = b[8:]
	}
	if len(b) > 0 {
		var w uint64
		for i, c := range b {
			w |= uint64(c) << (8 * i)
		}
		h = bits.RotateLeft64(h^(w*hashK2), 31) * hashK1
	}
	return Mix64(h)
}

// Combine folds x into the running hash h. It is order-dependent:
// Combine(Combine(h, a), b) differs from Combine(Combine(h, b), a), so a
// sequence of component hashes (nodes in order, a sorted multiset) hashes
// as a sequence.
func Combine(h, x uint64) uint64 {
	return Mix64(h*hashK1 + x + hashK3)
}
