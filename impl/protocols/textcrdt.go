package protocols

import (
	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec/textcrdt"
)

func init() {
	register(entry("textcrdt",
		"each replica's inserts and then deletes of the text CRDT, a few milliseconds apart, each at an index and of a letter drawn from the round's seed, applied at once and broadcast with their causal past; checks sec, convergence, deleted-gone, positions and between (-delivery reliable can keep a deleted character when its delete overtakes its insert; run-contiguous, not promised, is left out)",
		nil, textcrdtTarget))
}

func textcrdtTarget(params map[string]int, mutant string) (*Target[textcrdt.State, textcrdt.Msg], error) {
	p, err := textcrdt.New(catalog.TextCRDTParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// Whether two inserts land at one place, or a delete is someone
	// else's, hangs on the timing and the seed: no witness is expected.
	return &Target[textcrdt.State, textcrdt.Msg]{
		Name: "textcrdt", Protocol: p, Work: p.Workload(),
		Properties: named(textcrdt.Properties(), textcrdt.Promised()),
	}, nil
}
