//go:build long

package kv_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
)

// TestScenariosAtTheDefaultBounds pins the exhausted spaces of the
// scenarios at the default bounds (three nodes, one candidate up to term
// 1, one heartbeat per term, per-link FIFO), and that every "sometimes"
// property is reached in them (seconds each).
func TestScenariosAtTheDefaultBounds(t *testing.T) {
	for _, c := range []struct {
		scenario string
		states   int64
		depth    int
	}{
		{"basic", 418_675, 25},
		{"retry", 379_430, 25},
	} {
		m, res := check(t, scenario(c.scenario, ""), fifo)
		modeltest.WantVerdict(t, m, res, nil)
		if res.Stats.States != c.states || res.Stats.MaxDepth != c.depth {
			t.Errorf("%s: %d states depth %d, want %d depth %d", c.scenario, res.Stats.States, res.Stats.MaxDepth, c.states, c.depth)
		}
	}
}

// TestBasicSurvivesACrash: the basic scenario stays linearizable and
// exactly-once with one crash and recovery of any node (about 70 s and
// 10 GiB on two cores: `go test -tags long ./spec/kv`).
func TestBasicSurvivesACrash(t *testing.T) {
	m, res := check(t, scenario("basic", ""), model.Config{Network: model.FIFO, Crashes: 1, CrashMode: model.CrashRecover})
	modeltest.WantVerdict(t, m, res, nil)
	if res.Stats.States != 5_794_086 {
		t.Errorf("%d states, want 5,794,086", res.Stats.States)
	}
}

// TestSnapshotsSurviveACrash: the basic scenario with a snapshot after
// every entry, one heartbeat and one crash with recovery of any of three
// nodes stays linearizable and exactly-once, and a follower installs a
// snapshot (about 6 minutes on two cores).
func TestSnapshotsSurviveACrash(t *testing.T) {
	p := scenario("basic", "")
	p.Raft.SnapshotEvery = 1
	m, res := check(t, p, model.Config{Network: model.FIFO, Crashes: 1, CrashMode: model.CrashRecover}, installedSnapshot)
	modeltest.WantVerdict(t, m, res, nil)
	if res.Stats.States != 7_314_820 {
		t.Errorf("%d states, want 7,314,820", res.Stats.States)
	}
}
