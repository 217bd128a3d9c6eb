package catalog

import (
	"fmt"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/mvmap"
)

func init() {
	register(mvmapEntry())
	registerClassic(Classic{Name: "mvmap-reliable-broadcast", Protocol: "mvmap", Flags: "-delivery reliable -n 3", Breaks: mvmap.PropSEC,
		Doc: "the multi-value map over reliable but not causal broadcast: n1 overwrites n0's value, n2 gets the overwrite first and then n0's value, and keeps it for good; n2 applied the same updates as n1 and differs (course 8.1's exercise)"})
}

func mvmapEntry() *Entry {
	var delivery []string
	for _, d := range mvmap.Deliveries() {
		delivery = append(delivery, d.String())
	}
	d := mvmap.DefaultParams()
	e := &Entry{
		Name:    "mvmap",
		Summary: "the multi-value map: a set carries the values it overwrites and goes by causal broadcast, so concurrent sets both stay",
		Section: "8.1",
		Params: []Param{
			{Name: "delivery", Doc: "how updates are delivered: causal broadcast (held back until their causal past is applied) or reliable broadcast in any order", Default: int(d.Delivery), Max: len(delivery) - 1, Choices: delivery},
			{Name: "n", Doc: "replicas", Default: d.Nodes, Min: 2, Max: mvmap.MaxNodes},
			{Name: "keys", Doc: "keys of the map (x, y)", Default: d.Keys, Min: 1, Max: mvmap.MaxKeys},
		},
		Mutants: mvmap.Mutants,
	}
	for i := range mvmap.MaxNodes {
		name := fmt.Sprintf("e%d", i)
		e.Params = append(e.Params, Param{Name: name, Doc: fmt.Sprintf("sets replica %d makes (the checker tries every key)", i), Default: d.Edits[i], Max: mvmap.MaxEdits,
			Fits: ofNode(name, i)})
	}
	return nodeProtocol[mvmap.State, mvmap.Msg]{
		props: mvmap.Properties(),
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			return MVMapParams(params, "").Unreachable()
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[mvmap.State, mvmap.Msg], []spec.WorkItem[mvmap.Msg], error) {
			p, err := mvmap.New(MVMapParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// MVMapParams reads the mvmap entry's parameters.
func MVMapParams(params map[string]int, mutant string) mvmap.Params {
	p := mvmap.Params{Nodes: params["n"], Keys: params["keys"], Delivery: mvmap.Delivery(params["delivery"]), Mutant: mutant}
	for i := range mvmap.MaxNodes {
		p.Edits[i] = params[fmt.Sprintf("e%d", i)]
	}
	return p
}
