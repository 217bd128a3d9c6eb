package paxosnode_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/paxosnode"
)

// The acceptors' symmetry is exact: one world stored per orbit of the
// full space, the orbits counted by brute force, and the same verdicts.
func TestSymmetryKeepsExactlyOneWorldPerOrbit(t *testing.T) {
	for _, c := range []struct {
		p              paxosnode.Params
		cfg            model.Config
		worlds, orbits int
	}{
		{paxosnode.Params{Proposers: 1, Acceptors: 3, Tries: 1}, model.Config{}, 224, 56},
	} {
		proto, err := paxosnode.New(c.p)
		if err != nil {
			t.Fatal(err)
		}
		worlds, orbits := modeltest.WantSymmetryExact(t, proto, c.cfg, proto.Workload(), proto.Properties())
		if worlds != c.worlds || orbits != c.orbits {
			t.Errorf("%+v: %d worlds, %d orbits; pinned %d, %d", c.p, worlds, orbits, c.worlds, c.orbits)
		}
	}
}
