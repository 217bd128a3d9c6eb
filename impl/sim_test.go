package impl_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// simEcho runs the echo protocol simulated, under seed, with losses,
// copies, delays, a crash and a restart and a partition, and returns its
// trace as JSON and the run.
func simEcho(t *testing.T, seed uint64) ([]byte, *impl.Run[echoState, echoMsg]) {
	t.Helper()
	c, err := impl.Start(impl.Config[echoState, echoMsg]{
		Protocol: echo{3}, Seed: seed, Simulate: true, Record: true, Replies: echoReplies,
		Network: impl.Network{Loss: 0.1, Dup: 0.1, Delay: impl.Delay{Dist: "exp", Mean: 300 * time.Microsecond, Max: 3 * time.Millisecond}},
		Timers:  map[string]impl.TimerSpec{"retry": {Base: 2 * time.Millisecond, Jitter: time.Millisecond}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var pending []*impl.Pending[echoMsg]
	for k := 1; k <= 40; k++ {
		node := spec.NodeID(k % 3)
		p, err := c.Client(int(node)).Submit(node, echoMsg{Kind: "add", Delta: k, Node: node})
		if err != nil && !errors.Is(err, impl.ErrDown) && !errors.Is(err, impl.ErrKeyBusy) {
			t.Fatal(err)
		}
		if p != nil {
			pending = append(pending, p)
		}
		switch k {
		case 10:
			c.Crash(0)
		case 14:
			c.Restart(0)
		case 20:
			c.Partition([]spec.NodeID{2})
		case 30:
			c.Heal()
		}
		c.Advance(time.Millisecond)
	}
	c.Advance(50 * time.Millisecond)
	for _, p := range pending {
		p.Abandon()
	}
	if !c.Settle(ctxFor(t, 5*time.Second)) {
		t.Fatal("a simulated cluster did not settle")
	}
	run := stop(t, c)
	var b bytes.Buffer
	if err := traces.Write(&b, run.Trace(impl.TraceHeader{Protocol: "echo"})); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), run
}

// Reference: a simulated cluster is decided by its seed and the calls made
// on it: the same seed gives the same run, event for event (timestamps,
// message fates, interleaving), and another seed another run.
func TestASimulatedRunIsReproducedByItsSeed(t *testing.T) {
	t.Parallel()
	a, run := simEcho(t, 11)
	b, _ := simEcho(t, 11)
	c, _ := simEcho(t, 12)
	if !bytes.Equal(a, b) {
		t.Error("two simulated runs with seed 11 differ")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 11 and 12 gave the same run")
	}
	s := run.Stats
	if s.Dropped == 0 || s.Duplicated == 0 || s.Cut == 0 || s.Fired == 0 || s.Crashes != 1 || len(run.Ops) < 20 {
		t.Errorf("too little happened to mean anything: %v, %d ops", s, len(run.Ops))
	}
	answered := 0
	for _, op := range run.Ops {
		if op.OK {
			answered++
			if op.Return < op.Call {
				t.Errorf("operation returned before its call: %+v", op)
			}
		}
	}
	if answered < 20 {
		t.Errorf("%d of %d operations answered", answered, len(run.Ops))
	}
}

func TestASimulatedClusterRefusesBlockingCalls(t *testing.T) {
	t.Parallel()
	c, err := impl.Start(impl.Config[echoState, echoMsg]{Protocol: echo{2}, Simulate: true, Replies: echoReplies})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if _, err := c.Client(0).Call(context.Background(), 0, echoMsg{Kind: "add"}); err == nil || !c.Simulated() {
		t.Errorf("Call on a simulated cluster: %v", err)
	}
}
