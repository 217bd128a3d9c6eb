package quorum

import "math/bits"

// MaxIntersect is the largest n Intersect enumerates.
const MaxIntersect = 16

// Intersect reports whether every r-subset of n replicas meets every
// w-subset, by enumerating them all as bitmasks (no formula: it is the
// naive oracle that the quorum rule r+w > n is tested against). It returns
// false when n is outside 1..MaxIntersect or r or w outside 1..n.
func Intersect(n, r, w int) bool {
	if n < 1 || n > MaxIntersect || r < 1 || r > n || w < 1 || w > n {
		return false
	}
	reads, writes := subsets(n, r), subsets(n, w)
	for _, rs := range reads {
		for _, ws := range writes {
			if rs&ws == 0 {
				return false
			}
		}
	}
	return true
}

// subsets lists the k-element subsets of {0, …, n-1} as bitmasks.
func subsets(n, k int) []uint32 {
	var out []uint32
	for set := uint32(0); set < 1<<n; set++ {
		if bits.OnesCount32(set) == k {
			out = append(out, set)
		}
	}
	return out
}
