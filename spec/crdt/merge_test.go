package crdt_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/spec/crdt"
)

// domain enumerates the bounded domain of values of type t: for the LWW
// map every assignment of two keys to nothing or one of six unique
// timestamps (counters 1..2, nodes 0..2; the value a set writes is named
// by its timestamp, so one timestamp never carries two values); for the
// G-Counter every count 0..2 of three nodes; for the PN-Counter every
// count 0..2 of increments and of decrements of two nodes.
func domain(t crdt.Type) []crdt.Value {
	var out []crdt.Value
	switch t {
	case crdt.LWWMap:
		stamps := []crdt.Stamp{{}}
		for c := uint8(1); c <= 2; c++ {
			for n := range uint8(3) {
				stamps = append(stamps, crdt.Stamp{C: c, Node: n})
			}
		}
		for _, x := range stamps {
			for _, y := range stamps {
				out = append(out, crdt.Value{Map: [crdt.MaxKeys]crdt.Stamp{x, y}})
			}
		}
	case crdt.GCounter:
		for i := range 27 {
			out = append(out, crdt.Value{P: [crdt.MaxNodes]uint8{uint8(i % 3), uint8(i / 3 % 3), uint8(i / 9)}})
		}
	case crdt.PNCounter:
		for i := range 81 {
			out = append(out, crdt.Value{P: [crdt.MaxNodes]uint8{uint8(i % 3), uint8(i / 3 % 3)}, N: [crdt.MaxNodes]uint8{uint8(i / 9 % 3), uint8(i / 27)}})
		}
	case crdt.ORSet:
		// Element x over four tags, each absent, added, or added and
		// tombstoned (a tombstone is always of a tag added).
		for i := range 81 {
			var v crdt.Value
			for t, c := 0, i; t < 4; t, c = t+1, c/3 {
				switch c % 3 {
				case 1:
					v.Tags[0] |= 1 << t
				case 2:
					v.Tags[0] |= 1 << t
					v.Tombs[0] |= 1 << t
				}
			}
			out = append(out, v)
		}
	}
	return out
}

// laws checks ⊔ on every pair and triple of the domain and returns the
// first failure of each law ("" when it holds) and the triples tried.
func laws(t *testing.T, ty crdt.Type, mutant string) (comm, assoc, idem string, triples int) {
	t.Helper()
	p := crdt.DefaultParams()
	p.Type, p.Nodes, p.Mutant = ty, 3, mutant
	pr, err := crdt.New(p)
	if err != nil {
		t.Fatal(err)
	}
	d := domain(ty)
	f := pr.FormatValue
	for _, a := range d {
		if got := pr.Merge(a, a); got != a && idem == "" {
			idem = fmt.Sprintf("%s ⊔ itself = %s", f(a), f(got))
		}
		for _, b := range d {
			ab, ba := pr.Merge(a, b), pr.Merge(b, a)
			if ab != ba && comm == "" {
				comm = fmt.Sprintf("%s ⊔ %s = %s, but the other way %s", f(a), f(b), f(ab), f(ba))
			}
			for _, c := range d {
				triples++
				l, r := pr.Merge(ab, c), pr.Merge(a, pr.Merge(b, c))
				if l != r && assoc == "" {
					assoc = fmt.Sprintf("(%s ⊔ %s) ⊔ %s = %s, but %s ⊔ (%s ⊔ %s) = %s", f(a), f(b), f(c), f(l), f(a), f(b), f(c), f(r))
				}
			}
		}
	}
	return comm, assoc, idem, triples
}

// ⊔ is commutative, associative and idempotent (course 8.1), shown
// exhaustively over a bounded domain of each type: 49 maps, 27 G-Counters,
// 81 PN-Counters, 81 OR-sets, every pair and every triple.
func TestMergeIsCommutativeAssociativeIdempotent(t *testing.T) {
	for _, c := range []struct {
		ty      crdt.Type
		triples int
	}{
		{crdt.LWWMap, 49 * 49 * 49},
		{crdt.GCounter, 27 * 27 * 27},
		{crdt.PNCounter, 81 * 81 * 81},
		{crdt.ORSet, 81 * 81 * 81},
	} {
		comm, assoc, idem, n := laws(t, c.ty, "")
		if comm != "" || assoc != "" || idem != "" || n != c.triples {
			t.Errorf("%s: %d triples (want %d); commutative: %q, associative: %q, idempotent: %q", c.ty, n, c.triples, comm, assoc, idem)
		}
	}
}

// The mutants' merges fail exactly the law that breaks them: adding
// counts is commutative and associative but not idempotent; a map that
// keeps its own entry on a counter tie is not commutative, nor is an
// OR-set merge that keeps only its own tombstones.
func TestMutantMergesBreakTheirLaw(t *testing.T) {
	for _, ty := range []crdt.Type{crdt.GCounter, crdt.PNCounter} {
		comm, assoc, idem, _ := laws(t, ty, "sum-merge")
		if comm != "" || assoc != "" || idem == "" {
			t.Errorf("%s sum-merge: commutative: %q, associative: %q, idempotent: %q; want only idempotence broken", ty, comm, assoc, idem)
		}
		t.Logf("%s sum-merge: %s", ty, idem)
	}
	comm, _, idem, _ := laws(t, crdt.LWWMap, "merge-no-tiebreak")
	if comm == "" || idem != "" {
		t.Errorf("lwwmap merge-no-tiebreak: commutative: %q, idempotent: %q; want commutativity broken", comm, idem)
	}
	t.Logf("lwwmap merge-no-tiebreak: %s", comm)
	comm, _, idem, _ = laws(t, crdt.ORSet, "keep-own-tombstones")
	if comm == "" || idem != "" {
		t.Errorf("orset keep-own-tombstones: commutative: %q, idempotent: %q; want commutativity broken", comm, idem)
	}
	t.Logf("orset keep-own-tombstones: %s", comm)
}
