package impl_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// blast: on a request "k", node 0 sends k numbered messages to node 1,
// which observes each one it receives.
type blast struct{}

type blastState struct{ Sent, Got int }

func (blast) Nodes() int                      { return 2 }
func (blast) Init(spec.NodeID) blastState     { return blastState{} }
func (blast) Crash(s blastState) blastState   { return s }
func (blast) TimerName(spec.Timer) string     { return "none" }
func (blast) FormatState(s blastState) string { return fmt.Sprintf("sent %d got %d", s.Sent, s.Got) }
func (blast) FormatMsg(m int) string          { return fmt.Sprint(m) }
func (blast) AppendState(b []byte, s blastState) []byte {
	return fmt.Appendf(b, "%d/%d;", s.Sent, s.Got)
}
func (blast) AppendMsg(b []byte, m int) []byte { return fmt.Appendf(b, "%d;", m) }
func (blast) Step(s blastState, in spec.Input[int]) (blastState, []spec.Output[int]) {
	switch in.Kind {
	case spec.Request:
		var o []spec.Output[int]
		for range in.Msg {
			s.Sent++
			o = append(o, spec.SendTo(1, s.Sent))
		}
		return s, o
	case spec.Receive:
		s.Got++
		return s, []spec.Output[int]{spec.Emit(in.Msg)}
	}
	return s, nil
}

// runBlast sends k messages over net and returns what node 1 observed, in
// order, and the run.
func runBlast(t *testing.T, seed uint64, net impl.Network, k int) ([]int, *impl.Run[blastState, int]) {
	t.Helper()
	var got []int
	c, err := impl.Start(impl.Config[blastState, int]{Protocol: blast{}, Seed: seed, Network: net, Record: true,
		OnObserve: func(_ spec.NodeID, m int) { got = append(got, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Request(0, k); err != nil {
		t.Fatal(err)
	}
	if !c.Settle(ctxFor(t, 5*time.Second)) {
		t.Fatal("did not settle")
	}
	return got, stop(t, c)
}

// faultsOf lists what the network did: "drop 7", "duplicate 9".
func faultsOf(run *impl.Run[blastState, int]) []string {
	var out []string
	for _, e := range run.Events {
		if e.Kind == impl.DropEvent || e.Kind == impl.DuplicateEvent {
			out = append(out, fmt.Sprintf("%s %d", e.Kind, e.Input.Msg))
		}
	}
	slices.Sort(out)
	return out
}

// Reference: "every run that uses randomness prints its seed, and the seed
// reproduces it": the k-th message of a link meets the same fate under
// the same seed, however the goroutines interleave.
func TestTheSeedReproducesTheFaults(t *testing.T) {
	t.Parallel()
	net := impl.Network{Loss: 0.2, Dup: 0.2, Delay: impl.Delay{Dist: "uniform", Max: 200 * time.Microsecond}}
	_, a := runBlast(t, 42, net, 300)
	_, b := runBlast(t, 42, net, 300)
	_, c := runBlast(t, 43, net, 300)
	fa, fb, fc := faultsOf(a), faultsOf(b), faultsOf(c)
	if len(fa) < 60 || !slices.Equal(fa, fb) {
		t.Errorf("seed 42 twice: %d and %d faults, equal %v", len(fa), len(fb), slices.Equal(fa, fb))
	}
	if slices.Equal(fa, fc) {
		t.Error("seeds 42 and 43 drew the same faults")
	}
	if a.Stats.Dropped+a.Stats.Duplicated != len(fa) || a.Stats.Delivered != 300-a.Stats.Dropped+a.Stats.Duplicated {
		t.Errorf("stats %v do not add up with %d faults", a.Stats, len(fa))
	}
}

func TestDelaysReorderUnlessLinksAreFIFO(t *testing.T) {
	t.Parallel()
	delay := impl.Delay{Dist: "uniform", Max: 2 * time.Millisecond}
	got, _ := runBlast(t, 1, impl.Network{Delay: delay}, 200)
	if slices.IsSorted(got) || len(got) != 200 {
		t.Errorf("unordered network: %d messages, in order", len(got))
	}
	got, _ = runBlast(t, 1, impl.Network{Delay: delay, FIFO: true}, 200)
	if !slices.IsSorted(got) || len(got) != 200 {
		t.Errorf("FIFO links: %d messages, out of order: %v", len(got), got)
	}
	got, _ = runBlast(t, 1, impl.Network{Delay: impl.Delay{Dist: "exp", Mean: 200 * time.Microsecond, Max: time.Millisecond}, FIFO: true}, 200)
	if !slices.IsSorted(got) || len(got) != 200 {
		t.Errorf("FIFO links, exponential delays: out of order")
	}
}

func TestAPartitionCutsMessagesUntilHealed(t *testing.T) {
	t.Parallel()
	c := startEcho(t, 3, impl.Config[echoState, echoMsg]{Seed: 1})
	c.Partition([]spec.NodeID{2})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	_, err := c.Client(0).Call(ctx, 2, echoMsg{Kind: "add", Delta: 5, Node: 2})
	cancel()
	if err == nil {
		t.Fatal("a call across the partition was answered")
	}
	c.Heal()
	// The node's retry timer resends the request once the partition heals.
	r, err := c.Client(0).Call(ctxFor(t, 5*time.Second), 1, echoMsg{Kind: "add", Delta: 1, Node: 1})
	if err != nil {
		t.Fatal(err)
	}
	c.Settle(ctxFor(t, 5*time.Second))
	run := stop(t, c)
	if r.Total < 1 || run.Stats.Cut == 0 || run.Stats.Partitions != 1 || run.Stats.Heals != 1 {
		t.Errorf("total %d, stats %v", r.Total, run.Stats)
	}
	if last := run.Events[len(run.Events)-1]; run.Quiescent != true {
		t.Errorf("not quiescent after settling; last event %+v", last)
	}
}

// A timer fires after its configured duration: a dropped request is
// resent by the retry timer, no sooner.
func TestTimersFireAfterTheirDuration(t *testing.T) {
	t.Parallel()
	c := startEcho(t, 2, impl.Config[echoState, echoMsg]{Seed: 1,
		Timers: map[string]impl.TimerSpec{"retry": {Base: 30 * time.Millisecond, Jitter: 10 * time.Millisecond}}})
	c.DropNext(1)
	start := time.Now()
	if _, err := c.Client(0).Call(ctxFor(t, 5*time.Second), 1, echoMsg{Kind: "add", Delta: 1, Node: 1}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered after %v, before the retry timer's 30 ms", d)
	}
	c.Settle(ctxFor(t, 5*time.Second))
	if run := stop(t, c); run.Stats.Fired < 1 || run.Stats.Dropped != 1 {
		t.Errorf("stats %v: want one drop and the timer fired", run.Stats)
	}
}
