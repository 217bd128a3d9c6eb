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
