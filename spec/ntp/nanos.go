package ntp

import (
	"strconv"
	"strings"
)

// Nanos is a time or a duration in integer nanoseconds. All arithmetic of
// this package is on integers: no rounding hides in a float.
type Nanos int64

// Units of Nanos.
const (
	Nanosecond  Nanos = 1
	Microsecond       = 1000 * Nanosecond
	Millisecond       = 1000 * Microsecond
	Second            = 1000 * Millisecond
)

// String writes d in the largest unit that leaves an integer or a short
// decimal: "300ms", "-2000s", "1.5ms", "250ns", "0".
func (d Nanos) String() string {
	if d == 0 {
		return "0"
	}
	sign := ""
	u := uint64(d)
	if d < 0 {
		sign, u = "-", uint64(-d)
	}
	for _, unit := range []struct {
		size uint64
		name string
	}{{uint64(Second), "s"}, {uint64(Millisecond), "ms"}, {uint64(Microsecond), "µs"}} {
		if u >= unit.size {
			whole, frac := u/unit.size, u%unit.size
			s := strconv.FormatUint(whole, 10)
			if frac != 0 {
				digits := len(strconv.FormatUint(unit.size, 10)) - 1
				f := strconv.FormatUint(frac, 10)
				f = strings.Repeat("0", digits-len(f)) + f
				s += "." + strings.TrimRight(f, "0")
			}
			return sign + s + unit.name
		}
	}
	return sign + strconv.FormatUint(u, 10) + "ns"
}

// Abs is |d|.
func (d Nanos) Abs() Nanos {
	if d < 0 {
		return -d
	}
	return d
}

// floorDiv is a/b rounded down (b > 0): Go's / rounds toward zero.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// ppm returns ⌊d · rate / 10^6⌋: what a rate in parts per million adds
// up to over d.
func ppm(d Nanos, rate int64) Nanos { return Nanos(floorDiv(int64(d)*rate, 1_000_000)) }
