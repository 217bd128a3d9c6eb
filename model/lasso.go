package model

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec"
)

// Lasso turns the liveness properties of a model (spec.Eventually,
// spec.LeadsTo, spec.EventuallyAlways) into invariants of a bigger
// transition system — the liveness-to-safety construction of Biere,
// Artho and Schuppan — so that breadth-first search finds the shortest
// counterexample, a lasso: a path (the stem) into a loop the execution
// may go round for ever.
//
// A state of the lasso system is a world of the model with
//   - pending: the Eventually and LeadsTo properties whose goal is owed
//     (an Eventually property from the start until its goal holds; a
//     LeadsTo property from a state where its trigger holds until one
//     where its goal holds);
//   - once a loop has begun (a step marked ⟲ loop begins): the
//     fingerprint of the world where it began, the properties the loop
//     may still violate (the pending ones whose goal has not held since,
//     and the EventuallyAlways ones whose goal fails where it began), and
//     the fairness obligations the loop still owes (see spec.Fairness):
//     among those of the world where it began, every message still in
//     flight and not delivered since, every timer still armed and not
//     fired, cancelled or set since, every node still with a choice that
//     has not made one since. Obligations are kept as a bit set over the
//     current world's own list of them, carried from world to world.
//
// A loop closes when the world where it began comes back. It is fair for
// a property when none of the obligations it still owes is of a kind the
// property's fairness asks for: an obligation still owed at the end was
// owed in every world of the loop, and the loop repeated for ever would
// put it off for ever. A fair loop that a property may still violate is
// its counterexample. A loop may close at once, with no step, in a world
// that owes nothing: an execution that stops there, for ever, is fair.
//
// Loops take no fault step and no stabilisation: faults are finite and
// stabilisation comes, so in every fair execution they stop; under
// partial synchrony a loop begins only once the world is stable. A loop
// begins on a step, so a lasso whose loop is an initial world standing
// still (no step at all) is not considered.
type Lasso[S, M any] struct {
	m    *Model[S, M]
	live []spec.Property[S, M]
	// always marks the EventuallyAlways properties, owes the others.
	always, owes uint64
	// fair[i] is the obligation kinds property i's fairness asks for.
	fair []uint8

	overflow sync.Once
	tooMany  error
}

// LoopState is a state of the lasso system.
type LoopState[S, M any] struct {
	w *World[S, M]
	// pending: the Eventually and LeadsTo properties whose goal is owed
	// (before a loop begins; once it has, watch keeps them).
	pending uint64
	// open: a loop has begun.
	open bool
	// start is the fingerprint of the world where the loop began.
	start uint64
	// watch: the properties the loop may still violate.
	watch uint64
	// owed: the obligations still owed, as bits over obligations(w).
	owed uint64
}

// LoopAction is a step of the lasso system: a step of the model, which may
// begin the loop.
type LoopAction struct {
	// Action is the model's step.
	Action Action
	// Begin marks the step after which the loop begins.
	Begin bool
}

// NewLasso wraps m for checking its liveness properties (at most 64).
// Explore the result with the properties that Properties returns.
func NewLasso[S, M any](m *Model[S, M]) (*Lasso[S, M], error) {
	if m.cfg.Symmetry {
		// A loop closes on the world's fingerprint, the least over
		// renamings, while the obligations it owes are listed in the
		// world's own node order: not canonical.
		return nil, fmt.Errorf("lasso: symmetry does not go with liveness properties (a loop's fairness obligations are not kept per orbit)")
	}
	l := &Lasso[S, M]{m: m}
	for _, p := range m.props {
		if !p.Kind.Live() {
			continue
		}
		i := len(l.live)
		if i == 64 {
			return nil, fmt.Errorf("lasso: more than 64 liveness properties")
		}
		if p.Kind == spec.EventuallyAlways {
			l.always |= 1 << i
		} else {
			l.owes |= 1 << i
		}
		l.live = append(l.live, p)
		l.fair = append(l.fair, uint8(p.Fairness))
	}
	return l, nil
}

// Init wraps the model's initial worlds; an Eventually property whose goal
// fails there is pending from the start, and so is a LeadsTo property
// whose trigger holds there and goal fails.
func (l *Lasso[S, M]) Init() []LoopState[S, M] {
	var out []LoopState[S, M]
	var eventually uint64
	for i, p := range l.live {
		if p.Kind == spec.Eventually {
			eventually |= 1 << i
		}
	}
	for _, w := range l.m.Init() {
		out = append(out, LoopState[S, M]{w: w, pending: l.advance(eventually, w)})
	}
	return out
}

// advance updates the pending properties for a step into w: a goal that
// holds discharges its property; a trigger, with the goal failing, makes
// a LeadsTo property pending.
func (l *Lasso[S, M]) advance(pending uint64, w *World[S, M]) uint64 {
	for i, p := range l.live {
		if l.owes&(1<<i) == 0 || (p.Kind == spec.Eventually && pending&(1<<i) == 0) {
			continue
		}
		if p.Kind == spec.LeadsTo && pending&(1<<i) == 0 && !p.Trigger(w) {
			continue
		}
		if p.State(w) == nil {
			pending &^= 1 << i
		} else {
			pending |= 1 << i
		}
	}
	return pending
}

// Next yields the model's steps. Before a loop has begun, every step is
// yielded as it is and, into a world where a loop may violate a property,
// once more with the loop beginning there. Inside a loop, faults and
// stabilisation are left out, and so are steps after which the loop can
// violate nothing any more.
func (l *Lasso[S, M]) Next(s LoopState[S, M], yield func(LoopAction, LoopState[S, M], bool)) {
	edges := explore.Edges[*World[S, M], Action](l.m, s.w, nil)
	if !s.open {
		for _, e := range edges {
			pending := l.advance(s.pending, e.State)
			yield(LoopAction{Action: e.Action}, LoopState[S, M]{w: e.State, pending: pending}, e.Fault)
			if l.m.cfg.PartialSync && !e.State.stable {
				continue
			}
			if watch := pending | l.failing(e.State); watch != 0 {
				owed, ok := l.allOwed(e.State)
				if !ok {
					continue
				}
				// Once a loop has begun, what is pending is in watch.
				yield(LoopAction{Action: e.Action, Begin: true}, LoopState[S, M]{
					w: e.State, open: true, start: l.m.Fingerprint(e.State), watch: watch, owed: owed,
				}, e.Fault)
			}
		}
		return
	}
	var obls []obligation
	for _, e := range edges {
		if e.Fault || e.Action.Kind == Stabilize {
			continue
		}
		watch := s.watch
		for i, p := range l.live {
			if watch&l.owes&(1<<i) != 0 && p.State(e.State) == nil {
				watch &^= 1 << i
			}
		}
		if watch == 0 {
			continue
		}
		if obls == nil && s.owed != 0 {
			obls = l.obligations(s.w)
		}
		owed, ok := l.carry(s.w, obls, s.owed, e.Action, e.State)
		if !ok {
			continue
		}
		yield(LoopAction{Action: e.Action}, LoopState[S, M]{
			w: e.State, open: true, start: s.start, watch: watch, owed: owed,
		}, false)
	}
}

// failing is the set of EventuallyAlways properties whose goal fails in w.
func (l *Lasso[S, M]) failing(w *World[S, M]) uint64 {
	var out uint64
	for i, p := range l.live {
		if l.always&(1<<i) != 0 && p.State(w) != nil {
			out |= 1 << i
		}
	}
	return out
}

// Fingerprint combines the world's with the lasso's bookkeeping.
func (l *Lasso[S, M]) Fingerprint(s LoopState[S, M]) uint64 {
	h := l.m.Fingerprint(s.w)
	if !s.open && s.pending == 0 {
		return h
	}
	h = explore.Combine(explore.Combine(h, 1+b2u64(s.open)), s.pending)
	if !s.open {
		return h
	}
	return explore.Combine(explore.Combine(explore.Combine(h, s.start), s.watch), s.owed)
}

func b2u64(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// Label is the model's label, marked where the loop begins.
func (l *Lasso[S, M]) Label(s LoopState[S, M], a LoopAction) string {
	label := l.m.Label(s.w, a.Action)
	if a.Begin {
		label += " ⟲ loop begins"
	}
	return label
}

// closed reports whether s closes a loop: its world is the one where the
// loop began.
func (l *Lasso[S, M]) closed(s LoopState[S, M]) bool {
	return s.open && l.m.Fingerprint(s.w) == s.start
}

// Properties returns the liveness properties as invariants of the lasso
// system, then the model's other properties lifted to it (which must not
// be at-quiescence: the lasso system has no quiescent states of its own).
func (l *Lasso[S, M]) Properties() ([]explore.Property[LoopState[S, M], LoopAction], error) {
	var out []explore.Property[LoopState[S, M], LoopAction]
	for i, p := range l.live {
		bit := uint64(1) << i
		out = append(out, explore.Invariant[LoopState[S, M], LoopAction](p.Name, func(s LoopState[S, M]) error {
			if s.watch&bit == 0 || !l.closed(s) || !l.fairFor(i, s) {
				return nil
			}
			return l.violation(i, s)
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

// violation says why the closed loop s violates live property i.
func (l *Lasso[S, M]) violation(i int, s LoopState[S, M]) error {
	p := l.live[i]
	loop := "from the step marked ⟲ it comes back to the same state, or stays there"
	fair := fmt.Sprintf("fairly for %s (%s)", p.Fairness, fairText(p.Fairness))
	goal := p.State(s.w)
	switch p.Kind {
	case spec.Eventually:
		return fmt.Errorf("%v, and so it stays for ever: %s, %s, and the goal never held", goal, loop, fair)
	case spec.LeadsTo:
		return fmt.Errorf("%v, and so it stays for ever after the trigger: %s, %s, and the goal has not held since the trigger", goal, loop, fair)
	}
	return fmt.Errorf("%v in a loop the execution may go round for ever: %s, %s", goal, loop, fair)
}

// fairText says what a fair loop does under f.
func fairText(f spec.Fairness) string {
	var parts []string
	if f&spec.FairDelivery != 0 {
		parts = append(parts, "every message in flight is delivered")
	}
	if f&spec.FairTimers != 0 {
		parts = append(parts, "every timer left armed fires")
	}
	if f&spec.FairChoices != 0 {
		parts = append(parts, "every node with a choice makes one")
	}
	if len(parts) == 0 {
		return "no step is owed"
	}
	out := parts[0]
	for k, p := range parts[1:] {
		if k == len(parts)-2 {
			out += " and " + p
		} else {
			out += ", " + p
		}
	}
	return out
}

// fairFor reports whether the loop s closes owes nothing property i's
// fairness asks for.
func (l *Lasso[S, M]) fairFor(i int, s LoopState[S, M]) bool {
	if s.owed == 0 {
		return true
	}
	for k, o := range l.obligations(s.w) {
		if s.owed&(1<<k) != 0 && l.fair[i]&uint8(o.kind) != 0 {
			return false
		}
	}
	return true
}

// Overflow returns an error if some world owed more fairness obligations
// than a loop can keep (64): no loop began there, so the check is not
// exhaustive and must not be reported as such.
func (l *Lasso[S, M]) Overflow() error { return l.tooMany }

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
// then the lasso's bookkeeping. With Unpack it makes the lasso system an
// explore.Packer, so its frontier waits as bytes too.
func (l *Lasso[S, M]) Pack(dst []byte, s LoopState[S, M]) []byte {
	dst = l.m.Pack(dst, s.w)
	dst = append(dst, byte(b2u(s.open)))
	dst = binary.AppendUvarint(dst, s.pending)
	if s.open {
		dst = binary.LittleEndian.AppendUint64(dst, s.start)
		dst = binary.AppendUvarint(dst, s.watch)
		dst = binary.AppendUvarint(dst, s.owed)
	}
	return dst
}

// Unpack builds back the state Pack encoded.
func (l *Lasso[S, M]) Unpack(b []byte) LoopState[S, M] {
	// The lasso's part is at the end and short; find where the world
	// ends by reading the world's own encoding.
	w, rest := l.m.unpack(b)
	s := LoopState[S, M]{w: w, open: rest[0]&1 != 0}
	r := reader{b: rest[1:]}
	s.pending = r.uint()
	if s.open {
		s.start = r.fixed()
		s.watch = r.uint()
		s.owed = r.uint()
	}
	return s
}

// MemBytes is the model's intern tables' memory.
func (l *Lasso[S, M]) MemBytes() int64 { return l.m.MemBytes() }
