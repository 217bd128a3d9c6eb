package ftcommit_test

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ftcommit"
)

// p1 suspects p2 and votes no for it; the sequencer stamps that no before
// p2's own yes, so every participant counts the no and aborts.
func Example() {
	p, err := ftcommit.New(ftcommit.DefaultParams())
	if err != nil {
		panic(err)
	}
	seq := p.Init(ftcommit.Sequencer)
	p1, proxy := p.Step(p.Init(1), spec.Input[ftcommit.Msg]{Kind: spec.Fire, Timer: 2})
	p2, own := p.Step(p.Init(2), spec.Input[ftcommit.Msg]{Kind: spec.Choose, Msg: ftcommit.Msg{Kind: ftcommit.Choice, Ballot: ftcommit.Ballot{Vote: ftcommit.Yes}}})
	seq, first := p.Step(seq, spec.Input[ftcommit.Msg]{Kind: spec.Receive, From: 1, Msg: proxy[0].Msg})
	_, second := p.Step(seq, spec.Input[ftcommit.Msg]{Kind: spec.Receive, From: 2, Msg: own[0].Msg})
	for _, m := range []spec.Output[ftcommit.Msg]{first[0], second[0]} {
		fmt.Println(p.FormatMsg(m.Msg))
		p1, _ = p.Step(p1, spec.Input[ftcommit.Msg]{Kind: spec.Receive, Msg: m.Msg})
		p2, _ = p.Step(p2, spec.Input[ftcommit.Msg]{Kind: spec.Receive, Msg: m.Msg})
	}
	fmt.Println(p.FormatState(p1))
	fmt.Println(p.FormatState(p2))
	// Output:
	// #0 no for p2 by p1
	// #1 p2 yes
	// p1 voted none counted [-, no for p2 by p1] abort
	// p2 voted yes counted [-, no for p2 by p1] abort
}
