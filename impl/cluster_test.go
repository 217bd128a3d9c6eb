package impl_test

import (
	"errors"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

func TestCallsAreAnsweredAndReplay(t *testing.T) {
	t.Parallel()
	c := startEcho(t, 3, impl.Config[echoState, echoMsg]{Seed: 7})
	ctx := ctxFor(t, 5*time.Second)
	total := 0
	for k := 1; k <= 20; k++ {
		node := spec.NodeID(k % 3)
		r, err := c.Client(0).Call(ctx, node, echoMsg{Kind: "add", Delta: k, Node: node})
		if err != nil {
			t.Fatal(err)
		}
		total += k
		if r.Total != total {
			t.Fatalf("call %d: total %d, want %d", k, r.Total, total)
		}
	}
	if !c.Settle(ctx) {
		t.Fatal("cluster did not settle")
	}
	run := stop(t, c)
	if !run.Quiescent || len(run.Ops) != 20 || run.Stats.Requests != 20 {
		t.Errorf("quiescent %v, %d ops, %d requests; want true, 20, 20", run.Quiescent, len(run.Ops), run.Stats.Requests)
	}
}

func TestCrashLosesVolatileStateAndKeepsPersisted(t *testing.T) {
	t.Parallel()
	c := startEcho(t, 2, impl.Config[echoState, echoMsg]{Seed: 3})
	ctx := ctxFor(t, 5*time.Second)
	for k := 1; k <= 3; k++ {
		if _, err := c.Client(0).Call(ctx, 0, echoMsg{Kind: "add", Delta: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Crash(0); err != nil {
		t.Fatal(err)
	}
	if err := c.Crash(0); !errors.Is(err, impl.ErrDown) {
		t.Errorf("second crash: %v, want ErrDown", err)
	}
	if err := c.Request(0, echoMsg{Kind: "add", Delta: 1}); !errors.Is(err, impl.ErrDown) {
		t.Errorf("request to a down node: %v, want ErrDown", err)
	}
	if err := c.Restart(0); err != nil {
		t.Fatal(err)
	}
	r, err := c.Client(0).Call(ctx, 0, echoMsg{Kind: "add", Delta: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 31 {
		t.Errorf("total after restart %d, want 31 (persisted)", r.Total)
	}
	c.Settle(ctx)
	run := stop(t, c)
	last := run.Events[len(run.Events)-1]
	if last.State.Served != 1 {
		t.Errorf("served %d since restart, want 1 (volatile: lost in the crash)", last.State.Served)
	}
	if run.Stats.Crashes != 1 || run.Stats.Restarts != 1 {
		t.Errorf("stats %v", run.Stats)
	}
}

// A snapshot taken while the nodes run replays and holds the calls that
// returned so far.
func TestASnapshotOfARunningClusterReplays(t *testing.T) {
	t.Parallel()
	c := startEcho(t, 3, impl.Config[echoState, echoMsg]{Seed: 9, Network: impl.Network{Delay: impl.Delay{Dist: "uniform", Max: 200 * time.Microsecond}}})
	ctx := ctxFor(t, 5*time.Second)
	for k := 1; k <= 30; k++ {
		node := spec.NodeID(k % 3)
		if _, err := c.Client(0).Call(ctx, node, echoMsg{Kind: "add", Delta: 1, Node: node}); err != nil {
			t.Fatal(err)
		}
		if k%10 == 0 {
			snap := c.Snapshot()
			if err := snap.Replay(); err != nil {
				t.Fatalf("snapshot after %d calls: %v", k, err)
			}
			if len(snap.Ops) != k {
				t.Errorf("snapshot after %d calls holds %d operations", k, len(snap.Ops))
			}
		}
	}
	stop(t, c)
}
