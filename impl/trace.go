package impl

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// TraceHeader is what a run's trace says about what was run: the
// catalog's name of the protocol and its parameters, as for a check.
type TraceHeader struct {
	Protocol string
	Params   map[string]int
	// Choices are the parameters with named choices, by name.
	Choices  map[string]string
	Settings string
	Mutant   string
	// Violation, if set, is the property the run broke.
	Violation *traces.Violation

	_ struct{}
}

// Trace writes the run in the trace format counterexamples use (package
// traces), so that modelcheck viz draws it: the nodes' first steps as the
// initial events, then one event per step, crash and network fault in
// order, each receipt linked to its send, with Lamport and vector
// timestamps from the run's causality. Actions are labelled as the
// checker labels them ("deliver n0→n1 …", "fire n2 election", "crash n1").
// A runtime trace is for reading and drawing: its steps are not edges of
// the checker's state graph, so modelcheck replay does not take it (Replay
// is its conformance check).
func (r *Run[S, M]) Trace(h TraceHeader) *traces.Trace {
	p := r.Protocol
	n := p.Nodes()
	t := &traces.Trace{
		Format: traces.FormatName, Version: traces.Version,
		Protocol: h.Protocol, Params: h.Params, Choices: h.Choices, Settings: h.Settings, Mutant: h.Mutant,
		Seed: r.Seed, Violation: h.Violation,
		Model: &traces.Model{
			Network: map[bool]string{true: "fifo", false: "unordered"}[r.Network.FIFO],
			Drops:   r.Stats.Dropped + r.Stats.Cut, Dups: r.Stats.Duplicated, Crashes: r.Stats.Crashes,
			CrashMode: "recover", Text: "runtime: " + r.Network.String(),
		},
		Bounds: fmt.Sprintf("runtime run of %v, %d steps", r.Elapsed.Round(1e6), r.Stats.Steps),
	}
	if t.Params == nil {
		t.Params = map[string]int{}
	}
	for i := range n {
		t.Nodes = append(t.Nodes, fmt.Sprintf("n%d", i))
	}
	ids := map[uint64]int{} // Seq of a step → its event's ID
	step := 0
	for k := range r.Events {
		e := &r.Events[k]
		ev := traces.Event{ID: len(t.Events), Node: int(e.Node), Peer: -1, Cause: -1}
		initial := e.Kind == StepEvent && e.Input.Kind == spec.Start && step == 0
		if !initial {
			step++
			ev.Step = step
		}
		from := e.Input.From
		msg := ""
		if e.Kind != StepEvent || e.Input.Kind == spec.Receive || e.Input.Kind == spec.Request || e.Input.Kind == spec.Choose {
			if e.Kind != CrashEvent {
				msg = p.FormatMsg(e.Input.Msg)
			}
		}
		switch e.Kind {
		case StepEvent:
			ev.State = p.FormatState(e.State)
			switch e.Input.Kind {
			case spec.Start:
				ev.Kind, ev.Action = traces.KindStart, fmt.Sprintf("start n%d", e.Node)
			case spec.Receive:
				ev.Kind, ev.Peer, ev.Message = traces.KindReceive, int(from), msg
				ev.Action = fmt.Sprintf("deliver n%d→n%d %s", from, e.Node, msg)
				ev.Cause = cause(ids, e.Cause)
			case spec.Fire:
				ev.Kind, ev.Message = traces.KindTimer, p.TimerName(e.Input.Timer)
				ev.Action = fmt.Sprintf("fire n%d %s", e.Node, ev.Message)
			case spec.Request:
				ev.Kind, ev.Message = traces.KindRequest, msg
				ev.Action = fmt.Sprintf("request n%d %s", e.Node, msg)
			case spec.Recover:
				ev.Kind, ev.Action = traces.KindRecover, fmt.Sprintf("recover n%d", e.Node)
			case spec.Choose:
				ev.Kind, ev.Message = traces.KindChoose, msg
				ev.Action = fmt.Sprintf("choose n%d %s", e.Node, msg)
			}
			for _, o := range e.Outputs {
				switch o.Kind {
				case spec.Send:
					ev.Sends = append(ev.Sends, traces.Send{To: int(o.To), Message: p.FormatMsg(o.Msg)})
				case spec.SetTimer:
					ev.Timers = append(ev.Timers, "+"+p.TimerName(o.Timer))
				case spec.CancelTimer:
					ev.Timers = append(ev.Timers, "-"+p.TimerName(o.Timer))
				case spec.Observe:
					ev.Observations = append(ev.Observations, p.FormatMsg(o.Msg))
				}
			}
			ids[e.Seq] = ev.ID
		case CrashEvent:
			ev.Kind, ev.Fault, ev.State = traces.KindCrash, true, p.FormatState(e.State)
			ev.Action = fmt.Sprintf("crash n%d", e.Node)
		case DropEvent:
			ev.Kind, ev.Fault, ev.Peer, ev.Message = traces.KindDrop, true, int(from), msg
			ev.Action = fmt.Sprintf("drop n%d→n%d %s", from, e.Node, msg)
			if e.Partition {
				ev.Action += " (partition)"
			}
			ev.Cause = cause(ids, e.Cause)
		case DuplicateEvent:
			ev.Kind, ev.Fault, ev.Peer, ev.Message = traces.KindDuplicate, true, int(from), msg
			ev.Action = fmt.Sprintf("duplicate n%d→n%d %s", from, e.Node, msg)
			ev.Cause = cause(ids, e.Cause)
		case LostEvent:
			ev.Kind, ev.Peer, ev.Message = traces.KindLost, int(from), msg
			ev.Action = fmt.Sprintf("deliver n%d→n%d %s (lost: n%d is down)", from, e.Node, msg, e.Node)
			ev.Cause = cause(ids, e.Cause)
		}
		if initial {
			ev.Action = ""
		}
		t.Events = append(t.Events, ev)
	}
	t.Stamp()
	return t
}

// cause is the event ID of the step with sequence number seq, or -1.
func cause(ids map[uint64]int, seq uint64) int {
	if id, ok := ids[seq]; ok {
		return id
	}
	return -1
}
