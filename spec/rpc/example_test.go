package rpc_test

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/rpc"
)

// run checks params under cfg with the properties of its semantics.
func run(p rpc.Params, cfg model.Config) explore.Result[*model.World[rpc.State, rpc.Msg], model.Action] {
	proto, err := rpc.New(p)
	if err != nil {
		panic(err)
	}
	var props []spec.Property[rpc.State, rpc.Msg]
	for _, q := range rpc.Properties() {
		if slices.Contains(p.Semantics.Checked(), q.Name) {
			props = append(props, q)
		}
	}
	m, err := model.New(proto, cfg, proto.Workload(), props)
	if err != nil {
		panic(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	return res
}

// Exactly-once calls — retries, and a table of executed request ids at
// the server — survive a lost message, a duplicated one, and a server
// crash with recovery.
func Example() {
	for _, cfg := range []model.Config{
		{Drops: 1},
		{Dups: 1},
		{Crashes: 1, CrashMode: model.CrashRecover},
	} {
		res := run(rpc.DefaultParams(), cfg)
		fmt.Println(res.Status, res.Stats.States, "states")
	}
	// Output:
	// ok 279 states
	// ok 908 states
	// ok 2068 states
}

// At-least-once calls retry without a table: the timeout fires while the
// reply is on its way, and the increment is executed twice.
func Example_retryChargesTwice() {
	res := run(rpc.Params{Semantics: rpc.AtLeastOnce, Ops: 1, Retries: 1}, model.Config{})
	v := res.Violation
	fmt.Println(res.Status, v.Property+":", v.Reason)
	fmt.Print(v.Path)
	// Output:
	// violated at-most-once: call 1 took effect 2 times
	//   1. request n1 call(1)
	//   2. deliver n1→n0 Call(1 inc)
	//   3. fire n1 timeout
	//   4. deliver n1→n0 Call(1 inc)
}
