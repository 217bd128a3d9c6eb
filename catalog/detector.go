package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/detector"
)

func init() {
	register(detectorEntry())
	registerClassic(Classic{Name: "detector-asynchronous-suspects-forever", Protocol: "detector", Flags: "-partial-sync=false -crashes 0", Breaks: detector.PropEventualAccuracy,
		Doc: "asynchronous timing: every timeout may fire before the ack, so a correct node is suspected again in every round, for ever — no eventually perfect detector without partial synchrony (course 2.4)"})
}

type (
	fdState = detector.State
	fdMsg   = detector.Msg
)

func detectorEntry() *Entry {
	d := detector.DefaultParams()
	e := &Entry{
		Name:         "detector",
		Summary:      "an eventually perfect failure detector by ping, ack and timeout, under partial synchrony",
		Section:      "2.4",
		Params:       []Param{{Name: "n", Doc: "nodes, each watching every other (3: over 13 million lasso states; use -max-memory)", Default: d.N, Min: detector.MinNodes, Max: detector.MaxNodes}},
		Mutants:      detector.Mutants,
		DefaultModel: "-partial-sync -crashes 1",
	}
	return nodeProtocol[fdState, fdMsg]{
		props: detector.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[fdState, fdMsg], []spec.WorkItem[fdMsg], error) {
			p, err := detector.New(detector.Params{N: params["n"], Mutant: mutant})
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
