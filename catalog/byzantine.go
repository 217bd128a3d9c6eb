package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/byzantine"
)

func init() {
	register(byzantineEntry())
	// Course 2.2: with three generals (n < 3f+1 = 4) one traitor wins,
	// whichever way the lieutenants break a tie.
	registerClassic(Classic{Name: "byzantine-n3-traitor-lieutenant", Protocol: "byzantine", Flags: "-n 3 -byzantine 2", Breaks: byzantine.PropValidity,
		Doc: "n = 3 < 3f+1: a silent traitorous lieutenant ties a loyal commander's attack, and the tie means retreat (course 2.2)"})
	registerClassic(Classic{Name: "byzantine-n3-traitor-commander", Protocol: "byzantine", Flags: "-n 3 -tie commander -byzantine 0", Breaks: byzantine.PropAgreement,
		Doc: "n = 3 < 3f+1: lieutenants who trust the commander on a tie are split by a traitorous commander (course 2.2)"})
	registerClassic(Classic{Name: "byzantine-n3-tie-attack", Protocol: "byzantine", Flags: "-n 3 -tie attack -byzantine 2", Breaks: byzantine.PropValidity,
		Doc: "n = 3 < 3f+1: lieutenants who attack on a tie are led into attacking against a loyal retreat by a traitor relaying attack (course 2.2)"})
	registerClassic(Classic{Name: "byzantine-n3-tie-relay", Protocol: "byzantine", Flags: "-n 3 -tie relay -byzantine 0", Breaks: byzantine.PropAgreement,
		Doc: "n = 3 < 3f+1: lieutenants who trust each other's relay on a tie are split by a traitorous commander (course 2.2)"})
}

func byzantineEntry() *Entry {
	n := Param{Name: "n", Doc: "generals, the commander included", Default: byzantine.DefaultParams().N, Min: byzantine.MinGenerals, Max: byzantine.MaxGenerals}
	tie := Param{Name: "tie", Doc: "a lieutenant's decision on a split vote (n = 3)", Default: int(byzantine.TieRetreat), Max: len(byzantine.TieNames) - 1, Choices: byzantine.TieNames}
	// With n = 4 a lieutenant holds three values, always a majority;
	// ignoring its own order leaves it two, which can split.
	tie.Fits = onlyWith(tie, n, []int{3}, []string{"ignore-own-order"}, "with four generals a lieutenant holds three values and never ties")
	e := &Entry{
		Name:    "byzantine",
		Summary: "Byzantine generals by oral messages, OM(1): one traitor is outvoted iff n ≥ 3f+1 = 4 (-byzantine names the traitor)",
		Section: "2.2",
		Params:  []Param{n, tie},
		Mutants: byzantine.Mutants,
		// A check proves something only with a traitor: lieutenant n1 (a
		// node both n = 3 and n = 4 have). -byzantine 0 makes the
		// commander the traitor.
		DefaultModel: "-byzantine 1",
	}
	return nodeProtocol[byzantine.State, byzantine.Msg]{
		props: byzantine.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[byzantine.State, byzantine.Msg], []spec.WorkItem[byzantine.Msg], error) {
			p, err := byzantine.New(byzantine.Params{N: params["n"], Tie: byzantine.Tie(params["tie"]), Mutant: mutant})
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
