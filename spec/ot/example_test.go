package ot_test

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ot"
)

// In "BC" c1 inserts A at 0 and c2 D at 2, concurrently. The server
// sequences c1's first, then transforms c2's against it (D moves to 3);
// c2 transforms A against its own unsequenced D (A stays at 0). All hold
// "ABCD".
func Example() {
	p, err := ot.New(ot.DefaultParams())
	if err != nil {
		panic(err)
	}
	edit := func(pos uint8, l byte) spec.Input[ot.Msg] {
		return spec.Input[ot.Msg]{Kind: spec.Request, Msg: ot.Msg{Kind: ot.EditReq, Op: ot.Op{Kind: ot.Ins, Pos: pos, Letter: l}}}
	}
	recv := func(m ot.Msg) spec.Input[ot.Msg] { return spec.Input[ot.Msg]{Kind: spec.Receive, Msg: m} }
	c1, out1 := p.Step(p.Init(1), edit(0, 'A'))
	c2, out2 := p.Step(p.Init(2), edit(2, 'D'))
	server, seqA := p.Step(p.Init(ot.Server), recv(out1[1].Msg))
	server, seqD := p.Step(server, recv(out2[1].Msg))
	c1, _ = p.Step(c1, recv(seqA[0].Msg))
	c1, _ = p.Step(c1, recv(seqD[0].Msg))
	c2, _ = p.Step(c2, recv(seqA[1].Msg))
	c2, _ = p.Step(c2, recv(seqD[1].Msg))
	fmt.Println(p.FormatMsg(seqD[0].Msg))
	fmt.Println(p.FormatState(server))
	fmt.Println(p.FormatState(c1))
	fmt.Println(p.FormatState(c2))
	// Output:
	// r1 = ins(3,D)@c2
	// "ABCD" rev 2
	// "ABCD" rev 2
	// "ABCD" rev 2
}
