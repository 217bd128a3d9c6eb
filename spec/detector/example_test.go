package detector_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/detector"
)

// The eventually perfect detector of course 2.4 under partial synchrony
// and under asynchrony: the states reached, and which liveness properties
// a fair cycle violates.
func Example() {
	for _, c := range []struct {
		name string
		cfg  model.Config
	}{
		{"partial synchrony, one crash", model.Config{PartialSync: true, Crashes: 1}},
		{"asynchrony", model.Config{}},
	} {
		proto, _ := detector.New(detector.DefaultParams())
		m, err := model.New(proto, c.cfg, nil, detector.Properties())
		if err != nil {
			panic(err)
		}
		res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d states, fair cycles violate %v\n", c.name, res.Stats.States, liveViolations(m))
	}
	// Output:
	// partial synchrony, one crash: 984 states, fair cycles violate []
	// asynchrony: 100 states, fair cycles violate [eventual-accuracy]
}

// A slow node is suspected (course 2.4, Cx): the timeout fires before the
// ack, and the late ack withdraws the suspicion.
func Example_slowNodeSuspected() {
	proto, _ := detector.New(detector.DefaultParams())
	s, _ := proto.Step(proto.Init(0), spec.Input[detector.Msg]{Kind: spec.Start})
	s, _ = proto.Step(s, spec.Input[detector.Msg]{Kind: spec.Fire, Timer: 1})
	fmt.Println(proto.FormatState(s))
	s, _ = proto.Step(s, spec.Input[detector.Msg]{Kind: spec.Receive, From: 1, Msg: detector.Msg{Ack: true}})
	fmt.Println(proto.FormatState(s))
	// Output:
	// suspects n1 (waiting)
	// trusts n1 (acked, corrected a suspicion)
}
