package model_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/quorum"
)

// TestSymmetryStoresOneWorldPerOrbit: on small quorum configurations the
// symmetric model stores exactly as many worlds as there are orbits of the
// full space, counted by brute force, and every verdict is the same.
func TestSymmetryStoresOneWorldPerOrbit(t *testing.T) {
	cases := []struct {
		p   quorum.Params
		cfg model.Config
	}{
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 1, Readers: 1}, model.Config{}},
		{quorum.Params{N: 3, W: 1, R: 2, Writes: 1, Reads: 1, Readers: 1}, model.Config{}},
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 0, Readers: 1}, model.Config{Crashes: 1, CrashMode: model.CrashRecover, Network: model.FIFO}},
		// Write-back: a reader's acknowledgements (Got) name replicas too.
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 1, Readers: 1, WriteBack: true}, model.Config{}},
		{quorum.Params{N: 2, W: 2, R: 1, Writes: 1, Reads: 2, Readers: 1, WriteBack: true}, model.Config{}},
	}
	for _, c := range cases {
		proto, err := quorum.New(c.p)
		if err != nil {
			t.Fatal(err)
		}
		worlds, orbits := modeltest.WantSymmetryExact(t, proto, c.cfg, proto.Workload(), proto.Checked())
		t.Logf("%+v %v: %d worlds, %d orbits", c.p, c.cfg, worlds, orbits)
	}
}

// TestSymmetryIsRefusedWhereItIsUnsound: mid-step crashes and byzantine
// nodes break the symmetry of the transition relation.
func TestSymmetryIsRefusedWhereItIsUnsound(t *testing.T) {
	proto, err := quorum.New(quorum.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []model.Config{
		{Symmetry: true, Crashes: 1, CrashMidStep: true},
	} {
		if _, err := model.New(proto, cfg, proto.Workload(), quorum.Properties()); err == nil {
			t.Errorf("%v: accepted", cfg)
		}
	}
	if _, err := model.New(ping{n: 2}, model.Config{Symmetry: true}, pingWork(), nil); err == nil {
		t.Errorf("a protocol without spec.Symmetric: accepted")
	}
}
