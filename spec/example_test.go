package spec_test

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Vector clocks order events by happens-before: a receive merges the
// sender's clock and ticks its own entry.
func ExampleVClock() {
	a := spec.VClock{0, 0}.Tick(0) // node 0 sends: ⟨1,0⟩
	b := spec.VClock{0, 0}.Tick(1) // node 1 does a local event: ⟨0,1⟩
	c := b.Merge(a).Tick(1)        // node 1 receives the message: ⟨1,2⟩
	fmt.Println(a, b, c)
	fmt.Println(a.Less(c), a.Concurrent(b), c.Less(a))
	// Output:
	// ⟨1,0⟩ ⟨0,1⟩ ⟨1,2⟩
	// true true false
}
