package spanner_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/spanner"
)

// Every interleaving of two writers and a snapshot, over real time 0..4
// with every clock error in ±ε: the properties hold, and a commit wait
// across a tick, a snapshot that sees a dependent transaction and one
// that leaves out a newer version all happen.
func Example() {
	sp, _ := spanner.New(spanner.DefaultParams())
	res, _ := explore.Check[state, action](sp, properties(sp), explore.Options{Workers: 1})
	fmt.Println(res.Status, res.Stats.States, "states")
	for _, w := range res.Sometimes {
		fmt.Println(w.Property, "reached in", w.Path.Len(), "steps")
	}
	// Output:
	// ok 7360 states
	// commit-waited reached in 4 steps
	// snapshot-after-dependency reached in 11 steps
	// snapshot-left-out-newer reached in 5 steps
}

// Without the commit wait, T1 is acknowledged as soon as it takes its
// timestamp, and T2, started after it, can take the same one.
func Example_noCommitWait() {
	p := spanner.DefaultParams()
	p.Mutant = spanner.MutNoCommitWait
	sp, _ := spanner.New(p)
	res, _ := explore.Check[state, action](sp, properties(sp), explore.Options{Workers: 1})
	fmt.Println(res.Status, res.Violation.Property)
	for _, st := range res.Violation.Path.Steps {
		fmt.Println(st.Label)
	}
	fmt.Println(res.Violation.Reason)
	// Output:
	// violated external-consistency
	// T1 starts at real time 0
	// T1 commits at real time 0: clock -1 (error -1), TT.now() = [-2, 0], ts = 0
	// T1 acknowledged at real time 0 without commit wait (ts 0)
	// T2 starts at real time 0
	// T2 reads x at real time 0: T1's version (ts 0)
	// T2 commits at real time 0: clock -1 (error -1), TT.now() = [-2, 0], ts = 0
	// T1 was visible before T2 started, but ts(T1) = 0 ≥ ts(T2) = 0
}
