package catalog

import (
	"github.com/distsys/distsys/model"
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
	fdWorld = *model.World[fdState, fdMsg]
)

func detectorEntry() *Entry {
	d := detector.DefaultParams()
	e := &Entry{
		Name:         "detector",
		Summary:      "an eventually perfect failure detector by ping, ack and timeout, under partial synchrony",
		Section:      "2.4",
		Params:       []Param{{Name: "n", Doc: "nodes, each watching every other (3: over 60 million lasso states; use -max-memory)", Default: d.N, Min: detector.MinNodes, Max: detector.MaxNodes}},
		Mutants:      detector.Mutants,
		DefaultModel: "-partial-sync -crashes 1",
	}
	var live []model.LiveProperty[fdState, fdMsg]
	for _, p := range detector.LivenessProperties() {
		bad := p.Bad
		live = append(live, model.LiveProperty[fdState, fdMsg]{Name: p.Name, Doc: p.Doc, Bad: func(w fdWorld) string { return bad(w) }})
	}
	return liveProtocol[fdState, fdMsg]{
		props: detector.Properties(),
		live:  live,
		build: func(params map[string]int, mutant string) (spec.Protocol[fdState, fdMsg], []spec.WorkItem[fdMsg], error) {
			p, err := detector.New(detector.Params{N: params["n"], Mutant: mutant})
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
		classes: func(params map[string]int) int { n := params["n"]; return 2*n*n + n*n + 1 },
		class:   detectorFairness,
	}.install(e)
}

// detectorFairness gives each step its fairness class: the delivery
// of a ping or an ack on each link, each node's timer for each peer, and
// stabilisation.
func detectorFairness(w fdWorld, a model.Action) int {
	n := w.Nodes()
	switch a.Kind {
	case model.Deliver:
		c, i := -1, 0
		w.InFlight(func(from, to spec.NodeID, m fdMsg) {
			if i == a.Index {
				c = (int(from)*n + int(to)) * 2
				if m.Ack {
					c++
				}
			}
			i++
		})
		return c
	case model.Fire:
		return 2*n*n + int(a.Node)*n + a.Index
	case model.Stabilize:
		return 3 * n * n
	}
	return -1
}
