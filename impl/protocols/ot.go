package protocols

import (
	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec/ot"
)

func init() {
	register(entry("ot",
		"each client's edits of the shared text \"BC\", a few milliseconds apart, each an insert or delete at an index drawn from the round's seed, applied at once and sent to the server, which transforms each against the edits it sequenced since and sends it to every client; checks same-revision-same-text, convergence, edits-kept and insert-between (-mutant no-transform lets replicas diverge when edits are concurrent)",
		nil, otTarget))
}

func otTarget(params map[string]int, mutant string) (*Target[ot.State, ot.Msg], error) {
	p, err := ot.New(catalog.OTParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// Whether two edits are concurrent hangs on the timing of the round:
	// no witness is expected.
	return &Target[ot.State, ot.Msg]{
		Name: "ot", Protocol: p, Work: p.Workload(),
		Properties: ot.Properties(),
	}, nil
}
