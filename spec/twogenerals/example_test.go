package twogenerals_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/twogenerals"
)

// On a reliable link the order and its acknowledgement suffice; on a link
// that may lose one messenger, losing the last leaves one general alone.
func Example() {
	proto, err := twogenerals.New(twogenerals.Params{K: 2})
	if err != nil {
		panic(err)
	}
	for _, cfg := range []model.Config{{}, {Drops: 1}} {
		m, err := model.New(proto, cfg, proto.Workload(), twogenerals.Properties())
		if err != nil {
			panic(err)
		}
		res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
		if err != nil {
			panic(err)
		}
		fmt.Println(res.Status, res.Stats.States, "states")
		if v := res.Violation; v != nil {
			fmt.Println(v.Property+":", v.Reason)
			fmt.Print(v.Path)
		}
	}
	// Output:
	// ok 5 states
	// violated 7 states
	// agreement: B attacks alone: A received 0 of the messengers and waits for one that will never come
	//   1. request n0 plan(attack)
	//   2. deliver n0→n1 Messenger1
	//   3. drop n1→n0 Messenger2
}
