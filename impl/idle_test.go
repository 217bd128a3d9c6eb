package impl_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// batcher is a small protocol for idle timers. Node 0 queues the values
// of "put" requests (its own, and those other nodes forward to it) and
// arms its "flush" timer on the first; the flush observes one "batch" of
// everything queued and a "done" per value. A "log" request is counted
// and arms nothing; a "gate" request is only observed (the tests block on
// it to make the inbox fill).
type batcher struct{ n int }

type batcherState struct {
	ID     spec.NodeID
	Queued []int
	Logged int
}

type batcherMsg struct {
	Kind  string // requests "put", "log", "gate"; "fwd"; observed "batch", "done", "gate"
	Val   int
	Count int // "batch": how many values it carried
}

const flushTimer spec.Timer = 0

func (p batcher) Nodes() int                        { return p.n }
func (p batcher) Init(id spec.NodeID) batcherState  { return batcherState{ID: id} }
func (p batcher) Crash(s batcherState) batcherState { return batcherState{ID: s.ID} }
func (p batcher) TimerName(spec.Timer) string       { return "flush" }
func (p batcher) FormatState(s batcherState) string { return fmt.Sprint(s) }
func (p batcher) FormatMsg(m batcherMsg) string     { return fmt.Sprint(m) }
func (p batcher) AppendMsg(b []byte, m batcherMsg) []byte {
	return fmt.Appendf(b, "%s/%d/%d;", m.Kind, m.Val, m.Count)
}
func (p batcher) AppendState(b []byte, s batcherState) []byte {
	return fmt.Appendf(b, "%d/%v/%d;", s.ID, s.Queued, s.Logged)
}

func (p batcher) Step(s batcherState, in spec.Input[batcherMsg]) (batcherState, []spec.Output[batcherMsg]) {
	queue := func(v int) (batcherState, []spec.Output[batcherMsg]) {
		s.Queued = append(s.Queued[:len(s.Queued):len(s.Queued)], v)
		if len(s.Queued) == 1 {
			return s, []spec.Output[batcherMsg]{spec.SetTimerOut[batcherMsg](flushTimer)}
		}
		return s, nil
	}
	switch in.Kind {
	case spec.Request:
		switch in.Msg.Kind {
		case "put":
			if s.ID != 0 {
				return s, []spec.Output[batcherMsg]{spec.SendTo(0, batcherMsg{Kind: "fwd", Val: in.Msg.Val})}
			}
			return queue(in.Msg.Val)
		case "log":
			s.Logged++
		case "gate":
			return s, []spec.Output[batcherMsg]{spec.Emit(in.Msg)}
		}
	case spec.Receive:
		if in.Msg.Kind == "fwd" {
			return queue(in.Msg.Val)
		}
	case spec.Fire:
		outs := []spec.Output[batcherMsg]{spec.Emit(batcherMsg{Kind: "batch", Count: len(s.Queued)})}
		for _, v := range s.Queued {
			outs = append(outs, spec.Emit(batcherMsg{Kind: "done", Val: v}))
		}
		s.Queued = nil
		return s, outs
	}
	return s, nil
}

var batcherReplies = impl.Replies[batcherMsg]{
	Key: func(req batcherMsg) uint64 { return uint64(req.Val) },
	Reply: func(_ spec.NodeID, obs batcherMsg) (uint64, bool) {
		return uint64(obs.Val), obs.Kind == "done"
	},
}

var idleFlush = map[string]impl.TimerSpec{"flush": {Idle: true}}

// batches lists the sizes of the "batch" observations of a run.
func batches(run *impl.Run[batcherState, batcherMsg]) []int {
	var sizes []int
	for _, e := range run.Events {
		if e.Kind != impl.StepEvent {
			continue
		}
		for _, o := range e.Outputs {
			if o.Kind == spec.Observe && o.Msg.Kind == "batch" {
				sizes = append(sizes, o.Msg.Count)
			}
		}
	}
	return sizes
}

// An idle timer fires once after the batch of inputs that armed it: nine
// requests waiting together in the inbox are flushed by one firing, and
// inputs that do not arm it make it fire no more.
func TestAnIdleTimerFiresOnceAfterABatch(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	c, err := impl.Start(impl.Config[batcherState, batcherMsg]{
		Protocol: batcher{1}, Seed: 1, Timers: idleFlush, Replies: batcherReplies, Record: true,
		OnObserve: func(_ spec.NodeID, obs batcherMsg) {
			if obs.Kind == "gate" {
				entered <- struct{}{}
				<-release // the node is busy while the test fills its inbox
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	if err := c.Request(0, batcherMsg{Kind: "gate"}); err != nil {
		t.Fatal(err)
	}
	<-entered
	for v := 1; v <= 9; v++ {
		if err := c.Request(0, batcherMsg{Kind: "put", Val: v}); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	if !c.Settle(ctxFor(t, 5*time.Second)) {
		t.Fatal("the cluster did not settle")
	}
	for range 3 {
		if err := c.Request(0, batcherMsg{Kind: "log"}); err != nil {
			t.Fatal(err)
		}
	}
	if !c.Settle(ctxFor(t, 5*time.Second)) {
		t.Fatal("the cluster did not settle")
	}
	run := stop(t, c)
	if got := batches(run); len(got) != 1 || got[0] != 9 {
		t.Errorf("batches %v, want one of 9", got)
	}
	if run.Stats.Fired != 1 {
		t.Errorf("%d timers fired, want 1", run.Stats.Fired)
	}
}

// An idle timer armed by a lone request fires right after it: a timer
// with no duration answers each call at once, in turn.
func TestAnIdleTimerFiresPromptlyAfterOneInput(t *testing.T) {
	t.Parallel()
	c, err := impl.Start(impl.Config[batcherState, batcherMsg]{
		Protocol: batcher{2}, Seed: 1, Timers: idleFlush, Replies: batcherReplies, Record: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	start := time.Now()
	for v := 1; v <= 20; v++ {
		if _, err := c.Client(0).Call(ctxFor(t, 5*time.Second), spec.NodeID(v%2), batcherMsg{Kind: "put", Val: v}); err != nil {
			t.Fatal(err)
		}
	}
	// Generous for a loaded machine; a timer waiting for anything like a
	// duration of its own (DefaultTimer is 20 ms) would take 400 ms.
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("20 calls took %v", d)
	}
	c.Settle(ctxFor(t, 5*time.Second))
	run := stop(t, c)
	if got := batches(run); len(got) != 20 {
		t.Errorf("batches %v, want 20 of 1", got)
	}
}

// An idle timer that is never armed never fires, and one armed and then
// cancelled would not either: the inputs that arm nothing leave Fired at 0.
func TestAnIdleTimerNotArmedNeverFires(t *testing.T) {
	t.Parallel()
	c, err := impl.Start(impl.Config[batcherState, batcherMsg]{
		Protocol: batcher{2}, Seed: 1, Timers: idleFlush, Replies: batcherReplies, Record: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	for k := range 50 {
		if err := c.Request(spec.NodeID(k%2), batcherMsg{Kind: "log"}); err != nil {
			t.Fatal(err)
		}
	}
	if !c.Settle(ctxFor(t, 5*time.Second)) {
		t.Fatal("the cluster did not settle")
	}
	time.Sleep(20 * time.Millisecond)
	run := stop(t, c)
	if run.Stats.Fired != 0 || run.Stats.Steps != 52 {
		t.Errorf("stats %v: want 52 steps (2 starts, 50 requests) and no timer fired", run.Stats)
	}
}

// simBatcher runs the batcher simulated under seed: puts submitted at
// node 0 and forwarded from node 1 over a network with delays, several at
// one instant, then one alone; it returns the trace and the run.
func simBatcher(t *testing.T, seed uint64) ([]byte, *impl.Run[batcherState, batcherMsg]) {
	t.Helper()
	c, err := impl.Start(impl.Config[batcherState, batcherMsg]{
		Protocol: batcher{2}, Seed: seed, Simulate: true, Record: true, Replies: batcherReplies, Timers: idleFlush,
		Network: impl.Network{Delay: impl.Delay{Dist: "uniform", Min: 0, Max: 400 * time.Microsecond}},
	})
	if err != nil {
		t.Fatal(err)
	}
	v := 0
	submit := func(node spec.NodeID) {
		v++
		if _, err := c.Client(v).Submit(node, batcherMsg{Kind: "put", Val: v}); err != nil {
			t.Fatal(err)
		}
	}
	for range 4 { // four at node 0 at one instant: one batch
		submit(0)
	}
	for range 6 { // six forwarded by node 1, arriving as their delays fall
		submit(1)
	}
	if err := c.Advance(5 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	submit(0) // alone
	if !c.Settle(ctxFor(t, 5*time.Second)) {
		t.Fatal("a simulated cluster did not settle")
	}
	run := stop(t, c)
	var b bytes.Buffer
	if err := traces.Write(&b, run.Trace(impl.TraceHeader{Protocol: "batcher"})); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), run
}

// In a simulated cluster an idle timer fires at the instant it was armed,
// once the events already queued for that instant are handled: requests
// submitted together make one batch, a lone one its own, and a seed gives
// the same run, event for event, which replays through Step.
func TestAnIdleTimerInSimulationIsReproducible(t *testing.T) {
	t.Parallel()
	a, run := simBatcher(t, 5)
	b, _ := simBatcher(t, 5)
	if !bytes.Equal(a, b) {
		t.Error("two simulated runs with seed 5 differ")
	}
	got := batches(run)
	t.Logf("batches %v", got)
	total := 0
	for _, n := range got {
		total += n
	}
	if len(got) < 3 || got[0] != 4 || got[len(got)-1] != 1 || total != 11 {
		t.Errorf("batches %v: want 4 first, 1 last, 11 values in all", got)
	}
	if len(run.Ops) != 11 {
		t.Errorf("%d operations, want 11", len(run.Ops))
	}
	for _, op := range run.Ops {
		if !op.OK {
			t.Errorf("operation %v not answered", op)
		}
	}
}

// An idle timer has no duration: a spec giving it one is refused.
func TestAnIdleTimerSpecHasNoDuration(t *testing.T) {
	t.Parallel()
	if err := (impl.TimerSpec{Idle: true}).Validate(); err != nil {
		t.Errorf("idle: %v", err)
	}
	if err := (impl.TimerSpec{Idle: true, Base: time.Millisecond}).Validate(); err == nil {
		t.Error("idle with a base: accepted")
	}
}
