package explore

import (
	"errors"
	"testing"
)

// counter counts from 0 to 2; only at 2 is it quiescent.
type counter struct{}

func (counter) Init() []int { return []int{0} }
func (counter) Next(s int, yield func(string, int, bool)) {
	if s < 2 {
		yield("inc", s+1, false)
	}
	yield("reset", 0, true) // a fault: it does not make a state busy
}
func (counter) Fingerprint(s int) uint64     { return uint64(s) }
func (counter) Label(_ int, a string) string { return a }

func TestRecheckEvaluatesAtQuiescenceOnlyWhereTheCheckerDoes(t *testing.T) {
	p := QuiescentInvariant[int, string]("never-quiet", func(int) error { return errors.New("quiet") })
	short, err := ReplayLabels[int, string](counter{}, 0, []string{"inc"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Recheck[int, string](counter{}, p, short); !errors.Is(err, ErrNotQuiescent) {
		t.Fatalf("Recheck on a busy state = %v, want ErrNotQuiescent", err)
	}
	full, err := ReplayLabels[int, string](counter{}, 0, []string{"inc", "inc"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Recheck[int, string](counter{}, p, full); err == nil || errors.Is(err, ErrNotQuiescent) {
		t.Fatalf("Recheck on the quiescent state = %v, want the property's error", err)
	}
	res, err := Check[int, string](counter{}, []Property[int, string]{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Violated || res.Violation.Path.Len() != 2 {
		t.Fatalf("check: %v, want the violation at the quiescent state 2 steps in", res.Status)
	}
}
