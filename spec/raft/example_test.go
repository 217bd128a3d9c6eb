package raft_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/raft"
)

// With a quorum of ⌊n/2⌋ votes — one of three — two candidates each
// elect themselves in the same term.
func Example() {
	p := raft.DefaultParams()
	p.Mutant = "floor-half-quorum"
	proto, err := raft.New(p)
	if err != nil {
		panic(err)
	}
	m, err := model.New(proto, model.Config{Network: model.FIFO}, proto.Workload(), raft.Properties())
	if err != nil {
		panic(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, res.Violation.Property+":", res.Violation.Reason)
	fmt.Print(res.Violation.Path)
	// Output:
	// violated election-safety: n0 and n1 both became leader of term 1
	//   1. fire n0 election
	//   2. fire n1 election
}
