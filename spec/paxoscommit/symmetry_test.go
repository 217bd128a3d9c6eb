package paxoscommit_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/paxoscommit"
)

// reachable lists every reachable state of sp, by a plain breadth-first
// walk that shares nothing with the explorer.
func reachable(sp *paxoscommit.Spec) []state {
	init := sp.Init()[0]
	seen := map[state]bool{init: true}
	queue, all := []state{init}, []state{init}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		sp.Next(s, func(_ action, t state, _ bool) {
			if !seen[t] {
				seen[t] = true
				queue = append(queue, t)
				all = append(all, t)
			}
		})
	}
	return all
}

func perms(n int) [][]uint8 {
	if n == 1 {
		return [][]uint8{{0}}
	}
	var out [][]uint8
	for _, p := range perms(n - 1) {
		for at := 0; at <= len(p); at++ {
			out = append(out, append(append(append([]uint8{}, p[:at]...), uint8(n-1)), p[at:]...))
		}
	}
	return out
}

// renamedMessages renames msgs the naive way, on their text.
func renamedMessages(sp *paxoscommit.Spec, s state, pr, pa []uint8) map[string]bool {
	out := map[string]bool{}
	for _, m := range sp.Messages(s) {
		for r := range sp.RMs() {
			m = strings.ReplaceAll(m, fmt.Sprintf("(r%d,", r+1), fmt.Sprintf("(R%d,", pr[r]+1))
		}
		for a := range sp.Acceptors() {
			m = strings.ReplaceAll(m, fmt.Sprintf(" a%d,", a+1), fmt.Sprintf(" A%d,", pa[a]+1))
		}
		out[strings.NewReplacer("(R", "(r", " A", " a").Replace(m)] = true
	}
	return out
}

func set(ms []string) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		out[m] = true
	}
	return out
}

// TestRenameAgreesWithRenamingTheText: Rename (which Canonical uses, and
// which decodes each message bit) does what renaming the names in the
// state's text does, on every reachable state of small configurations and
// every pair of renamings; and the properties agree on a state and its
// renamings.
func TestRenameAgreesWithRenamingTheText(t *testing.T) {
	for _, c := range [][3]int{{2, 3, 0}, {2, 1, 1}, {1, 3, 1}} {
		sp := newSpec(t, c[0], c[1], c[2], "")
		for _, s := range reachable(sp) {
			for _, pr := range perms(c[0]) {
				for _, pa := range perms(c[1]) {
					r := sp.Rename(s, pr, pa)
					for rm := range c[0] {
						if sp.RM(r, int(pr[rm])) != sp.RM(s, rm) {
							t.Fatalf("%v: rename %v %v of %s: r%d's state", c, pr, pa, sp.Describe(s), rm+1)
						}
						for a := range c[1] {
							m1, b1, v1 := sp.AState(s, rm, a)
							m2, b2, v2 := sp.AState(r, int(pr[rm]), int(pa[a]))
							if m1 != m2 || b1 != b2 || v1 != v2 {
								t.Fatalf("%v: rename %v %v of %s: aState[r%d][a%d]", c, pr, pa, sp.Describe(s), rm+1, a+1)
							}
						}
					}
					if got, want := set(sp.Messages(r)), renamedMessages(sp, s, pr, pa); !maps.Equal(got, want) {
						t.Fatalf("%v: rename %v %v of %s: msgs %v, want %v", c, pr, pa, sp.Describe(s), got, want)
					}
					if (sp.Consistent(r) == nil) != (sp.Consistent(s) == nil) || sp.AllCommitted(r) != sp.AllCommitted(s) || sp.AllAborted(r) != sp.AllAborted(s) {
						t.Fatalf("%v: a property differs under renaming of %s", c, sp.Describe(s))
					}
					if sp.Unpack(sp.Pack(nil, r)) != r {
						t.Fatalf("%v: pack round trip of %s", c, sp.Describe(r))
					}
				}
			}
		}
	}
}

// TestSymmetryKeepsOneStatePerOrbit: with symmetry on, the explorer stores
// exactly as many states as there are orbits of reachable states under
// renamings of the RMs and the acceptors, counted by brute force; a
// mutant's verdict and counterexample length are the same as without, and
// the reduced counterexample replays on the unreduced system.
func TestSymmetryKeepsOneStatePerOrbit(t *testing.T) {
	for _, c := range []struct {
		rms, acceptors, maxBallot int
		orbits                    int64
	}{{2, 3, 0, 101}, {2, 2, 1, 3_121}, {1, 3, 1, 376}} {
		full := newSpec(t, c.rms, c.acceptors, c.maxBallot, "")
		orbits := map[state]bool{}
		for _, s := range reachable(full) {
			least := s
			for _, pr := range perms(c.rms) {
				for _, pa := range perms(c.acceptors) {
					if r := full.Rename(s, pr, pa); lessState(r, least) {
						least = r
					}
				}
			}
			orbits[least] = true
		}
		res := check(t, full.Symmetric(), explore.Options{Workers: 1})
		if res.Status != explore.OK || res.Stats.States != int64(len(orbits)) || res.Stats.States != c.orbits {
			t.Errorf("%+v: %v, %d states with symmetry, %d orbits", c, res.Status, res.Stats.States, len(orbits))
		}
	}
	for _, m := range []string{paxoscommit.MutFreePrepared, paxoscommit.MutMinorityMajority} {
		full := newSpec(t, 2, 3, 1, m)
		base := check(t, full, explore.Options{Workers: 1})
		res := check(t, full.Symmetric(), explore.Options{Workers: 1})
		if res.Status != explore.Violated || res.Violation.Property != base.Violation.Property || res.Violation.Path.Len() != base.Violation.Path.Len() {
			t.Errorf("%s: %v %+v with symmetry, %v %+v without", m, res.Status, res.Violation, base.Status, base.Violation)
			continue
		}
		p, err := explore.Replay[state, action](full, res.Violation.Path.Chain())
		if err != nil || full.Consistent(p.Last()) == nil {
			t.Errorf("%s: the reduced counterexample does not replay to the violation: %v", m, err)
		}
	}
}

func lessState(a, b state) bool {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// PaxosCommit.cfg's orbits (1,321,761 states without symmetry).
func TestSymmetryOnPaxosCommitCfg(t *testing.T) {
	if !long {
		t.Skip("seconds: with -tags long")
	}
	res := check(t, newSpec(t, 2, 3, 1, "").Symmetric(), explore.Options{Workers: 2})
	if res.Status != explore.OK || res.Stats.States != 119_992 || res.Stats.Transitions != 1_545_109 {
		t.Errorf("%v, %d states, %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
	}
}

// TestCanonicalIsOneMemberOfTheOrbit: Canonical gives every renaming of a
// state the same state, and that state is a renaming of it, on every
// reachable state of small configurations.
func TestCanonicalIsOneMemberOfTheOrbit(t *testing.T) {
	for _, c := range [][3]int{{2, 3, 0}, {2, 2, 1}, {1, 3, 1}} {
		sp := newSpec(t, c[0], c[1], c[2], "")
		for _, s := range reachable(sp) {
			want := sp.Canonical(s)
			member := false
			for _, pr := range perms(c[0]) {
				for _, pa := range perms(c[1]) {
					r := sp.Rename(s, pr, pa)
					member = member || r == want
					if got := sp.Canonical(r); got != want {
						t.Fatalf("%v: Canonical of %s renamed %v %v is %s, not %s", c, sp.Describe(s), pr, pa, sp.Describe(got), sp.Describe(want))
					}
				}
			}
			if !member {
				t.Fatalf("%v: Canonical of %s is %s, outside its orbit", c, sp.Describe(s), sp.Describe(want))
			}
		}
	}
}
