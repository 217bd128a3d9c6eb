package impl_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// pingPong: a request k at node 0 sends ping k to node 1, which answers
// pong k; node 0 observes k. Its Step allocates nothing, so what the
// benchmark counts is the driver's own cost.
type pingPong struct{}

type ppMsg struct {
	Pong bool
	K    uint32
}

func (pingPong) Nodes() int                         { return 2 }
func (pingPong) Init(spec.NodeID) int               { return 0 }
func (pingPong) Crash(s int) int                    { return s }
func (pingPong) TimerName(spec.Timer) string        { return "none" }
func (pingPong) FormatState(s int) string           { return fmt.Sprint(s) }
func (pingPong) FormatMsg(m ppMsg) string           { return fmt.Sprint(m) }
func (pingPong) AppendState(b []byte, s int) []byte { return fmt.Appendf(b, "%d", s) }
func (pingPong) AppendMsg(b []byte, m ppMsg) []byte { return fmt.Appendf(b, "%v", m) }

// ppOuts holds one output list per kind of step, each used by one node
// only. Reusing them is safe here because the driver is done with a
// step's outputs when the step ends and nothing is recorded; a real
// protocol returns fresh outputs.
var ppOuts = [3][]spec.Output[ppMsg]{make([]spec.Output[ppMsg], 1), make([]spec.Output[ppMsg], 1), make([]spec.Output[ppMsg], 1)}

func (pingPong) Step(s int, in spec.Input[ppMsg]) (int, []spec.Output[ppMsg]) {
	switch in.Kind {
	case spec.Request:
		o := ppOuts[0]
		o[0] = spec.SendTo(1, ppMsg{K: in.Msg.K})
		return s + 1, o
	case spec.Receive:
		if !in.Msg.Pong {
			o := ppOuts[1]
			o[0] = spec.SendTo(0, ppMsg{Pong: true, K: in.Msg.K})
			return s + 1, o
		}
		o := ppOuts[2]
		o[0] = spec.Emit(in.Msg)
		return s + 1, o
	}
	return s, nil
}

var ppReplies = impl.Replies[ppMsg]{
	Key:   func(req ppMsg) uint64 { return uint64(req.K) },
	Reply: func(_ spec.NodeID, obs ppMsg) (uint64, bool) { return uint64(obs.K), true },
}

// BenchmarkCallRoundTrip measures one client call through the driver: a
// request, a message each way, a reply (no recording, in-memory stores,
// reliable network without delay). One client: the outputs pool above is
// safe only while one request is under way per node.
func BenchmarkCallRoundTrip(b *testing.B) {
	c, err := impl.Start(impl.Config[int, ppMsg]{Protocol: pingPong{}, Seed: 1, Replies: ppReplies})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Stop()
	cl := c.Client(0)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for k := range b.N {
		if _, err := cl.Call(ctx, 0, ppMsg{K: uint32(k)}); err != nil {
			b.Fatal(err)
		}
	}
}

// The driver allocates nothing per message in the steady state: a call
// (request, two messages, a reply) costs at most one allocation on
// average — the waiter's pooled channel now and then, under GC.
func TestACallAllocatesAlmostNothing(t *testing.T) {
	c, err := impl.Start(impl.Config[int, ppMsg]{Protocol: pingPong{}, Seed: 1, Replies: ppReplies})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	cl := c.Client(0)
	ctx := context.Background()
	var k atomic.Uint32
	call := func() {
		if _, err := cl.Call(ctx, 0, ppMsg{K: k.Add(1)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 1000 {
		call() // warm up: buffers grown, pools filled
	}
	var before, after runtime.MemStats
	const calls = 5000
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range calls {
		call()
	}
	runtime.ReadMemStats(&after)
	if per := float64(after.Mallocs-before.Mallocs) / calls; per > 1 {
		t.Errorf("%.2f allocations per call, want at most 1", per)
	}
}
