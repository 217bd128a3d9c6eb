package quorum_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/quorum"
)

// Reference: course 5.2, "Quorums": with r + w > n every read quorum meets
// every write quorum, so a read that starts after a write completed sees it.
func TestMajorityQuorumsReadAfterWrite(t *testing.T) {
	t.Parallel()
	_, res := check(t, quorum.DefaultParams(), model.Config{}, 1)
	wantOK(t, res)
	wantPinned(t, res, pinned{3409, 11568, 16})
	_, res2 := check(t, quorum.DefaultParams(), model.Config{}, 2)
	wantOK(t, res2)
	if res2.Stats.States != res.Stats.States {
		t.Errorf("2 workers found %d states, 1 worker %d", res2.Stats.States, res.Stats.States)
	}
}

// Faults the quorum register is built for (course 1: fair-loss links,
// crash-recovery, fewer than a quorum of crashes) do not break it.
func TestMajorityQuorumsSurviveFaults(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		cfg  model.Config
		want pinned
	}{
		{"drop", model.Config{Drops: 1}, pinned{10264, 44024, 16}},
		{"crash-recover", model.Config{Crashes: 1, CrashMode: model.CrashRecover}, pinned{53287, 215319, 18}},
		{"crash-stop", model.Config{Crashes: 1, CrashMode: model.CrashStop}, pinned{31022, 117480, 17}},
		// At most one message is ever in flight on a link, so FIFO
		// links change nothing: the same figures as unordered.
		{"fifo", model.Config{Network: model.FIFO}, pinned{3409, 11568, 16}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, workers := range []int{1, 2} {
				_, res := check(t, quorum.DefaultParams(), c.cfg, workers)
				wantOK(t, res)
				wantPinned(t, res, c.want)
			}
		})
	}
}

// Reference: course 5.2, Cx: r + w ≤ n gives stale reads, with plain
// reordering and under every fault model.
func TestSmallQuorumsReadStale(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p   quorum.Params
		len int // of the shortest counterexample, under every system model
	}{
		{quorum.Params{N: 3, W: 1, R: 2, Writes: 1, Reads: 1}, 8},
		{quorum.Params{N: 3, W: 2, R: 1, Writes: 1, Reads: 1}, 8},
		{quorum.Params{N: 2, W: 1, R: 1, Writes: 1, Reads: 1}, 6},
	} {
		for _, cfg := range []model.Config{{}, {Drops: 1}, {Crashes: 1, CrashMode: model.CrashRecover}} {
			m, res := check(t, c.p, cfg, 2)
			if n := wantViolated(t, m, res, "read-after-write"); n != c.len {
				t.Errorf("%+v under %v: counterexample of %d steps, pinned %d", c.p, cfg, n, c.len)
			}
		}
	}
}

func TestMutantsAreCaught(t *testing.T) {
	t.Parallel()
	setting := map[string]struct {
		p   quorum.Params
		cfg model.Config
		len int
	}{
		"read-lowest":       {quorum.DefaultParams(), model.Config{}, 10},
		"replica-overwrite": {quorum.Params{N: 3, W: 2, R: 2, Writes: 2, Reads: 1}, model.Config{}, 8},
		"volatile-store":    {quorum.DefaultParams(), model.Config{Crashes: 1, CrashMode: model.CrashRecover}, 3},
		"local-counters":    {mwABD, model.Config{}, 15},
	}
	for _, mu := range quorum.Mutants {
		t.Run(mu.Name, func(t *testing.T) {
			s, ok := setting[mu.Name]
			if !ok {
				t.Fatalf("no setting for mutant %s", mu.Name)
			}
			s.p.Mutant = mu.Name
			m, res := check(t, s.p, s.cfg, 2)
			if n := wantViolated(t, m, res, mu.Breaks); n != s.len {
				t.Errorf("counterexample of %d steps, pinned %d", n, s.len)
			}
		})
	}
}
