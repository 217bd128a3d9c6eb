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
	registerClassic(Classic{Name: "quorum-no-write-back", Protocol: "quorum", Flags: "-n 2 -w 2 -r 1 -reads 2 -readers 2", Breaks: quorum.PropReadAfterRead,
		Doc: "r + w > n without write-back is not linearizable: while the write is in progress one reader returns it, a later reader the old value (course 7.2, Cx1; -writeback 1 proves the same run)"})
}

func quorumEntry() *Entry {
	d := quorum.DefaultParams()
	e := &Entry{
		Name:    "quorum",
		Summary: "replicated register with quorum writes and reads, and read repair or write-back (ABD)",
		Section: "5.2, 7.2",
		Params: []Param{
			{Name: "n", Doc: "replicas", Default: d.N, Min: 1, Max: quorum.MaxReplicas},
			{Name: "w", Doc: "write quorum", Default: d.W, Min: 1, Max: quorum.MaxReplicas},
			{Name: "r", Doc: "read quorum", Default: d.R, Min: 1, Max: quorum.MaxReplicas},
			{Name: "writes", Doc: "write requests", Default: d.Writes, Min: 0, Max: quorum.MaxOps},
			{Name: "reads", Doc: "read requests", Default: d.Reads, Min: 0, Max: quorum.MaxOps},
			{Name: "readers", Doc: "reader clients", Default: d.Readers, Min: 1, Max: quorum.MaxReaders},
			{Name: "writers", Doc: "writer clients; with 2 or more, a write first asks a read quorum for the newest timestamp and writes with the next, the writer's number breaking ties (multi-writer ABD, course 7.2)", Default: 1, Min: 1, Max: quorum.MaxWriters},
			{Name: "writeback", Doc: "1: a reader writes its value back to the replicas that lack it and returns it only once a write quorum holds it (ABD, course 7.2), instead of read repair", Default: 0, Min: 0, Max: 1},
		},
		Mutants:  quorum.Mutants,
		Symmetry: "the replicas",
	}
	return nodeProtocol[quorum.State, quorum.Msg]{
		props: quorum.Properties(),
		// With fewer than two reads, read-after-read and its witness have
		// nothing to check: left out, with the reason.
		choose: func(params map[string]int) []string {
			p, err := quorum.New(QuorumParams(params, ""))
			if err != nil {
				return nil // the check reports the error when it builds the protocol
			}
			var names []string
			for _, q := range p.Checked() {
				names = append(names, q.Name)
			}
			return names
		},
		leftOut: func(params map[string]int, q spec.Property[quorum.State, quorum.Msg]) string {
			p, err := quorum.New(QuorumParams(params, ""))
			if err != nil {
				return ""
			}
			return p.Vacuous()[q.Name]
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[quorum.State, quorum.Msg], []spec.WorkItem[quorum.Msg], error) {
			p, err := quorum.New(QuorumParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
