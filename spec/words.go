package spec

import "encoding/binary"

// A transition system written directly (as a TLA+ specification is) may
// keep its whole state in a few 64-bit words. These helpers give such a
// state its packed form and its fingerprint, the same for every package
// that does so.

// AppendWords appends the words, little-endian, 8 bytes each.
func AppendWords(dst []byte, words []uint64) []byte {
	for _, w := range words {
		dst = binary.LittleEndian.AppendUint64(dst, w)
	}
	return dst
}

// ReadWords fills words from b, as AppendWords wrote them.
func ReadWords(words []uint64, b []byte) {
	for i := range words {
		words[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
}

// HashWords is a fingerprint of the words, position by position.
func HashWords(words []uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for i, w := range words {
		h = mixWord(h ^ mixWord(w+uint64(i)))
	}
	return h
}

// mixWord is the splitmix64 finaliser, a bijection on 64 bits.
func mixWord(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}
