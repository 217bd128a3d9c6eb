package clocks_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/clocks"
)

// Check Lamport and vector clocks exhaustively against true
// happens-before, then break the receive rule and see the checker object.
func Example() {
	for _, mutant := range []string{"", "lamport-no-max"} {
		p := clocks.DefaultParams()
		p.Mutant = mutant
		proto, err := clocks.New(p)
		if err != nil {
			panic(err)
		}
		m, err := model.New(proto, model.Config{}, proto.Workload(), clocks.Properties())
		if err != nil {
			panic(err)
		}
		res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
		if err != nil {
			panic(err)
		}
		fmt.Printf("mutant %q: %s after %d states\n", mutant, res.Status, res.Stats.States)
		if v := res.Violation; v != nil {
			fmt.Printf("%s: %s\n%s", v.Property, v.Reason, v.Path)
		}
	}
	// Output:
	// mutant "": ok after 44171 states
	// mutant "lamport-no-max": violated after 9 states
	// lamport-consistent: n0 send→n1 L=1 V=⟨1,0⟩ happened before n1 receive←n0 L=1 V=⟨1,1⟩, but L=1 is not less than L=1
	//   1. request n0 send→n1
	//   2. deliver n0→n1 L=1 V=⟨1,0⟩
}
