package twophase_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/twophase"
)

// permute renames RM i to p[i] in s, bit by bit (the naive way, on
// purpose: it shares nothing with Canonical).
func permute(sp *twophase.Spec, s state, p []int) state {
	n := sp.RMs()
	var out state
	tm := uint64(sp.TM(s))
	out |= state(tm) << (2 * uint(n))
	for i := range n {
		j := uint(p[i])
		out |= state(sp.RM(s, i)) << (2 * j)
		if sp.TMPrepared(s, i) {
			out |= 1 << (2*uint(n) + 2 + j)
		}
		if sp.MsgPrepared(s, i) {
			out |= 1 << (3*uint(n) + 2 + j)
		}
	}
	if sp.MsgCommit(s) {
		out |= 1 << (4*uint(n) + 2)
	}
	if sp.MsgAbort(s) {
		out |= 1 << (4*uint(n) + 3)
	}
	return out
}

func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for at := 0; at <= len(p); at++ {
			q := append(append(append([]int{}, p[:at]...), n-1), p[at:]...)
			out = append(out, q)
		}
	}
	return out
}

// reachable lists every reachable state of the unreduced spec.
func reachable(sp *twophase.Spec) []state {
	seen := map[state]bool{0: true}
	queue, all := []state{0}, []state{0}
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

// TestSymmetryKeepsOneStatePerOrbit: with symmetry on, the explorer stores
// exactly as many states as there are orbits of reachable states under
// renamings of the RMs, counted by brute force over the full space with
// every permutation; and every verdict is the same as without symmetry.
func TestSymmetryKeepsOneStatePerOrbit(t *testing.T) {
	for rms := 1; rms <= 5; rms++ {
		for _, mutant := range []string{"", "commit-without-prepared"} {
			full, err := twophase.New(rms, mutant)
			if err != nil {
				t.Fatal(err)
			}
			orbits := map[state]bool{}
			perms := permutations(rms)
			for _, s := range reachable(full) {
				least := s
				for _, p := range perms {
					least = min(least, permute(full, s, p))
				}
				orbits[least] = true
			}
			sym := full.Symmetric()
			res, err := explore.Check[state, action](sym, properties(sym), explore.Options{KeepGoing: true})
			if err != nil {
				t.Fatal(err)
			}
			base, err := explore.Check[state, action](full, properties(full), explore.Options{KeepGoing: true})
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%d RMs %q", rms, mutant)
			if res.Stats.States != int64(len(orbits)) && res.Status == explore.OK {
				t.Errorf("%s: %d states with symmetry, %d orbits", name, res.Stats.States, len(orbits))
			}
			if mutant == "" && res.Stats.States != int64(len(orbits)) {
				t.Errorf("%s: %d states with symmetry, %d orbits", name, res.Stats.States, len(orbits))
			}
			if res.Status != base.Status || len(res.Violations) != len(base.Violations) {
				t.Errorf("%s: %v with symmetry, %v without", name, res.Status, base.Status)
			}
			for i := range base.Violations {
				a, b := base.Violations[i], res.Violations[i]
				if a.Property != b.Property || a.Path.Len() != b.Path.Len() {
					t.Errorf("%s: %s in %d steps without symmetry, %s in %d with", name, a.Property, a.Path.Len(), b.Property, b.Path.Len())
				}
				// The reduced counterexample is a real execution of the
				// unreduced system: it replays there to the violation.
				p, err := explore.Replay[state, action](full, b.Path.Chain())
				if err != nil || full.Consistent(p.Last()) == nil {
					t.Errorf("%s: the counterexample does not replay on the unreduced spec: %v", name, err)
				}
			}
			for i := range base.Sometimes {
				if base.Sometimes[i].Reached != res.Sometimes[i].Reached || base.Sometimes[i].Path.Len() != res.Sometimes[i].Path.Len() {
					t.Errorf("%s: %s differs with symmetry", name, base.Sometimes[i].Property)
				}
			}
		}
	}
}

// Orbits of larger systems, pinned (the count for n RMs without symmetry
// is in TestStateCountsEqualTheTLAPlusSpec).
func TestSymmetryReachesFifteenRMs(t *testing.T) {
	want := map[int][2]int64{3: {80, 318}, 9: {2_232, 26_316}, 15: {16_336, 323_378}}
	for rms, w := range want {
		sp, err := twophase.New(rms, "")
		if err != nil {
			t.Fatal(err)
		}
		sym := sp.Symmetric()
		res, err := explore.Check[state, action](sym, properties(sym), explore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != explore.OK || res.Stats.States != w[0] || res.Stats.Transitions != w[1] {
			t.Errorf("%d RMs: %v, %d states, %d transitions; pinned ok %d %d", rms, res.Status, res.Stats.States, res.Stats.Transitions, w[0], w[1])
		}
		t.Logf("%d RMs: %d states, %d transitions, depth %d, %v", rms, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed)
	}
}
