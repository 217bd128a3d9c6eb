package spec_test

import (
	"testing"

	"github.com/distsys/distsys/spec"
)

// A mutant is found by name; "" is none; an unknown name is an error that
// names the protocol, the field and every mutant known.
func TestMutantNamed(t *testing.T) {
	type mutant uint8
	mutants := []spec.Mutant{{Name: "a"}, {Name: "b"}}
	of := map[string]mutant{"a": 1, "b": 2}
	for name, want := range map[string]mutant{"": 0, "a": 1, "b": 2} {
		if got, err := spec.MutantNamed("p", name, mutants, of); got != want || err != nil {
			t.Errorf("%q: %v, %v; want %v", name, got, err, want)
		}
	}
	_, err := spec.MutantNamed("p", "c", mutants, of)
	if err == nil || err.Error() != `p: Mutant = "c", want "" or one of a, b` {
		t.Errorf("unknown: %v", err)
	}
}

// Out collects a step's effects in order; SendAll skips the nodes named
// and keeps node order.
func TestOutCollectsEffectsInOrder(t *testing.T) {
	var out spec.Out[string]
	out.SendAll(4, "m", 1, 3)
	out.Send(2, "x")
	out.SetTimer(7)
	out.CancelTimer(8)
	out.Observe("seen")
	want := []spec.Output[string]{
		spec.SendTo(spec.NodeID(0), "m"), spec.SendTo(spec.NodeID(2), "m"), spec.SendTo(spec.NodeID(2), "x"),
		spec.SetTimerOut[string](7), spec.CancelTimerOut[string](8), spec.Emit("seen"),
	}
	var got []spec.Output[string] = out
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
