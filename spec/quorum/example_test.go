package quorum_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/quorum"
)

// Check the default register (three replicas, majority quorums, one write
// and one read) exhaustively under a reliable, reordering network.
func Example() {
	proto, err := quorum.New(quorum.DefaultParams())
	if err != nil {
		panic(err)
	}
	m, err := model.New(proto, model.Config{}, proto.Workload(), proto.Checked())
	if err != nil {
		panic(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, res.Stats.States, "states")
	for _, w := range res.Sometimes {
		fmt.Println(w.Property, w.Reached)
	}
	// Output:
	// ok 3409 states
	// write-completes true
	// read-after-write-happens true
	// stale-replica-repaired true
}

// With w = 1 and r = 2 of three replicas, a read quorum can miss the one
// replica a write reached.
func Example_staleRead() {
	proto, err := quorum.New(quorum.Params{N: 3, W: 1, R: 2, Writes: 1, Reads: 1})
	if err != nil {
		panic(err)
	}
	m, err := model.New(proto, model.Config{}, proto.Workload(), proto.Checked())
	if err != nil {
		panic(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	v := res.Violation
	fmt.Println(res.Status, v.Property+":", v.Reason)
	fmt.Print(v.Path)
	// Output:
	// violated read-after-write: read 1 started after write ts=1 v=1 completed but returned ts=0 v=0
	//   1. request n3 write(v=1)
	//   2. deliver n3→n2 Write(ts=1,v=1)
	//   3. deliver n2→n3 Ack(ts=1)
	//   4. request n4 read(id=1)
	//   5. deliver n4→n0 Read(id=1)
	//   6. deliver n0→n4 Reply(id=1,ts=0,v=0)
	//   7. deliver n4→n1 Read(id=1)
	//   8. deliver n1→n4 Reply(id=1,ts=0,v=0)
}

func ExampleIntersect() {
	fmt.Println(quorum.Intersect(3, 2, 2), quorum.Intersect(3, 1, 2), quorum.Intersect(5, 3, 3))
	// Output: true false true
}
