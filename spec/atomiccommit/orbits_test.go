package atomiccommit_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/atomiccommit"
)

// The participants' symmetry is exact: one world stored per orbit of the
// full space, the orbits counted by brute force, and the same verdicts.
func TestSymmetryKeepsExactlyOneWorldPerOrbit(t *testing.T) {
	for _, c := range []struct {
		p              atomiccommit.Params
		cfg            model.Config
		worlds, orbits int
	}{
		{atomiccommit.Params{Queries: 1, Participants: 2}, model.Config{}, 1034, 536},
		{atomiccommit.Params{Queries: 1, Participants: 2, Mutant: atomiccommit.MutDecideOnTimeout}, model.Config{}, 309, 166},
	} {
		proto, err := atomiccommit.New(c.p)
		if err != nil {
			t.Fatal(err)
		}
		worlds, orbits := modeltest.WantSymmetryExact(t, proto, c.cfg, proto.Workload(), atomiccommit.Properties())
		if worlds != c.worlds || orbits != c.orbits {
			t.Errorf("%+v: %d worlds, %d orbits; pinned %d, %d", c.p, worlds, orbits, c.worlds, c.orbits)
		}
	}
}
