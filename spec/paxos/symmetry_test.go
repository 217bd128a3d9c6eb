package paxos_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/paxos"
)

// reachable lists every reachable state of sp, by a plain breadth-first
// walk that shares nothing with the explorer.
func reachable(sp *paxos.Spec) []state {
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

// renamings of three acceptors, written out.
var renamings = [][]uint8{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}

// TestEveryStatePacksAndRenamesBack: on every reachable state of
// MCPaxosTiny, Unpack undoes Pack, a renaming and its inverse give the
// state back, and the properties agree on a state and its renamings.
func TestEveryStatePacksAndRenamesBack(t *testing.T) {
	sp := newSpec(t, 3, 2, 1, "")
	for _, s := range reachable(sp) {
		if got := sp.Unpack(sp.Pack(nil, s)); got != s {
			t.Fatalf("pack round trip: %s", sp.Describe(s))
		}
		for _, p := range renamings {
			inv := make([]uint8, 3)
			for i, j := range p {
				inv[j] = uint8(i)
			}
			r := sp.Rename(s, p)
			if back := sp.Rename(r, inv); back != s {
				t.Fatalf("rename %v and back: %s became %s", p, sp.Describe(s), sp.Describe(back))
			}
			if (sp.Agreement(r) == nil) != (sp.Agreement(s) == nil) || (sp.Inv(r) == nil) != (sp.Inv(s) == nil) || sp.Chosen(r) != sp.Chosen(s) {
				t.Fatalf("a property differs under renaming %v of %s", p, sp.Describe(s))
			}
		}
	}
}

// TestSymmetryKeepsOneStatePerOrbit: with symmetry on, the explorer stores
// exactly as many states as there are orbits of reachable states under
// renamings of the acceptors, counted by brute force; and verdicts and
// counterexample lengths are the same as without symmetry, the reduced
// counterexample replaying on the unreduced system.
func TestSymmetryKeepsOneStatePerOrbit(t *testing.T) {
	for _, c := range []struct {
		maxBallot int
		mutant    string
		orbits    int64
	}{{1, "", 857}, {1, paxos.MutAnyValue, 0}, {1, paxos.MutMinorityQuorum, 0}} {
		full := newSpec(t, 3, 2, c.maxBallot, c.mutant)
		if c.mutant == "" {
			orbits := map[state]bool{}
			for _, s := range reachable(full) {
				least := s
				for _, p := range renamings {
					r := full.Rename(s, p)
					if lessState(r, least) {
						least = r
					}
				}
				orbits[least] = true
			}
			if int64(len(orbits)) != c.orbits {
				t.Errorf("%d orbits, pinned %d", len(orbits), c.orbits)
			}
		}
		sym := full.Symmetric()
		res := check(t, sym, explore.Options{Workers: 1, KeepGoing: true})
		base := check(t, full, explore.Options{Workers: 1, KeepGoing: true})
		if c.mutant == "" && (res.Status != explore.OK || res.Stats.States != c.orbits) {
			t.Errorf("symmetry: %v, %d states; want ok, %d orbits", res.Status, res.Stats.States, c.orbits)
		}
		if res.Status != base.Status || len(res.Violations) != len(base.Violations) {
			t.Fatalf("%q: %v with symmetry, %v without", c.mutant, res.Status, base.Status)
		}
		for i, v := range res.Violations {
			if v.Property != base.Violations[i].Property || v.Path.Len() != base.Violations[i].Path.Len() {
				t.Errorf("%q: %s in %d steps with symmetry, %s in %d without", c.mutant, v.Property, v.Path.Len(), base.Violations[i].Property, base.Violations[i].Path.Len())
			}
			p, err := explore.Replay[state, action](full, v.Path.Chain())
			if err != nil || full.Agreement(p.Last()) == nil && full.Inv(p.Last()) == nil {
				t.Errorf("%q: the reduced counterexample does not replay to a violation: %v", c.mutant, err)
			}
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

// Orbits of MCPaxosSmall, pinned (185,369 states without symmetry).
func TestSymmetrySmall(t *testing.T) {
	sp := newSpec(t, 3, 2, 2, "")
	res := check(t, sp.Symmetric(), explore.Options{Workers: 2})
	if res.Status != explore.OK || res.Stats.States != 34_113 || res.Stats.Transitions != 252_116 {
		t.Errorf("%v, %d states, %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
	}
}

// renamedText renames the acceptors of s by p the naive way, on its
// description: each acceptor's variables move to its new name, and every
// message's "aN" is rewritten; the messages are returned as a set.
func renamedText(sp *paxos.Spec, s state, p []uint8) (acc []string, msgs map[string]bool) {
	acc = make([]string, sp.Acceptors())
	for a := range sp.Acceptors() {
		acc[p[a]] = sp.DescribeAcceptor(s, a)
	}
	return acc, messageSet(sp.Describe(s), func(m string) string {
		for a := range sp.Acceptors() {
			m = strings.ReplaceAll(m, fmt.Sprintf("(a%d,", a+1), fmt.Sprintf("(A%d,", p[a]+1))
		}
		return strings.ReplaceAll(m, "(A", "(a")
	})
}

func messageSet(desc string, f func(string) string) map[string]bool {
	out := map[string]bool{}
	body := desc[strings.Index(desc, "msgs={")+len("msgs={") : len(desc)-1]
	for _, m := range strings.Split(body, "), ") {
		if m != "" {
			out[f(strings.TrimSuffix(m, ")")+")")] = true
		}
	}
	return out
}

// TestRenameAgreesWithRenamingTheText: Rename, which Canonical uses, does
// what renaming the acceptors' names in the state's description does, on
// every reachable state of MCPaxosTiny and every renaming.
func TestRenameAgreesWithRenamingTheText(t *testing.T) {
	sp := newSpec(t, 3, 2, 1, "")
	for _, s := range reachable(sp) {
		for _, p := range renamings {
			wantAcc, wantMsgs := renamedText(sp, s, p)
			r := sp.Rename(s, p)
			for a := range 3 {
				if got := sp.DescribeAcceptor(r, a); got != wantAcc[a] {
					t.Fatalf("rename %v of %s: a%d is %s, want %s", p, sp.Describe(s), a+1, got, wantAcc[a])
				}
			}
			if got := messageSet(sp.Describe(r), func(m string) string { return m }); !maps.Equal(got, wantMsgs) {
				t.Fatalf("rename %v of %s: msgs %v, want %v", p, sp.Describe(s), got, wantMsgs)
			}
		}
	}
}
