package explore

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// lattice is a test system in package explore: a point in [0,k]³ that moves
// one step along an axis, so that most states are reached by several
// shortest paths, as a Packer (three bytes a state).
type lattice struct{ k int }

type cell [3]uint8

func (l lattice) Init() []cell { return []cell{{}} }

func (l lattice) Next(c cell, yield func(int, cell, bool)) {
	for a := range 3 {
		if int(c[a]) < l.k {
			d := c
			d[a]++
			yield(a, d, false)
		}
	}
}

func (l lattice) Fingerprint(c cell) uint64 {
	return uint64(c[0]) | uint64(c[1])<<8 | uint64(c[2])<<16
}

func (l lattice) Label(c cell, a int) string { return fmt.Sprintf("axis %d from %v", a, c) }

func (l lattice) Pack(dst []byte, c cell) []byte { return append(dst, c[:]...) }

func (l lattice) Unpack(b []byte) cell { return cell{b[0], b[1], b[2]} }

var _ Packer[cell] = lattice{}

// unpacked hides lattice's Packer: its frontier holds Go values.
type unpacked struct{ lattice }

func (u unpacked) Pack() {}

func forbidCell(c cell) Property[cell, int] {
	return Invariant[cell, int](fmt.Sprint("not ", c), func(d cell) error {
		if d == c {
			return fmt.Errorf("reached %v", c)
		}
		return nil
	})
}

func reach(c cell) Property[cell, int] {
	return Reachable[cell, int](fmt.Sprint("reach ", c), func(d cell) bool { return d == c })
}

// TestSpillingGivesTheSameSearch spills every frontier block and parent
// link to disk and requires the very same counts, counterexample and
// witness as the search in memory, with and without a Packer and for any
// number of workers; and the spill directory is gone at the end.
func TestSpillingGivesTheSameSearch(t *testing.T) {
	for _, keepGoing := range []bool{true, false} {
		for _, live := range []bool{true, false} {
			t.Run(fmt.Sprint("keep-going=", keepGoing, "/unviolated-property=", live), func(t *testing.T) { testSameSearch(t, keepGoing, live) })
		}
	}
}

// testSameSearch: with an unviolated property (live) a KeepGoing search
// runs to the end; without one it halts once every property is violated.
func testSameSearch(t *testing.T, keepGoing, live bool) {
	const k = 24
	noSkip := TransitionInvariant[cell, int]("no-double-step", func(from cell, a int, to cell) error {
		if to[0]+to[1]+to[2] != from[0]+from[1]+from[2]+1 {
			return fmt.Errorf("skipped")
		}
		return nil
	})
	props := []Property[cell, int]{forbidCell(cell{20, 13, 17}), reach(cell{9, 9, 9}), forbidCell(cell{3, 21, 19})}
	if live {
		props = append(props, noSkip)
	}
	base, err := Check[cell, int](lattice{k}, props, Options{Workers: 1, KeepGoing: keepGoing})
	if err != nil {
		t.Fatal(err)
	}
	if base.Status != Violated || base.Violation.Path.Len() != 43 {
		t.Fatalf("baseline: %v, %+v", base.Status, base.Violation)
	}
	want := base.Violation.Path.Chain()
	wantW := base.Sometimes[0].Path.Chain()
	dir := t.TempDir()
	for _, workers := range []int{1, 2, 3, 8} {
		for _, spill := range []bool{false, true} {
			for _, packed := range []bool{true, false} {
				var sys System[cell, int] = lattice{k}
				if !packed {
					sys = unpacked{lattice{k}}
				}
				res, err := Check(sys, props, Options{Workers: workers, KeepGoing: keepGoing, forceSpill: spill, WorkDir: dir})
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("workers %d spill %v packed %v", workers, spill, packed)
				if res.Status != Violated || res.Stats.States != base.Stats.States || res.Stats.Transitions != base.Stats.Transitions {
					t.Errorf("%s: %v, %d states %d transitions; want violated %d %d", name, res.Status, res.Stats.States, res.Stats.Transitions, base.Stats.States, base.Stats.Transitions)
				}
				if got := res.Violation.Path.Chain(); !slices.Equal(got, want) {
					t.Errorf("%s: counterexample %v, want %v", name, got, want)
				}
				if got := res.Sometimes[0].Path.Chain(); !res.Sometimes[0].Reached || !slices.Equal(got, wantW) {
					t.Errorf("%s: witness %v, want %v", name, got, wantW)
				}
				if spill && packed && res.Stats.PeakDisk == 0 {
					t.Errorf("%s: nothing was spilled", name)
				}
			}
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 0 {
		t.Errorf("spill files left behind: %v", left)
	}
}

// TestBadWorkDirIsIncomplete: a search that must spill but cannot write
// ends Incomplete, naming the error, never OK.
func TestBadWorkDirIsIncomplete(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Check[cell, int](lattice{12}, nil, Options{Workers: 2, forceSpill: true, WorkDir: file})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Incomplete || res.Stopped == "" {
		t.Fatalf("%v %q, want incomplete naming the spill error", res.Status, res.Stopped)
	}
}
