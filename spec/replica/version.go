package replica

import (
	"fmt"
	"slices"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Version is one write as a store keeps it: which write (hence its value),
// whether it is a tombstone, and its timestamp — a Lamport or physical
// timestamp (LWW, Physical) or a version vector (MV); Naive keeps none.
type Version struct {
	// W identifies the write: WriteID(writer, k) for the writer's k-th
	// write. The value a put stores is the write itself.
	W uint8
	// Tomb marks a remove: the key is absent, and the tombstone remembers
	// when it was removed.
	Tomb bool
	// TS is the timestamp (LWW, Physical); ties go to the higher writer.
	TS uint8
	// VC is the version vector (MV).
	VC [MaxNodes]uint8
}

// WriteID numbers writer's k-th write (k from 1): 1, 2 for node 0, 3, 4
// for node 1, and so on.
func WriteID(writer spec.NodeID, k int) uint8 { return uint8(int(writer)*MaxWrites + k) }

// Writer is the replica that made write w.
func Writer(w uint8) spec.NodeID { return spec.NodeID((int(w) - 1) / MaxWrites) }

// WriteName names write w as w<writer>.<k>: w0.1, w1.2.
func WriteName(w uint8) string {
	return fmt.Sprintf("w%d.%d", Writer(w), (int(w)-1)%MaxWrites+1)
}

// newer reports whether a wins over b under last-writer-wins: a greater
// timestamp, or an equal one from a higher writer.
func newer(a, b Version) bool {
	if a.TS != b.TS {
		return a.TS > b.TS
	}
	return Writer(a.W) > Writer(b.W)
}

// dominated reports whether a's version vector is strictly below b's: b
// was written knowing a.
func dominated(a, b Version) bool {
	if a.VC == b.VC {
		return false
	}
	for i := range a.VC {
		if a.VC[i] > b.VC[i] {
			return false
		}
	}
	return true
}

// older reports whether a replica that replaces a by b goes back in time:
// b has an older timestamp, or a version vector that a dominates. Naive
// versions carry no timestamp, so nothing is older.
func older(b, a Version) bool {
	switch {
	case a.TS != 0 || b.TS != 0:
		return newer(a, b)
	case a.VC != [MaxNodes]uint8{} || b.VC != [MaxNodes]uint8{}:
		return !dominated(a, b)
	}
	return false
}

// Versions returns the store of s, in canonical order (a copy).
func (s State) Versions() []Version { return slices.Clone(s.Sibs[:s.NSibs]) }

// Holds reports whether s holds write w.
func (s State) Holds(w uint8) bool {
	return slices.ContainsFunc(s.Sibs[:s.NSibs], func(v Version) bool { return v.W == w })
}

// setVersions makes vs the store of s, sorted by write.
func (s State) setVersions(vs []Version) State {
	vs = slices.Clone(vs)
	slices.SortFunc(vs, func(a, b Version) int { return int(a.W) - int(b.W) })
	s.Sibs, s.NSibs = [maxSibs]Version{}, uint8(len(vs))
	copy(s.Sibs[:], vs)
	return s
}

// keepNewer is the last-writer-wins merge: s keeps v if v is newer than
// what it holds (any v, under the accept-older mutant).
func (p *Protocol) keepNewer(s State, v Version) State {
	if s.NSibs == 0 || newer(v, s.Sibs[0]) || p.mutant == acceptOlder && v != s.Sibs[0] {
		return s.setVersions([]Version{v})
	}
	return s
}

// keepMaximal is the multi-value merge: the union of both stores, without
// the versions another one dominates (kept, under mv-keep-all).
func (p *Protocol) keepMaximal(s State, in []Version) State {
	all := s.Versions()
	for _, v := range in {
		if !s.Holds(v.W) {
			all = append(all, v)
		}
	}
	if p.mutant != mvKeepAll {
		all = slices.DeleteFunc(all, func(v Version) bool {
			return slices.ContainsFunc(all, func(u Version) bool { return dominated(v, u) })
		})
	}
	return s.setVersions(all)
}

// String renders v: w0.1 (naive), w0.1@2 or ✝w1.1@3 (timestamps),
// w0.1⟨1,0,0⟩ (version vector).
func (v Version) String() string { return v.format(MaxNodes) }

// format renders v with the first n entries of its version vector.
func (v Version) format(n int) string {
	var b strings.Builder
	if v.Tomb {
		b.WriteString("✝")
	}
	b.WriteString(WriteName(v.W))
	switch {
	case v.TS != 0:
		fmt.Fprintf(&b, "@%d", v.TS)
	case v.VC != [MaxNodes]uint8{}:
		b.WriteString("⟨")
		for i, c := range v.VC[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, c)
		}
		b.WriteString("⟩")
	}
	return b.String()
}

// formatVersions renders a store of n replicas as {w0.1@1} or {}.
func formatVersions(vs []Version, n int) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.format(n)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// appendVersion appends v's canonical encoding.
func appendVersion(b []byte, v Version) []byte {
	b = append(b, v.W, v.TS)
	b = spec.AppendBool(b, v.Tomb)
	return append(b, v.VC[:]...)
}
