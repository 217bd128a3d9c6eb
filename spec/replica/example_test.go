package replica_test

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/replica"
)

// run checks params under cfg with the properties of its store.
func run(p replica.Params, cfg model.Config) explore.Result[*model.World[replica.State, replica.Msg], model.Action] {
	proto, err := replica.New(p)
	if err != nil {
		panic(err)
	}
	var props []spec.Property[replica.State, replica.Msg]
	for _, q := range replica.Properties() {
		if slices.Contains(p.Store.Checked(), q.Name) {
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

// Course 5.1: tombstones and Lamport timestamps converge under a lost
// message, a duplicated one and a crash with recovery; last writer wins
// loses one of two concurrent writes, and the multi-value register keeps
// both.
func Example() {
	for _, cfg := range []model.Config{
		{Drops: 1},
		{Dups: 1},
		{Crashes: 1, CrashMode: model.CrashRecover},
	} {
		res := run(replica.DefaultParams(), cfg)
		fmt.Println(res.Status, res.Stats.States, "states")
	}
	mv := replica.DefaultParams()
	mv.Store = replica.MV
	for _, p := range []replica.Params{replica.DefaultParams(), mv} {
		for _, w := range run(p, model.Config{}).Sometimes {
			fmt.Printf("%s: %s reached in %d steps\n", p.Store, w.Property, w.Path.Len())
		}
	}
	// Output:
	// ok 1685 states
	// ok 5973 states
	// ok 42845 states
	// lww: concurrent-writes reached in 2 steps
	// lww: later-write-replaces reached in 3 steps
	// lww: concurrent-write-lost reached in 3 steps
	// mv: concurrent-writes reached in 2 steps
	// mv: later-write-replaces reached in 3 steps
	// mv: siblings reached in 3 steps
}

// Without timestamps, two concurrent puts cross and each replica adopts
// the other's store: they diverge.
func Example_naiveDiverges() {
	res := run(replica.Params{Store: replica.Naive, N: 2, Writes: [replica.MaxNodes]int{1, 1}}, model.Config{})
	v := res.Violation
	fmt.Println(res.Status, v.Property+":", v.Reason)
	fmt.Print(v.Path)
	// Output:
	// violated convergence: n0 holds {w1.1}, n1 holds {w0.1}
	//   1. request n0 put
	//   2. request n1 put
	//   3. deliver n1→n0 Sync({w1.1})
	//   4. deliver n0→n1 Sync({w0.1})
}

// Last writer wins by physical timestamps: node 0's clock runs two ticks
// ahead, so its write beats the write node 1 makes after seeing it.
func Example_physicalSkew() {
	p := replica.DefaultParams()
	p.Store, p.Skew = replica.Physical, 2
	res := run(p, model.Config{})
	v := res.Violation
	fmt.Println(res.Status, v.Property+":", v.Reason)
	fmt.Print(v.Path)
	// Output:
	// violated no-causal-loss: n0 ends with w0.1@3, but w1.1@2 was written after it
	//   1. request n0 put
	//   2. deliver n0→n1 Sync(clock=1 {w0.1@3})
	//   3. fire n0 retry
	//   4. deliver n0→n1 Sync(clock=1 {w0.1@3})
	//   5. request n1 put
	//   6. deliver n1→n0 Sync(clock=2 {w0.1@3})
	//   7. fire n1 retry
	//   8. deliver n1→n0 Sync(clock=2 {w0.1@3})
}
