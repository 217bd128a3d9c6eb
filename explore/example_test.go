package explore_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
)

// Explore a 4×4 grid of points moving right or up, with a forbidden point.
func Example() {
	forbidden := explore.Invariant[point, move]("avoid-2-1", func(p point) error {
		if p == (point{2, 1}) {
			return fmt.Errorf("stepped on %d,%d", p.x, p.y)
		}
		return nil
	})
	res, err := explore.Check[point, move](grid{k: 3}, []explore.Property[point, move]{forbidden}, explore.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, res.Violation.Property+":", res.Violation.Reason)
	fmt.Print(res.Violation.Path)

	res, _ = explore.Check[point, move](grid{k: 3}, nil, explore.Options{})
	fmt.Println(res.Status, res.Stats.States, "states", res.Stats.Transitions, "transitions, depth", res.Stats.MaxDepth)
	// Output:
	// violated avoid-2-1: stepped on 2,1
	//   1. right from 0,0
	//   2. right from 1,0
	//   3. up from 2,0
	// ok 16 states 25 transitions, depth 6
}
