package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

func init() {
	register(quorumEntry())
	registerClassic(Classic{Name: "quorum-stale-read-w1-r2", Protocol: "quorum", Flags: "-n 3 -w 1 -r 2", Breaks: "read-after-write",
		Doc: "r + w ≤ n: the write reaches one replica, the read asks two others (course 5.2)"})
	registerClassic(Classic{Name: "quorum-stale-read-w2-r1", Protocol: "quorum", Flags: "-n 3 -w 2 -r 1", Breaks: "read-after-write",
		Doc: "r + w ≤ n: the read asks the one replica the write missed (course 5.2)"})
}

func quorumEntry() *Entry {
	d := quorum.DefaultParams()
	e := &Entry{
		Name:    "quorum",
		Summary: "replicated register with quorum writes and reads and read repair",
		Section: "5.2",
		Params: []Param{
			{Name: "n", Doc: "replicas", Default: d.N, Min: 1, Max: quorum.MaxReplicas},
			{Name: "w", Doc: "write quorum", Default: d.W, Min: 1, Max: quorum.MaxReplicas},
			{Name: "r", Doc: "read quorum", Default: d.R, Min: 1, Max: quorum.MaxReplicas},
			{Name: "writes", Doc: "write requests", Default: d.Writes, Min: 0, Max: quorum.MaxOps},
			{Name: "reads", Doc: "read requests", Default: d.Reads, Min: 0, Max: quorum.MaxOps},
			{Name: "readers", Doc: "reader clients", Default: d.Readers, Min: 1, Max: quorum.MaxReaders},
		},
		Mutants:  quorum.Mutants,
		Symmetry: "the replicas",
	}
	return nodeProtocol[quorum.State, quorum.Msg]{
		props: quorum.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[quorum.State, quorum.Msg], []spec.WorkItem[quorum.Msg], error) {
			p, err := quorum.New(QuorumParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
