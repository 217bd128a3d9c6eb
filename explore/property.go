package explore

import "fmt"

// Kind says when a property is evaluated.
type Kind uint8

const (
	// Always properties must hold in every reachable state.
	Always Kind = iota
	// OnTransition properties must hold for every transition taken, old and
	// new states alike (for example: a counter never decreases).
	OnTransition
	// AtQuiescence properties must hold in every reachable state in which no
	// non-fault transition changes the state (for example: every correct
	// node delivered every message).
	AtQuiescence
	// Sometimes properties must hold in at least one reachable state. They
	// show that the paths the other properties speak about are reached: a
	// check that passes because nothing ever happens proves nothing.
	Sometimes
)

var kindNames = [...]string{"always", "on-transition", "at-quiescence", "sometimes"}

// String returns the kind's name as the CLI prints it.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Property is a named property of a System. Exactly one of its functions is
// set, according to Kind; use the constructors Invariant, TransitionInvariant,
// QuiescentInvariant and Reachable.
type Property[S, A any] struct {
	Name string
	Kind Kind
	// State checks one state (Always, AtQuiescence). A non-nil error is a
	// violation and its text says why.
	State func(s S) error
	// Step checks one transition (OnTransition).
	Step func(from S, a A, to S) error
	// Reach reports whether s is a witness (Sometimes).
	Reach func(s S) bool
}

// Invariant returns a property that must hold in every reachable state.
func Invariant[S, A any](name string, check func(S) error) Property[S, A] {
	return Property[S, A]{Name: name, Kind: Always, State: check}
}

// TransitionInvariant returns a property that must hold on every transition.
func TransitionInvariant[S, A any](name string, check func(from S, a A, to S) error) Property[S, A] {
	return Property[S, A]{Name: name, Kind: OnTransition, Step: check}
}

// QuiescentInvariant returns a property that must hold in every quiescent
// reachable state.
func QuiescentInvariant[S, A any](name string, check func(S) error) Property[S, A] {
	return Property[S, A]{Name: name, Kind: AtQuiescence, State: check}
}

// Reachable returns a property that some reachable state must satisfy.
func Reachable[S, A any](name string, reach func(S) bool) Property[S, A] {
	return Property[S, A]{Name: name, Kind: Sometimes, Reach: reach}
}

// validate reports the first malformed property.
func validateProperties[S, A any](props []Property[S, A]) error {
	seen := make(map[string]bool, len(props))
	for _, p := range props {
		if p.Name == "" {
			return fmt.Errorf("explore: property with empty name")
		}
		if seen[p.Name] {
			return fmt.Errorf("explore: property %q given twice", p.Name)
		}
		seen[p.Name] = true
		ok := false
		switch p.Kind {
		case Always, AtQuiescence:
			ok = p.State != nil
		case OnTransition:
			ok = p.Step != nil
		case Sometimes:
			ok = p.Reach != nil
		default:
			return fmt.Errorf("explore: property %q has unknown kind %d", p.Name, p.Kind)
		}
		if !ok {
			return fmt.Errorf("explore: property %q of kind %s has no check function", p.Name, p.Kind)
		}
	}
	return nil
}

// propertySet splits properties by kind for the hot loop.
type propertySet[S, A any] struct {
	all                                      []Property[S, A]
	always, quiescent, transition, sometimes []Property[S, A]
	// sometimesIndex maps a sometimes property to its slot in Result.Sometimes.
}

func splitProperties[S, A any](props []Property[S, A]) propertySet[S, A] {
	ps := propertySet[S, A]{all: props}
	for _, p := range props {
		switch p.Kind {
		case Always:
			ps.always = append(ps.always, p)
		case AtQuiescence:
			ps.quiescent = append(ps.quiescent, p)
		case OnTransition:
			ps.transition = append(ps.transition, p)
		case Sometimes:
			ps.sometimes = append(ps.sometimes, p)
		}
	}
	return ps
}
