package spec

import (
	"strconv"
	"strings"
)

// VClock is a vector clock: entry i counts events of node i. The model's
// ghost happens-before uses it; protocols may use it too.
type VClock []uint32

// Clone returns a copy that shares nothing with c.
func (c VClock) Clone() VClock { return append(VClock(nil), c...) }

// Tick returns a copy of c with entry i incremented.
func (c VClock) Tick(i NodeID) VClock {
	d := c.Clone()
	d[i]++
	return d
}

// Merge returns the entrywise maximum of c and d.
func (c VClock) Merge(d VClock) VClock {
	e := c.Clone()
	for i, v := range d {
		if i < len(e) && v > e[i] {
			e[i] = v
		}
	}
	return e
}

// LessEq reports c ≤ d entrywise.
func (c VClock) LessEq(d VClock) bool {
	for i, v := range c {
		if v > d[i] {
			return false
		}
	}
	return true
}

// Less reports c < d: c ≤ d and c ≠ d. For the clocks of two events it
// means the first happened before the second.
func (c VClock) Less(d VClock) bool { return c.LessEq(d) && !d.LessEq(c) }

// Equal reports c = d entrywise.
func (c VClock) Equal(d VClock) bool { return c.LessEq(d) && d.LessEq(c) }

// Concurrent reports that neither c ≤ d nor d ≤ c.
func (c VClock) Concurrent(d VClock) bool { return !c.LessEq(d) && !d.LessEq(c) }

// String renders c as ⟨1,0,2⟩.
func (c VClock) String() string {
	var b strings.Builder
	b.WriteString("⟨")
	for i, v := range c {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(uint64(v), 10))
	}
	b.WriteString("⟩")
	return b.String()
}

// Append appends c's canonical encoding.
func (c VClock) Append(b []byte) []byte {
	b = AppendUint(b, uint64(len(c)))
	for _, v := range c {
		b = AppendUint(b, uint64(v))
	}
	return b
}
