package mvmap_test

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/mvmap"
)

// Two replicas set x concurrently; each applies the other's set, which
// overwrote nothing at its writer, so both values stay at both.
func Example() {
	p, err := mvmap.New(mvmap.DefaultParams())
	if err != nil {
		panic(err)
	}
	set := spec.Input[mvmap.Msg]{Kind: spec.Request, Msg: mvmap.Msg{Kind: mvmap.SetReq}}
	a, outA := p.Step(p.Init(0), set)
	b, outB := p.Step(p.Init(1), set)
	a, _ = p.Step(a, spec.Input[mvmap.Msg]{Kind: spec.Receive, From: 1, Msg: outB[1].Msg})
	b, _ = p.Step(b, spec.Input[mvmap.Msg]{Kind: spec.Receive, From: 0, Msg: outA[1].Msg})
	fmt.Println(p.FormatMsg(outA[1].Msg))
	fmt.Println(p.FormatState(a))
	fmt.Println(p.FormatState(b))
	// Output:
	// x=w0.1 over {} after {}
	// x={w0.1,w1.1} applied={w0.1,w1.1}
	// x={w0.1,w1.1} applied={w0.1,w1.1}
}
