package byzantine_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/byzantine"
)

// One traitor among four generals is outvoted wherever it sits; among
// three, a silent traitorous lieutenant ties the vote against a loyal
// commander.
func Example() {
	run := func(n, traitor int) explore.Result[*model.World[byzantine.State, byzantine.Msg], model.Action] {
		proto, err := byzantine.New(byzantine.Params{N: n})
		if err != nil {
			panic(err)
		}
		m, err := model.New(proto, model.Config{Byzantine: 1 << traitor}, proto.Workload(), byzantine.Properties())
		if err != nil {
			panic(err)
		}
		res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
		if err != nil {
			panic(err)
		}
		return res
	}
	for traitor := range 4 {
		res := run(4, traitor)
		fmt.Printf("n=4 traitor n%d: %s, %d states\n", traitor, res.Status, res.Stats.States)
	}
	res := run(3, 2)
	fmt.Printf("n=3 traitor n2: %s %s: %s\n", res.Status, res.Violation.Property, res.Violation.Reason)
	fmt.Print(res.Violation.Path)
	// Output:
	// n=4 traitor n0: ok, 21952 states
	// n=4 traitor n1: ok, 10100 states
	// n=4 traitor n2: ok, 10100 states
	// n=4 traitor n3: ok, 10100 states
	// n=3 traitor n2: violated validity: the loyal commander ordered attack but loyal n1 decides retreat (n = 3 < 3f+1 = 4 with traitor n2: too few generals to outvote a traitor)
	//   1. request n0 command(attack)
	//   2. deliver n0→n2 Order(attack) (read by byzantine n2)
	//   3. deliver n0→n1 Order(attack)
	//   4. deliver n1→n2 Relay(attack) (read by byzantine n2)
}
