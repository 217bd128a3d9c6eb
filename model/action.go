package model

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// ActionKind says what a step of the model does.
type ActionKind uint8

const (
	// Deliver delivers a message in flight to its destination (lost if the
	// destination is down).
	Deliver ActionKind = iota
	// Fire fires a set timer.
	Fire
	// Issue issues a node's next work item, with one of its choices.
	Issue
	// Recover restarts a crashed node (crash-recovery only).
	Recover
	// Choose makes one of the choices a spec.Chooser protocol offers.
	Choose
	// Stabilize is the global stabilisation step of partial synchrony.
	Stabilize
	// Forge sends one of a byzantine node's forgeries (fault).
	Forge
	// Drop loses a message in flight (fault).
	Drop
	// Duplicate copies a message in flight (fault).
	Duplicate
	// Crash crashes a running node (fault).
	Crash
)

var actionNames = [...]string{"deliver", "fire", "request", "recover", "choose", "stabilize", "forge", "drop", "duplicate", "crash"}

func (k ActionKind) String() string {
	if int(k) < len(actionNames) {
		return actionNames[k]
	}
	return fmt.Sprintf("ActionKind(%d)", k)
}

// Action is one step of the model. Index is the message's position in the
// world's network (Deliver, Drop, Duplicate), the timer (Fire) or the
// choice (Issue, Choose).
type Action struct {
	Kind  ActionKind
	Node  spec.NodeID
	Index int
	// Cut, when above 0, means the node crashed during this step after only
	// its first Cut-1 sends went out (Config.CrashMidStep).
	Cut int
}

// Fault reports whether the action spends a fault budget.
func (a Action) Fault() bool { return a.Kind >= Forge || a.Cut > 0 }

// Label describes action a taken in w in one line. Labels of the edges of
// one world are distinct, so a trace can be replayed by its labels.
func (m *Model[S, M]) Label(w *World[S, M], a Action) string {
	s := m.label(w, a)
	if a.Cut > 0 {
		s += fmt.Sprintf(" ✗ n%d crashes after %d %s", a.Node, a.Cut-1, plural(a.Cut-1, "send", "sends"))
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (m *Model[S, M]) label(w *World[S, M], a Action) string {
	switch a.Kind {
	case Deliver, Drop, Duplicate:
		p := w.net[a.Index]
		s := fmt.Sprintf("%s n%d→n%d %s", a.Kind, p.from, p.to, m.proto.FormatMsg(p.msg))
		if m.hb && m.twin(w, a.Index) {
			// Another packet carries the same message and differs only in
			// its ghost clock: name the clock to keep labels distinct.
			s += " sent at " + p.clock.String()
		}
		if a.Kind == Drop && m.cfg.Network == FIFO {
			// Dropping copies of one message that lie apart on a link
			// leaves different worlds: say which copy goes.
			if k := m.copiesBefore(w, a.Index); k > 0 {
				s += fmt.Sprintf(" (copy %d on the link)", k+1)
			}
		}
		if a.Kind == Deliver && !w.nodes[p.to].up {
			s += " (lost: n" + fmt.Sprint(p.to) + " is down)"
		}
		if a.Kind == Deliver && m.cfg.IsByzantine(int(p.to)) {
			s += " (read by byzantine n" + fmt.Sprint(p.to) + ")"
		}
		return s
	case Fire:
		return fmt.Sprintf("fire n%d %s", a.Node, m.proto.TimerName(spec.Timer(a.Index)))
	case Issue:
		item := m.work[a.Node][w.cursor[a.Node]]
		return fmt.Sprintf("request n%d %s", a.Node, m.proto.FormatMsg(item.Choices[a.Index]))
	case Choose:
		return fmt.Sprintf("choose n%d %s", a.Node, m.proto.FormatMsg(m.chooser.Choices(w.nodes[a.Node].state)[a.Index]))
	case Stabilize:
		return "global stabilisation"
	case Forge:
		f := m.forgeries[a.Node][a.Index]
		return fmt.Sprintf("forge n%d→n%d %s", a.Node, f.to, m.proto.FormatMsg(f.msg))
	case Recover, Crash:
		return fmt.Sprintf("%s n%d", a.Kind, a.Node)
	}
	return a.Kind.String()
}

// twin reports whether another packet of w has the same sender, receiver
// and message as packet i (so that only the ghost clock tells them apart).
func (m *Model[S, M]) twin(w *World[S, M], i int) bool {
	p := w.net[i]
	msg := string(m.proto.AppendMsg(nil, p.msg))
	for j := range w.net {
		q := w.net[j]
		if j != i && q.from == p.from && q.to == p.to && string(m.proto.AppendMsg(nil, q.msg)) == msg && !q.clock.Equal(p.clock) {
			return true
		}
	}
	return false
}

// StepInfo explains one step in the terms of the protocol, for traces.
type StepInfo[M any] struct {
	Kind ActionKind
	// Node is the node that acts (the receiver of a delivery or drop).
	Node spec.NodeID
	// Peer is the sender of a delivered, dropped or duplicated message, or -1.
	Peer spec.NodeID
	// Msg is the message delivered, dropped or duplicated, or the request
	// issued.
	Msg    M
	HasMsg bool
	// Lost is set when a delivery found its destination down.
	Lost bool
	// Crashed is set when the node crashed during the step (Action.Cut).
	Crashed bool
	// Outputs are the node's outputs in this step (none for faults).
	Outputs []spec.Output[M]
}

// Explain recomputes step a from w and describes it.
func (m *Model[S, M]) Explain(w *World[S, M], a Action) StepInfo[M] {
	info := StepInfo[M]{Kind: a.Kind, Node: a.Node, Peer: -1}
	switch a.Kind {
	case Deliver, Drop, Duplicate:
		p := w.net[a.Index]
		info.Peer, info.Node, info.Msg, info.HasMsg = p.from, p.to, p.msg, true
		if a.Kind == Deliver {
			if !w.nodes[p.to].up || m.cfg.IsByzantine(int(p.to)) {
				info.Lost = true
				return info
			}
			_, info.Outputs = m.proto.Step(w.nodes[p.to].state, spec.Input[M]{Kind: spec.Receive, From: p.from, Msg: p.msg})
		}
	case Fire:
		_, info.Outputs = m.proto.Step(w.nodes[a.Node].state, spec.Input[M]{Kind: spec.Fire, Timer: spec.Timer(a.Index)})
	case Issue:
		msg := m.work[a.Node][w.cursor[a.Node]].Choices[a.Index]
		info.Msg, info.HasMsg = msg, true
		_, info.Outputs = m.proto.Step(w.nodes[a.Node].state, spec.Input[M]{Kind: spec.Request, Msg: msg})
	case Choose:
		msg := m.chooser.Choices(w.nodes[a.Node].state)[a.Index]
		info.Msg, info.HasMsg = msg, true
		_, info.Outputs = m.proto.Step(w.nodes[a.Node].state, spec.Input[M]{Kind: spec.Choose, Msg: msg})
	case Recover:
		_, info.Outputs = m.proto.Step(w.nodes[a.Node].state, spec.Input[M]{Kind: spec.Recover})
	case Forge:
		f := m.forgeries[a.Node][a.Index]
		info.Outputs = []spec.Output[M]{spec.SendTo(f.to, f.msg)}
	}
	if a.Cut > 0 {
		info.Crashed = true
		info.Outputs = cutOutputs(info.Outputs, a.Cut-1)
	}
	return info
}

// cutOutputs keeps the outputs that happened before a crash struck ahead of
// send number k (from 0).
func cutOutputs[M any](outs []spec.Output[M], k int) []spec.Output[M] {
	sends := 0
	for i, o := range outs {
		if o.Kind == spec.Send {
			if sends == k {
				return outs[:i]
			}
			sends++
		}
	}
	return outs
}

// StartOutputs returns the outputs of node i's whole Start step. In an
// initial world where that step was cut short by a crash, or for a
// byzantine node, which takes none, Start tells what really happened.
func (m *Model[S, M]) StartOutputs(i spec.NodeID) []spec.Output[M] {
	_, outs := m.proto.Step(m.proto.Init(i), spec.Input[M]{Kind: spec.Start})
	return outs
}

// Start describes node i's Start step in w, one of the worlds Init returns
// (an initial world already contains every node's Start step): its
// outputs, cut short if a crash struck during it (Config.CrashMidStep;
// crashed is then set), and none for a byzantine node, which runs no Step.
func (m *Model[S, M]) Start(w *World[S, M], i spec.NodeID) (outs []spec.Output[M], crashed bool) {
	if m.cfg.IsByzantine(int(i)) {
		return nil, false
	}
	outs = m.StartOutputs(i)
	if w.nodes[i].up {
		return outs, false
	}
	// Cut: in an initial world, every packet node i sent is one of its
	// Start step's sends, so their number says where the crash struck.
	k := 0
	for _, p := range w.net {
		if p.from == i {
			k++
		}
	}
	return cutOutputs(outs, k), true
}
