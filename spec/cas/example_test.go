package cas_test

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/cas"
)

// Two clients race cas(0→1) at n1 and cas(0→2) at n2. The sequencer n0
// numbers n2's first; both replicas apply both in that order, so n2's
// CAS wins and n1's fails.
func Example() {
	p, err := cas.New(cas.DefaultParams())
	if err != nil {
		panic(err)
	}
	req := func(op cas.Op) spec.Input[cas.Msg] {
		return spec.Input[cas.Msg]{Kind: spec.Request, Msg: cas.Msg{Kind: cas.Req, Op: op}}
	}
	recv := func(from spec.NodeID, m cas.Msg) spec.Input[cas.Msg] {
		return spec.Input[cas.Msg]{Kind: spec.Receive, From: from, Msg: m}
	}
	n0, n1, n2 := p.Init(0), p.Init(1), p.Init(2)
	n1, o1 := p.Step(n1, req(cas.Op{Kind: cas.Cas, A: 0, B: 1, ID: 0}))
	n2, o2 := p.Step(n2, req(cas.Op{Kind: cas.Cas, A: 0, B: 2, ID: 1}))
	n0, d2 := p.Step(n0, recv(2, o2[1].Msg)) // numbered 0
	n0, d1 := p.Step(n0, recv(1, o1[1].Msg)) // numbered 1
	for _, d := range []cas.Msg{d2[1].Msg, d1[1].Msg} {
		var out []spec.Output[cas.Msg]
		n1, out = p.Step(n1, recv(0, d))
		for _, o := range out {
			fmt.Println("n1:", p.FormatMsg(o.Msg))
		}
		n2, out = p.Step(n2, recv(0, d))
		for _, o := range out {
			fmt.Println("n2:", p.FormatMsg(o.Msg))
		}
	}
	fmt.Println(p.FormatState(n0))
	fmt.Println(p.FormatState(n1))
	// Output:
	// n2: #1 cas(0→2) → true
	// n1: #0 cas(0→1) → false
	// v=2 log=[#1 #0] next=2
	// v=2 log=[#1 #0]
}
