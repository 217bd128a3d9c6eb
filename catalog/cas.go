package catalog

import (
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/cas"
)

func init() {
	register(casEntry())
	registerClassic(Classic{Name: "cas-local-reads", Protocol: "cas", Flags: "-reads local -scenario reads", Breaks: cas.PropLinearizable,
		Doc: "the CAS register answering reads from the local copy instead of through total order broadcast: n0 has applied the write and client A reads 1 there, then client B reads 0 at n1, which has not (course 7.2's Cx2)"})
}

func casEntry() *Entry {
	var reads []string
	for _, r := range cas.ReadModes() {
		reads = append(reads, r.String())
	}
	d := cas.DefaultParams()
	def, err := cas.New(d)
	if err != nil {
		panic(err) // the defaults are valid: cas's tests say so
	}
	e := &Entry{
		Name:    "cas",
		Summary: "a register with read, write and compare-and-swap, every operation through total order broadcast (a sequencer and hold-back) and applied on delivery: linearizable",
		Section: "7.2",
		Params: []Param{
			{Name: "scenario", Doc: "the client operations (cas: two racing CASes and a read; reads: a write and two reads on two replicas; pair: a CAS, a read and a write on two replicas; mixed: two CASes, a read and a write on three)",
				Default: d.Scenario, Max: len(cas.Scenarios) - 1, Choices: cas.ScenarioNames()},
			{Name: "reads", Doc: "how a read is answered: through total order broadcast like any operation, or at once from the local copy", Default: int(d.Reads), Max: len(reads) - 1, Choices: reads},
		},
		Mutants: cas.Mutants,
	}
	return nodeProtocol[cas.State, cas.Msg]{
		props: def.Properties(),
		propsOf: func(p spec.Protocol[cas.State, cas.Msg]) []spec.Property[cas.State, cas.Msg] {
			return p.(*cas.Protocol).Properties()
		},
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			return CASParams(params, "").Unreachable()
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[cas.State, cas.Msg], []spec.WorkItem[cas.Msg], error) {
			p, err := cas.New(CASParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// CASParams reads the cas entry's parameters.
func CASParams(params map[string]int, mutant string) cas.Params {
	return cas.Params{Scenario: params["scenario"], Reads: cas.Reads(params["reads"]), Mutant: mutant}
}
