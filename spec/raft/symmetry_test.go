package raft_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// Raft's nodes are interchangeable where the candidates and the workload
// allow. On small configurations the search under symmetry stores exactly
// one world per orbit of the full space (counted by brute force) and
// every verdict, violation and depth is the same; a mutant's
// counterexample found under symmetry replays on the full system.
func TestSymmetryKeepsOneWorldPerOrbit(t *testing.T) {
	cases := []struct {
		p              raft.Params
		cfg            model.Config
		worlds, orbits int
		breaks         string
	}{
		// n1 and n2 stand for election and are given no request.
		{raft.Params{N: 3, MaxTerm: 1, Candidates: 3, Requests: 1}, fifo, 5090, 2572, ""},
		// No request: the nodes are interchangeable.
		{raft.Params{N: 3, MaxTerm: 1, Candidates: 3}, unordered, 2551, 445, ""},
		{raft.Params{N: 2, MaxTerm: 2, Candidates: 2}, recovery, 1281, 646, ""},
		// Election safety broken with quorums of one: the same
		// counterexample, at the same depth, with and without symmetry.
		{raft.Params{N: 2, MaxTerm: 1, Candidates: 2, Mutant: "floor-half-quorum"}, fifo, 32, 19, raft.PropElectionSafety},
	}
	for _, c := range cases {
		proto, err := raft.New(c.p)
		if err != nil {
			t.Fatal(err)
		}
		if len(proto.Interchangeable()) == 0 {
			t.Fatalf("%+v: no interchangeable nodes", c.p)
		}
		props := slices.DeleteFunc(raft.PropertiesFor(c.p), func(q spec.Property[raft.State, raft.Msg]) bool {
			return q.Kind == spec.Sometimes // some are unreachable at these bounds; the verdicts compared are safety's
		})
		worlds, orbits := modeltest.WantSymmetryExact(t, proto, c.cfg, proto.Workload(), props)
		t.Logf("%+v %v: %d worlds, %d orbits", c.p, c.cfg, worlds, orbits)
		if c.breaks != "" {
			m, res := check(t, c.p, c.cfg, explore.Options{Workers: 1}, c.breaks)
			modeltest.WantViolated(t, m, res, c.breaks)
		}
		if worlds != c.worlds || orbits != c.orbits {
			t.Errorf("%+v: %d worlds and %d orbits, pinned %d and %d", c.p, worlds, orbits, c.worlds, c.orbits)
		}
	}
}

// At the defaults n0 takes the request, n1 stands for election and n2
// does not: no two nodes are interchangeable.
func TestSymmetryAtTheDefaultsIsNone(t *testing.T) {
	proto, err := raft.New(raft.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if g := proto.Interchangeable(); len(g) != 0 {
		t.Errorf("interchangeable at the defaults: %v", g)
	}
	p := raft.DefaultParams()
	p.N, p.Candidates, p.Requests = 5, 5, 2
	proto, _ = raft.New(p)
	if g := proto.Interchangeable(); len(g) != 1 || !slices.Equal(g[0], []spec.NodeID{2, 3, 4}) {
		t.Errorf("n=5 candidates=5 requests=2: interchangeable %v, want [[2 3 4]]", g)
	}
}
