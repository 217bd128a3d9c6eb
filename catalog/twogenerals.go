package catalog

import (
	"fmt"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/twogenerals"
)

func init() {
	register(twogeneralsEntry())
	// Course 2.1: whatever the number of messengers, losing the last one
	// leaves its sender attacking alone.
	for k := 1; k <= twogenerals.MaxMessages; k++ {
		registerClassic(Classic{
			Name:     fmt.Sprintf("twogenerals-k%d-last-messenger-lost", k),
			Protocol: "twogenerals",
			Flags:    fmt.Sprintf("-k %d -drops 1", k),
			Breaks:   twogenerals.PropAgreement,
			Doc:      fmt.Sprintf("%d messengers over a lossy link: the last one is lost and its sender attacks alone (course 2.1)", k),
		})
	}
}

func twogeneralsEntry() *Entry {
	e := &Entry{
		Name:    "twogenerals",
		Summary: "two generals: a k-messenger acknowledgement chain, safe on a reliable link, broken by losing the last messenger",
		Section: "2.1",
		Params: []Param{
			{Name: "k", Doc: "messengers (the order, then acknowledgements)", Default: twogenerals.DefaultParams().K, Min: 1, Max: twogenerals.MaxMessages},
		},
		Mutants: twogenerals.Mutants,
	}
	return nodeProtocol[twogenerals.State, twogenerals.Msg]{
		props: twogenerals.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[twogenerals.State, twogenerals.Msg], []spec.WorkItem[twogenerals.Msg], error) {
			p, err := twogenerals.New(twogenerals.Params{K: params["k"], Mutant: mutant})
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
