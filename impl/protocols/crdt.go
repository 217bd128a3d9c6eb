package protocols

import (
	"slices"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/crdt"
)

func init() {
	register(entry("crdt",
		"each replica's updates (a set of a key, an increment, either, or an add or a remove of an element, drawn from the round's seed), a few milliseconds apart, each sending the whole state to every peer once; checks no-phantom and convergence after a final anti-entropy, which hold under loss, duplication and crashes (converged without anti-entropy, which a lost state breaks, is the checker's: modelcheck check crdt)",
		nil, crdtTarget))
}

func crdtTarget(params map[string]int, mutant string) (*Target[crdt.State, crdt.Msg], error) {
	p, err := crdt.New(catalog.CRDTParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// Best-effort broadcast converges by itself only if no state is
	// lost; a run takes loss, so it checks convergence after the final
	// anti-entropy, the guarantee that survives it.
	props := slices.DeleteFunc(p.Properties(), func(q spec.Property[crdt.State, crdt.Msg]) bool { return q.Name == crdt.PropConverged })
	var expected []string
	if len(p.Workload()) >= 2 {
		expected = present(props, crdt.PropAllSeen)
	}
	return &Target[crdt.State, crdt.Msg]{
		Name: "crdt", Protocol: p, Work: p.Workload(),
		Properties: props, Expected: expected,
	}, nil
}
