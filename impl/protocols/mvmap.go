package protocols

import (
	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec/mvmap"
)

func init() {
	register(entry("mvmap",
		"each replica's sets of the multi-value map, a few milliseconds apart, each of a key drawn from the round's seed, applied at once and broadcast with the values they overwrite and their causal past; checks sec, overwritten-gone, convergence and no-lost-edit (-delivery reliable can keep an overwritten value when an overwrite overtakes it)",
		nil, mvmapTarget))
}

func mvmapTarget(params map[string]int, mutant string) (*Target[mvmap.State, mvmap.Msg], error) {
	p, err := mvmap.New(catalog.MVMapParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// Whether two sets are concurrent, or one overwrites another, hangs
	// on the timing of the round: no witness is expected.
	return &Target[mvmap.State, mvmap.Msg]{
		Name: "mvmap", Protocol: p, Work: p.Workload(),
		Properties: mvmap.Properties(),
	}, nil
}
