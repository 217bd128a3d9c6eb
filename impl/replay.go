package impl

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/google/go-cmp/cmp"

	"github.com/distsys/distsys/spec"
)

// Replay is the first conformance check: it feeds every node's recorded
// inputs, in order, through the protocol's Step — from Init, through Crash
// at each crash, from the state the store gave back at each recovery —
// and requires exactly the recorded outputs and state after every step,
// and that each store gave back what Crash kept. The first difference is
// an error naming the node and the step, with a go-cmp diff (-recorded
// +replayed). It needs a run recorded with Config.Record.
func (r *Run[S, M]) Replay() error {
	p := r.Protocol
	n := p.Nodes()
	states := make([]S, n)
	known := make([]bool, n) // states[i] is what the replay computed
	steps := make([]int, n)
	for k := range r.Events {
		e := &r.Events[k]
		i := e.Node
		switch e.Kind {
		case StepEvent:
			steps[i]++
			var s S
			switch {
			case e.Input.Kind == spec.Start:
				s = p.Init(i)
			case e.Input.Kind == spec.Recover && known[i]:
				if err := sameState(p, states[i], e.Loaded); err != nil {
					return fmt.Errorf("replay: node %d, step %d (%s): the store gave back a state other than what Crash kept: %w",
						i, steps[i], r.describe(e), err)
				}
				s = states[i]
			case e.Input.Kind == spec.Recover:
				// The node began from a state an earlier process left.
				s = e.Loaded
			case !known[i]:
				return fmt.Errorf("replay: node %d, step %d (%s): the node took an input before its first step", i, steps[i], r.describe(e))
			default:
				s = states[i]
			}
			next, outs := p.Step(s, e.Input)
			if !sameOutputs(p, e.Outputs, outs) {
				return fmt.Errorf("replay: node %d, step %d (%s): outputs differ from the recorded ones (-recorded +replayed):\n%s",
					i, steps[i], r.describe(e), diff(e.Outputs, outs))
			}
			if err := sameState(p, e.State, next); err != nil {
				return fmt.Errorf("replay: node %d, step %d (%s): %w", i, steps[i], r.describe(e), err)
			}
			states[i], known[i] = next, true
		case CrashEvent:
			if !known[i] {
				return fmt.Errorf("replay: node %d crashed before its first step", i)
			}
			kept := p.Crash(states[i])
			if err := sameState(p, e.State, kept); err != nil {
				return fmt.Errorf("replay: node %d, crash after step %d: %w", i, steps[i], err)
			}
			states[i] = kept
		}
	}
	return nil
}

// sameState compares two states by their canonical encodings.
func sameState[S, M any](p spec.Protocol[S, M], want, got S) error {
	if bytes.Equal(p.AppendState(nil, want), p.AppendState(nil, got)) {
		return nil
	}
	return fmt.Errorf("states differ (-recorded +replayed):\n- %s\n+ %s\n%s", p.FormatState(want), p.FormatState(got), diff(want, got))
}

// sameOutputs compares two output lists by kind, destination, timer and
// the message's canonical encoding.
func sameOutputs[S, M any](p spec.Protocol[S, M], want, got []spec.Output[M]) bool {
	if len(want) != len(got) {
		return false
	}
	var a, b []byte
	for i := range want {
		w, g := &want[i], &got[i]
		if w.Kind != g.Kind || w.To != g.To || w.Timer != g.Timer {
			return false
		}
		a, b = p.AppendMsg(a[:0], w.Msg), p.AppendMsg(b[:0], g.Msg)
		if !bytes.Equal(a, b) {
			return false
		}
	}
	return true
}

// diff is go-cmp's diff, reading unexported fields too.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true }))
}

// describe names an event for people: "receive from n0 Write(ts=1,v=1)".
func (r *Run[S, M]) describe(e *Event[S, M]) string {
	p := r.Protocol
	switch e.Kind {
	case StepEvent:
		switch e.Input.Kind {
		case spec.Receive:
			return fmt.Sprintf("receive from n%d %s", e.Input.From, p.FormatMsg(e.Input.Msg))
		case spec.Fire:
			return "timer " + p.TimerName(e.Input.Timer)
		case spec.Request:
			return "request " + p.FormatMsg(e.Input.Msg)
		case spec.Choose:
			return "choose " + p.FormatMsg(e.Input.Msg)
		}
		return e.Input.Kind.String()
	case CrashEvent:
		return "crash"
	}
	return fmt.Sprintf("%s n%d→n%d %s", e.Kind, e.Input.From, e.Node, p.FormatMsg(e.Input.Msg))
}
