package textcrdt

import "fmt"

// Pos is a position in the text: the dyadic rational N/2^E. It is kept
// reduced (N odd, or N = 0 with E = 0), so equal positions have equal
// fields. Midpoints of dyadic rationals are dyadic, so every position an
// insert makes is one.
type Pos struct {
	N uint32
	E uint8
}

// The sentinels: the text lies strictly between Start and End.
var (
	Start = Pos{N: 0, E: 0}
	End   = Pos{N: 1, E: 0}
)

// reduce makes p canonical.
func reduce(n uint32, e uint8) Pos {
	for e > 0 && n&1 == 0 {
		n >>= 1
		e--
	}
	if n == 0 {
		e = 0
	}
	return Pos{N: n, E: e}
}

// Cmp compares p and q: -1, 0 or 1.
func (p Pos) Cmp(q Pos) int {
	e := max(p.E, q.E)
	a, b := uint64(p.N)<<(e-p.E), uint64(q.N)<<(e-q.E)
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Mid is the midpoint of p and q. With bits > 0 it is rounded down to a
// multiple of 2^-bits (a position with at most bits bits after the
// point), as a float of bounded precision would be.
func Mid(p, q Pos, bits int) Pos {
	c := max(p.E, q.E)
	n, e := p.N<<(c-p.E)+q.N<<(c-q.E), c+1
	if bits > 0 && int(e) > bits {
		n >>= int(e) - bits
		e = uint8(bits)
	}
	return reduce(n, e)
}

// String is "0", "1" or "3/8".
func (p Pos) String() string {
	if p.E == 0 {
		return fmt.Sprint(p.N)
	}
	return fmt.Sprintf("%d/%d", p.N, uint64(1)<<p.E)
}
