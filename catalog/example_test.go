package catalog_test

import (
	"fmt"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
)

// Check a protocol by name, as the CLI does.
func Example() {
	e, err := catalog.Lookup("twophase")
	if err != nil {
		panic(err)
	}
	rep, err := e.Check(catalog.Run{Params: map[string]int{"n": 4}, Options: explore.Options{Workers: 1}})
	if err != nil {
		panic(err)
	}
	fmt.Println(rep.Status, rep.Stats.States, "states")
	rep, _ = e.Check(catalog.Run{Mutant: "commit-without-prepared", Options: explore.Options{Workers: 1}})
	fmt.Println(rep.Status, rep.Property, len(rep.Trace.Steps()), "steps")
	// Output:
	// ok 1568 states
	// violated consistent 3 steps
}
