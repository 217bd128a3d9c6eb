package model_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// Check a ping with two retries: safe on a reliable network, but three
// lost messages make the sender give up.
func Example() {
	props := []spec.Property[pingState, pingMsg]{gotPong, pongAtQuiescence}
	for _, cfg := range []model.Config{{}, {Drops: 3}} {
		m, err := model.New[pingState, pingMsg](ping{n: 2}, cfg, pingWork(), props)
		if err != nil {
			panic(err)
		}
		res, _ := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
		fmt.Printf("%s: %s, %d states\n", cfg, res.Status, res.Stats.States)
		if v := res.Violation; v != nil {
			fmt.Printf("%s: %s\n%s", v.Property, v.Reason, v.Path)
		}
	}
	// Output:
	// network unordered, reliable, no crashes, asynchronous timers: ok, 48 states
	// network unordered, drops ≤ 3, dups ≤ 0, no crashes, asynchronous timers: violated, 163 states
	// pong-at-quiescence: n0 gave up without a pong
	//   1. request n0 go
	//   2. fire n0 retry
	//   3. fire n0 retry
	//   4. fire n0 retry
	//   5. drop n0→n1 Ping2
	//   6. drop n0→n1 Ping1
	//   7. drop n0→n1 Ping0
}
