package impl_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/traces"
)

// echoRun is a recorded run of the echo protocol with a crash and a
// restart of the server and a loss.
func echoRun(t *testing.T) *impl.Run[echoState, echoMsg] {
	t.Helper()
	c := startEcho(t, 3, impl.Config[echoState, echoMsg]{Seed: 5})
	ctx := ctxFor(t, 5*time.Second)
	for k := 1; k <= 6; k++ {
		node := spec.NodeID(k % 3)
		if k == 3 {
			c.Crash(0)
			c.Restart(0)
			c.DropNext(1)
		}
		if _, err := c.Client(0).Call(ctx, node, echoMsg{Kind: "add", Delta: k, Node: node}); err != nil {
			t.Fatal(err)
		}
	}
	c.Settle(ctx)
	return stop(t, c)
}

// Reference: conformance check 1. A run whose recorded outputs differ from
// what Step gives is refused, with the node, the step and a go-cmp diff.
func TestReplayFindsAStepThatDoesNotMatchTheSpec(t *testing.T) {
	t.Parallel()
	run := echoRun(t)
	for i := range run.Events {
		e := &run.Events[i]
		if e.Kind == impl.StepEvent && e.Input.Kind == spec.Receive && e.Input.Msg.Kind == "fwd" {
			e.Outputs[1].Msg.Total++ // the ack the server sent carries another total
			break
		}
	}
	err := run.Replay()
	if err == nil || !strings.Contains(err.Error(), "node 0, step") || !strings.Contains(err.Error(), "outputs differ") || !strings.Contains(err.Error(), "Total:") {
		t.Errorf("got %v", err)
	}
}

func TestReplayFindsAStoreThatGaveBackAnotherState(t *testing.T) {
	t.Parallel()
	run := echoRun(t)
	found := false
	for i := range run.Events {
		if e := &run.Events[i]; e.Kind == impl.StepEvent && e.Input.Kind == spec.Recover {
			e.Loaded.Total += 100
			found = true
		}
	}
	err := run.Replay()
	if !found || err == nil || !strings.Contains(err.Error(), "the store gave back a state other than what Crash kept") {
		t.Errorf("recover found %v, got %v", found, err)
	}
}

// Reference: conformance check 2. The properties are the checker's
// functions, evaluated on the run: one that the run breaks is reported
// with the event after which it failed.
func TestCheckEvaluatesPropertiesOnTheRun(t *testing.T) {
	t.Parallel()
	run := echoRun(t)
	props := []spec.Property[echoState, echoMsg]{
		{Name: "total-below-10", Kind: spec.Always, State: func(v spec.View[echoState, echoMsg]) error {
			if s := v.State(0); s.Total >= 10 {
				return errors.New("total reached 10")
			}
			return nil
		}},
		{Name: "total-grows", Kind: spec.OnTransition, Step: func(a, b spec.View[echoState, echoMsg]) error {
			if b.State(0).Total < a.State(0).Total {
				return errors.New("total went down")
			}
			return nil
		}},
		{Name: "server-crashed", Kind: spec.Sometimes, Reach: func(v spec.View[echoState, echoMsg]) bool { return !v.Correct(0) }},
		{Name: "replied-six-times", Kind: spec.AtQuiescence, State: func(v spec.View[echoState, echoMsg]) error {
			n := 0
			for _, e := range v.History() {
				if e.Obs.Kind == "reply" {
					n++
				}
			}
			if n != 6 {
				return errors.New("not six replies")
			}
			return nil
		}},
		{Name: "replies-happen-after-totals", Kind: spec.Always, Needs: spec.NeedsHappensBefore, State: func(v spec.View[echoState, echoMsg]) error {
			h := v.History()
			for _, r := range h {
				if r.Obs.Kind != "reply" || r.Node == 0 {
					continue
				}
				ok := false
				for _, e := range h {
					ok = ok || e.Obs.Kind == "total" && e.Obs.Total == r.Obs.Total && e.HappensBefore(r)
				}
				if !ok {
					return errors.New("a reply no total happened before")
				}
			}
			return nil
		}},
	}
	got := map[string]impl.Outcome{}
	for _, v := range run.Check(props) {
		got[v.Property] = v.Outcome
		if v.Property == "total-below-10" && (v.Seq == 0 || v.Reason != "total reached 10") {
			t.Errorf("violation without its event or reason: %v", v)
		}
	}
	want := map[string]impl.Outcome{"total-below-10": impl.Violated, "total-grows": impl.Held, "server-crashed": impl.Reached,
		"replied-six-times": impl.Held, "replies-happen-after-totals": impl.Held}
	for name, o := range want {
		if got[name] != o {
			t.Errorf("%s: %v, want %v", name, got[name], o)
		}
	}
}

// The run as a trace: valid, starts first, every receipt linked to its
// send, timestamps that respect causality; the crash and the drop appear.
func TestATraceOfTheRunIsValidAndStamped(t *testing.T) {
	t.Parallel()
	run := echoRun(t)
	tr := run.Trace(impl.TraceHeader{Protocol: "echo"})
	if err := tr.Validate(); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for i, e := range tr.Events {
		kinds[e.Kind]++
		if i < 3 && (e.Kind != traces.KindStart || e.Step != 0) {
			t.Errorf("event %d: %s at step %d, want the starts first", i, e.Kind, e.Step)
		}
		if e.Kind == traces.KindReceive {
			c := tr.Events[e.Cause]
			if e.Cause < 0 || c.Node != e.Peer || c.Lamport >= e.Lamport || c.Vector[c.Node] > e.Vector[c.Node] {
				t.Errorf("event %d: receipt not after its send %d", i, e.Cause)
			}
		}
	}
	if kinds[traces.KindCrash] != 1 || kinds[traces.KindRecover] != 1 || kinds[traces.KindDrop] != 1 || kinds[traces.KindRequest] != 6 {
		t.Errorf("event kinds %v", kinds)
	}
	var b strings.Builder
	if err := traces.WriteText(&b, tr); err != nil || !strings.Contains(b.String(), "crash n0") {
		t.Errorf("text rendering: %v\n%s", err, b.String())
	}
}

// A protocol's nondeterministic choices are made by the runtime (gossip's
// forwarding targets) and replay like any input.
func TestChoicesAreMadeByTheRuntimeAndReplay(t *testing.T) {
	t.Parallel()
	p, err := broadcast.New(broadcast.Params{Algorithm: broadcast.Gossip, N: 4, Sends: [broadcast.MaxNodes]int{2, 1}, Fanout: 2})
	if err != nil {
		t.Fatal(err)
	}
	c, err := impl.Start(impl.Config[broadcast.State, broadcast.Msg]{Protocol: p, Seed: 3, Record: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range p.Workload() {
		c.Request(w.Node, w.Choices[0])
	}
	c.Settle(ctxFor(t, 5*time.Second))
	run := stop(t, c)
	chose := 0
	for _, e := range run.Events {
		if e.Kind == impl.StepEvent && e.Input.Kind == spec.Choose {
			chose++
		}
	}
	if chose == 0 {
		t.Error("no choice was made")
	}
	verdicts := run.Check(broadcast.Properties())
	for _, v := range impl.Violations(verdicts) {
		if v.Property == broadcast.PropNoDuplication || v.Property == broadcast.PropNoCreation {
			t.Error(v)
		}
	}
	// A finite run says nothing of liveness: never "held".
	live := 0
	for _, v := range verdicts {
		if v.Kind.Live() {
			live++
			if v.Outcome != impl.NotEvaluated || v.Reason == "" {
				t.Errorf("%v: a liveness property on a finite run must be not evaluated, with the reason", v)
			}
		}
	}
	if live == 0 {
		t.Error("broadcast.Properties() has no liveness property: the check above checks nothing")
	}
}
