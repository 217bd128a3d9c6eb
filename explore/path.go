package explore

import (
	"errors"
	"fmt"
)

// path rebuilds the execution that reaches at, by replaying successor
// ordinals from an initial state. Only ordinals are stored during the
// search (8 bytes a state); the states are recomputed here.
func (sr *search[S, A]) path(at ref) Path[S, A] {
	chain := at.chain
	if chain != nil && at.ord >= 0 {
		chain = append(chain[:len(chain):len(chain)], uint32(at.ord))
	}
	if chain == nil {
		var rev []uint32
		if at.ord >= 0 {
			rev = append(rev, uint32(at.ord))
		}
		i := at.idx
		for {
			parent, ord := sr.links.get(i)
			rev = append(rev, ord) // for an initial state, its index
			if parent == rootParent {
				break
			}
			i = parent
		}
		chain = make([]uint32, len(rev))
		for k := range rev {
			chain[k] = rev[len(rev)-1-k]
		}
	}
	p, err := Replay(sr.sys, chain)
	if err != nil {
		panic(err)
	}
	if got := sr.sys.Fingerprint(p.Last()); got != at.fp {
		panic(fmt.Sprintf("explore: System is not deterministic: replaying a recorded path of %d steps reached fingerprint %#x, recorded %#x", p.Len(), got, at.fp))
	}
	return p
}

// Replay rebuilds a path from its ordinals: chain[0] indexes sys.Init(),
// and each later entry indexes the edges Next returns in the state reached
// so far. It fails if an ordinal is out of range, which means the path was
// recorded against another system or a nondeterministic one.
func Replay[S, A any](sys System[S, A], chain []uint32) (Path[S, A], error) {
	var p Path[S, A]
	if len(chain) == 0 {
		return p, fmt.Errorf("explore: empty path")
	}
	inits := sys.Init()
	if int(chain[0]) >= len(inits) {
		return p, fmt.Errorf("explore: path starts at initial state %d of %d", chain[0], len(inits))
	}
	p.Init, p.InitIndex = inits[chain[0]], int(chain[0])
	s := p.Init
	var buf []Edge[S, A]
	for i, k := range chain[1:] {
		buf = Edges(sys, s, buf[:0])
		if int(k) >= len(buf) {
			return p, fmt.Errorf("explore: step %d takes edge %d of %d", i+1, k, len(buf))
		}
		e := buf[k]
		p.Steps = append(p.Steps, PathStep[S, A]{Action: e.Action, Label: sys.Label(s, e.Action), State: e.State, Fault: e.Fault, Edge: int(k)})
		s = e.State
	}
	return p, nil
}

// ReplayLabels rebuilds a path from its step labels, as a trace file stores
// them: at each step it takes the first edge whose label matches. It fails,
// naming the step, when no edge matches.
func ReplayLabels[S, A any](sys System[S, A], init int, labels []string) (Path[S, A], error) {
	var p Path[S, A]
	inits := sys.Init()
	if init < 0 || init >= len(inits) {
		return p, fmt.Errorf("explore: initial state %d of %d", init, len(inits))
	}
	p.Init, p.InitIndex = inits[init], init
	s := p.Init
	var buf []Edge[S, A]
	for i, want := range labels {
		buf = Edges(sys, s, buf[:0])
		found := false
		for k, e := range buf {
			if sys.Label(s, e.Action) == want {
				p.Steps = append(p.Steps, PathStep[S, A]{Action: e.Action, Label: want, State: e.State, Fault: e.Fault, Edge: k})
				s = e.State
				found = true
				break
			}
		}
		if !found {
			return p, fmt.Errorf("explore: step %d %q is not enabled in the state reached by the steps before it", i+1, want)
		}
	}
	return p, nil
}

// ErrNotQuiescent is what Recheck returns for an at-quiescence property
// on a path whose last state is not quiescent: the checker never
// evaluates the property there, so the path shows nothing about it.
var ErrNotQuiescent = errors.New("explore: the last state is not quiescent, and an at-quiescence property is evaluated only there")

// Quiescent reports whether no step of sys but a fault changes s: the
// states in which the explorer evaluates at-quiescence properties.
func Quiescent[S, A any](sys System[S, A], s S) bool {
	fp := sys.Fingerprint(s)
	for _, e := range Edges(sys, s, nil) {
		if !e.Fault && sys.Fingerprint(e.State) != fp {
			return false
		}
	}
	return true
}

// Recheck evaluates p where path ends, as the explorer would: an always
// property on its last state; an at-quiescence property on its last state
// if that state is quiescent in sys (ErrNotQuiescent if not); a
// transition property on its last step; a sometimes property as "is the
// last state a witness". It returns the property's error, or nil when it
// holds (for sometimes: when the witness is there).
func Recheck[S, A any](sys System[S, A], p Property[S, A], path Path[S, A]) error {
	switch p.Kind {
	case Always:
		return p.State(path.Last())
	case AtQuiescence:
		if !Quiescent(sys, path.Last()) {
			return ErrNotQuiescent
		}
		return p.State(path.Last())
	case OnTransition:
		if len(path.Steps) == 0 {
			return fmt.Errorf("explore: %s: a transition property needs a step", p.Name)
		}
		from := path.Init
		if len(path.Steps) > 1 {
			from = path.Steps[len(path.Steps)-2].State
		}
		last := path.Steps[len(path.Steps)-1]
		return p.Step(from, last.Action, last.State)
	case Sometimes:
		if !p.Reach(path.Last()) {
			return fmt.Errorf("explore: %s is not reached at the end of the path", p.Name)
		}
		return nil
	}
	return fmt.Errorf("explore: %s: unknown kind %d", p.Name, p.Kind)
}
