package kv_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/kv"
)

// A read answered from the follower's own store, without the log, misses
// a put that was already committed and answered: no sequential order
// explains the two replies.
func Example() {
	p := kv.DefaultParams()
	p.Mutant = "local-read"
	proto, err := kv.New(p)
	if err != nil {
		panic(err)
	}
	m, err := model.New(proto, model.Config{Network: model.FIFO}, proto.Workload(), kv.Properties(proto)[:2])
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
	// violated linearizable: no sequential order explains the replies: #1 put(k0, 1)→ok #2 get(k0)→0
	//   1. fire n0 election
	//   2. deliver n0→n1 VoteRequest(t1 len=0 last=t0)
	//   3. request n0 request #1 put(k0, 1)
	//   4. deliver n1→n0 VoteResponse(t1 granted)
	//   5. deliver n0→n1 LogRequest(t1 prefix=0/t0 commit=0 [v1@t1])
	//   6. deliver n1→n0 LogResponse(t1 ack=1)
	//   7. request n1 request #2 get(k0)
}
