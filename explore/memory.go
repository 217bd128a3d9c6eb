package explore

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// MemReporter is implemented by a System that holds memory of its own
// that grows with the search (interned node states, say): the bytes it
// reports count against Options.MaxMemory beside the explorer's own.
type MemReporter interface {
	MemBytes() int64
}

// memBudget decides, from the bytes a search accounts for and the heap
// it samples, when to write to disk and when to stop.
//
// The budget is split so that the Go heap stays inside it: the garbage
// collector needs room beside the live data (its memory limit is set to
// four fifths of the budget), so spilling starts when the accounted bytes
// or the live heap reach half the budget, and the search stops
// (Incomplete, naming memory) when what cannot spill — the visited set
// and the System's own memory — reaches three quarters, or the live heap seventeen twentieths.
type memBudget struct {
	limit     int64
	force     bool          // tests: spill everything that can spill
	spillable func() int64  // bytes that may leave memory: frontier blocks (and their kept buffers), parent links
	fixed     func() int64  // bytes that may not
	heap      atomic.Uint64 // heap objects at the last sample, garbage included
	live      atomic.Uint64 // the live heap as of the last collection
	baseHeap  uint64        // the live heap when the search started: the budget is for the search
}

// liveOver reports whether the search's live heap is above frac of the
// budget.
func (m *memBudget) liveOver(num, den int64) bool {
	l := m.live.Load()
	return l > m.baseHeap && int64(l-m.baseHeap) > m.limit/den*num
}

// spillNeeded reports whether new frontier blocks and full parent-link
// chunks should go to disk.
func (m *memBudget) spillNeeded() bool {
	return m.force || m.limit > 0 && (m.spillable()+m.fixed() > m.limit/2 || m.liveOver(1, 2))
}

// exhausted returns why the search cannot go on within the budget, or "".
func (m *memBudget) exhausted() string {
	if m.limit <= 0 {
		return ""
	}
	if f := m.fixed(); f > m.limit/4*3 {
		return fmt.Sprintf("max-memory %s: the visited set needs %s, which cannot go to disk", FormatBytes(m.limit), FormatBytes(f))
	}
	// The live heap, not the sampled one: under the collector's memory
	// limit the heap fills with garbage up to it before a collection.
	if m.liveOver(17, 20) {
		return fmt.Sprintf("max-memory %s: the search's live heap reached %s", FormatBytes(m.limit), FormatBytes(int64(m.live.Load()-m.baseHeap)))
	}
	return ""
}

// DefaultMaxMemory is a safe share of this machine's memory for one
// search: three fifths of the smaller of the physical memory and the
// cgroup's limit, or 4 GiB when neither can be read.
func DefaultMaxMemory() int64 {
	total := readMemTotal()
	if cg := readCgroupLimit(); cg > 0 && (total == 0 || cg < total) {
		total = cg
	}
	if total <= 0 {
		return 4 << 30
	}
	return total / 5 * 3
}

func readMemTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func readCgroupLimit() int64 {
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && v > 0 && v < 1<<60 {
			return v
		}
	}
	return 0
}

// ParseBytes reads a size such as 512MiB, 2GiB, 1.5GB or 1048576 (bytes).
// Units: B, KB/KiB, MB/MiB, GB/GiB, TB/TiB (decimal and binary alike:
// K, M, G, T alone mean the binary ones).
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty size")
	}
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("size %q: want a number and a unit, e.g. 512MiB or 2GiB", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
		"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("size %q: unknown unit %q (want B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)", s, t[i:])
	}
	return int64(v * mult), nil
}

// FormatBytes prints a size in binary units: 512 B, 3.2 MiB, 1.5 GiB.
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
