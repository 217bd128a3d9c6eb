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

// A Log is a value: appending returns a new one and leaves the old one as
// it was. Successive appends share one store; only a second successor of
// the same log (or a truncated one) copies.
func ExampleLog() {
	l := raft.LogOf(raft.Entry{Term: 1, Val: 1}, raft.Entry{Term: 1, Val: 2})
	a := l.Append(raft.Entry{Term: 2, Val: 3})                   // a successor of l
	b := l.Append(raft.Entry{Term: 2, Val: 4, Cmd: "put(k, v)"}) // another: copies l's entries; a is untouched
	fmt.Println(l, a, b, a.Slice(1, 3))
	// Output:
	// [v1@t1 v2@t1] [v1@t1 v2@t1 v3@t2] [v1@t1 v2@t1 v4@t2+9B] [v2@t1 v3@t2]
}
