package textcrdt_test

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/textcrdt"
)

// Two replicas type at index 0 of an empty text at once: both take the
// midpoint 1/2, and the writer breaks the tie, so both texts read "ab".
func Example() {
	p := textcrdt.DefaultParams()
	p.Letters = 2
	proto, err := textcrdt.New(p)
	if err != nil {
		panic(err)
	}
	typeAt := func(c uint8) spec.Input[textcrdt.Msg] {
		return spec.Input[textcrdt.Msg]{Kind: spec.Request, Msg: textcrdt.Msg{Kind: textcrdt.InsertReq, Char: c}}
	}
	a, outA := proto.Step(proto.Init(0), typeAt(0))
	b, outB := proto.Step(proto.Init(1), typeAt(1))
	a, _ = proto.Step(a, spec.Input[textcrdt.Msg]{Kind: spec.Receive, From: 1, Msg: outB[1].Msg})
	b, _ = proto.Step(b, spec.Input[textcrdt.Msg]{Kind: spec.Receive, From: 0, Msg: outA[1].Msg})
	fmt.Println(proto.FormatMsg(outA[1].Msg))
	fmt.Println(proto.FormatState(a))
	fmt.Println(proto.FormatState(b))
	// Output:
	// insert n0.1 a@1/2 after {}
	// "ab" a=n0.1@1/2 b=n1.1@1/2 applied={n0.1,n1.1}
	// "ab" a=n0.1@1/2 b=n1.1@1/2 applied={n0.1,n1.1}
}
