package twophase_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/twophase"
)

// Check two-phase commit with 3 resource managers, then its mutant.
func Example() {
	for _, mutant := range []string{"", "commit-without-prepared"} {
		sp, _ := twophase.New(3, mutant)
		props := []explore.Property[twophase.State, twophase.Action]{
			explore.Invariant[twophase.State, twophase.Action]("consistent", sp.Consistent),
		}
		res, _ := explore.Check[twophase.State, twophase.Action](sp, props, explore.Options{Workers: 1})
		fmt.Printf("mutant %q: %s, %d states\n", mutant, res.Status, res.Stats.States)
		if res.Violation != nil {
			fmt.Print(res.Violation.Reason, "\n", res.Violation.Path)
		}
	}
	// Output:
	// mutant "": ok, 288 states
	// mutant "commit-without-prepared": violated, 49 states
	// r2 committed while r1 aborted
	//   1. TMCommit
	//   2. RMChooseToAbort(r1)
	//   3. RMRcvCommitMsg(r2)
}
