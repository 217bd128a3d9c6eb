package model

import (
	"encoding/binary"
	"fmt"

	"github.com/distsys/distsys/explore"
)

// LiveProperty is a liveness property over worlds ("eventually, for ever,
// nothing bad"): violated by a fair loop through a state Bad describes.
type LiveProperty[S, M any] struct {
	Name, Doc string
	// Bad describes why w is a bad state, or returns "".
	Bad func(w *World[S, M]) string
}

// Lasso turns the liveness properties of a model into invariants of a
// bigger transition system, the liveness-to-safety construction (Biere,
// Artho and Schuppan): a state is a world, and once a loop has begun, the
// fingerprint of the world where it began, the fairness classes enabled
// in some world of the loop so far, and those taken in it. A loop may
// begin at any world reached in a bad state (one liveness property's bad
// holds); it closes when the world comes back. A loop is fair (strong
// fairness) when every class enabled somewhere in it is also taken in it:
// every message that could be delivered is, every timer that could fire
// does, stabilisation comes. A fair loop through a bad world can be
// repeated for ever, which violates the property. Breadth-first search
// then finds the shortest such lasso, as it finds the shortest path to any
// bad state.
//
// Faults and stabilisation are left out of loops: their budgets and flags
// only grow, so a loop that takes one can never close.
type Lasso[S, M any] struct {
	m    *Model[S, M]
	live []LiveProperty[S, M]
	// class gives the fairness class of a non-fault step in w, 0..63, or
	// -1 for a step no fairness asks for.
	class func(w *World[S, M], a Action) int
}

// LoopState is a state of the lasso system.
type LoopState[S, M any] struct {
	w *World[S, M]
	// open: a loop has begun; moved: it has taken a step.
	open, moved bool
	// start is the fingerprint of the world where the loop began.
	start uint64
	// enabled and taken hold the classes enabled in some world of the
	// loop so far (the worlds it has left), and those it has taken.
	enabled, taken uint64
}

// LoopAction is a step of the lasso system: a step of the model, which may
// begin the loop.
type LoopAction struct {
	// Action is the model's step.
	Action Action
	// Begin marks the step after which the loop begins.
	Begin bool
}

// NewLasso wraps m for checking the liveness properties live: classes is
// the number of fairness classes (at most 64), and class gives the class
// of a non-fault step in a world, or -1 for a step no fairness asks for.
// Explore the result with the properties that Properties returns.
func NewLasso[S, M any](m *Model[S, M], live []LiveProperty[S, M], classes int, class func(*World[S, M], Action) int) (*Lasso[S, M], error) {
	if classes < 0 || classes > 64 {
		return nil, fmt.Errorf("lasso: %d fairness classes, want at most 64", classes)
	}
	return &Lasso[S, M]{m: m, live: live, class: class}, nil
}

// Init wraps the model's initial worlds.
func (l *Lasso[S, M]) Init() []LoopState[S, M] {
	var out []LoopState[S, M]
	for _, w := range l.m.Init() {
		out = append(out, LoopState[S, M]{w: w})
	}
	return out
}

// Next yields the model's steps from s.w. Before a loop has begun, each
// step into a bad world is yielded twice: as it is, and with the loop
// beginning there. Inside a loop, faults and stabilisation are left out.
func (l *Lasso[S, M]) Next(s LoopState[S, M], yield func(LoopAction, LoopState[S, M], bool)) {
	edges := explore.Edges[*World[S, M], Action](l.m, s.w, nil)
	if !s.open {
		for _, e := range edges {
			yield(LoopAction{Action: e.Action}, LoopState[S, M]{w: e.State}, e.Fault)
			if l.bad(e.State) {
				yield(LoopAction{Action: e.Action, Begin: true}, LoopState[S, M]{w: e.State, open: true, start: l.m.Fingerprint(e.State)}, e.Fault)
			}
		}
		return
	}
	var enabled uint64
	for _, e := range edges {
		if !e.Fault {
			if c := l.class(s.w, e.Action); c >= 0 {
				enabled |= 1 << c
			}
		}
	}
	for _, e := range edges {
		if e.Fault || e.Action.Kind == Stabilize {
			continue
		}
		next := LoopState[S, M]{w: e.State, open: true, moved: true, start: s.start, enabled: s.enabled | enabled, taken: s.taken}
		if c := l.class(s.w, e.Action); c >= 0 {
			next.taken |= 1 << c
		}
		yield(LoopAction{Action: e.Action}, next, false)
	}
}

func (l *Lasso[S, M]) bad(w *World[S, M]) bool {
	for _, p := range l.live {
		if p.Bad(w) != "" {
			return true
		}
	}
	return false
}

// Fingerprint combines the world's with the loop's bookkeeping.
func (l *Lasso[S, M]) Fingerprint(s LoopState[S, M]) uint64 {
	h := l.m.Fingerprint(s.w)
	if !s.open {
		return h
	}
	flags := uint64(1)
	if s.moved {
		flags |= 2
	}
	return explore.Combine(explore.Combine(explore.Combine(explore.Combine(h, flags), s.start), s.enabled), s.taken)
}

// Label is the model's label, marked where the loop begins.
func (l *Lasso[S, M]) Label(s LoopState[S, M], a LoopAction) string {
	label := l.m.Label(s.w, a.Action)
	if a.Begin {
		label += " ⟲ loop begins"
	}
	return label
}

// closed reports whether s closes a fair loop.
func (l *Lasso[S, M]) closed(s LoopState[S, M]) bool {
	return s.open && s.moved && s.enabled&^s.taken == 0 && l.m.Fingerprint(s.w) == s.start
}

// Properties returns the liveness properties as invariants of the lasso
// system, then the model's own properties lifted to it (which must not be
// at-quiescence: the lasso system has no quiescent states of its own).
func (l *Lasso[S, M]) Properties() ([]explore.Property[LoopState[S, M], LoopAction], error) {
	var out []explore.Property[LoopState[S, M], LoopAction]
	for _, p := range l.live {
		bad := p.Bad
		out = append(out, explore.Invariant[LoopState[S, M], LoopAction](p.Name, func(s LoopState[S, M]) error {
			if !l.closed(s) {
				return nil
			}
			if why := bad(s.w); why != "" {
				return fmt.Errorf("%s in a loop the execution may go round for ever: from the step marked ⟲ it comes back to the same state, fairly (every step enabled somewhere in the loop is taken in it)", why)
			}
			return nil
		}))
	}
	for _, p := range l.m.Properties() {
		switch p.Kind {
		case explore.Always:
			check := p.State
			out = append(out, explore.Invariant[LoopState[S, M], LoopAction](p.Name, func(s LoopState[S, M]) error { return check(s.w) }))
		case explore.OnTransition:
			check := p.Step
			out = append(out, explore.TransitionInvariant(p.Name, func(from LoopState[S, M], a LoopAction, to LoopState[S, M]) error {
				return check(from.w, a.Action, to.w)
			}))
		case explore.Sometimes:
			reach := p.Reach
			out = append(out, explore.Reachable[LoopState[S, M], LoopAction](p.Name, func(s LoopState[S, M]) bool { return reach(s.w) }))
		default:
			return nil, fmt.Errorf("lasso: property %s is %s, which a lasso check does not evaluate", p.Name, p.Kind)
		}
	}
	return out, nil
}

// World is the model's world in s.
func (s LoopState[S, M]) World() *World[S, M] { return s.w }

// Model is the model the lasso system wraps.
func (l *Lasso[S, M]) Model() *Model[S, M] { return l.m }

// WorldPath projects a path of the lasso system onto the model's worlds,
// keeping the lasso's labels and edge ordinals (so the trace replays
// through the lasso system, loop mark included).
func WorldPath[S, M any](p explore.Path[LoopState[S, M], LoopAction]) explore.Path[*World[S, M], Action] {
	out := explore.Path[*World[S, M], Action]{Init: p.Init.w, InitIndex: p.InitIndex}
	for _, st := range p.Steps {
		out.Steps = append(out.Steps, explore.PathStep[*World[S, M], Action]{
			Action: st.Action.Action, Label: st.Label, State: st.State.w, Fault: st.Fault, Edge: st.Edge,
		})
	}
	return out
}

// Pack appends the compact encoding of s: the world as the model packs it,
// then the loop's flags, start, enabled and taken. With Unpack it makes
// the lasso system an explore.Packer, so its frontier waits as bytes too.
func (l *Lasso[S, M]) Pack(dst []byte, s LoopState[S, M]) []byte {
	dst = l.m.Pack(dst, s.w)
	dst = append(dst, byte(b2u(s.open)|b2u(s.moved)<<1))
	if s.open {
		dst = binary.LittleEndian.AppendUint64(dst, s.start)
		dst = binary.AppendUvarint(dst, s.enabled)
		dst = binary.AppendUvarint(dst, s.taken)
	}
	return dst
}

// Unpack builds back the state Pack encoded.
func (l *Lasso[S, M]) Unpack(b []byte) LoopState[S, M] {
	// The loop's part is at the end and short; find where the world ends
	// by reading the world's own encoding.
	w, rest := l.m.unpack(b)
	s := LoopState[S, M]{w: w}
	flags := rest[0]
	s.open, s.moved = flags&1 != 0, flags&2 != 0
	if s.open {
		r := reader{b: rest[1:]}
		s.start = r.fixed()
		s.enabled = r.uint()
		s.taken = r.uint()
	}
	return s
}

// MemBytes is the model's intern tables' memory.
func (l *Lasso[S, M]) MemBytes() int64 { return l.m.MemBytes() }
