package catalog

import (
	"fmt"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/crdt"
)

func init() {
	register(crdtEntry())
	registerClassic(Classic{Name: "crdt-lost-state", Protocol: "crdt", Flags: "-drops 1", Breaks: crdt.PropConverged,
		Doc: "best-effort broadcast sends each state once: one lost state leaves the replicas apart for good, until an anti-entropy round merges them (course 8.1)"})
}

func crdtEntry() *Entry {
	var types []string
	for _, t := range crdt.Types() {
		types = append(types, t.String())
	}
	d := crdt.DefaultParams()
	e := &Entry{
		Name:    "crdt",
		Summary: "state-based CRDTs over best-effort broadcast under loss and duplication: LWW map, G-Counter, PN-Counter, observed-remove set",
		Section: "8.1",
		Params: []Param{
			{Name: "crdt", Doc: "the replicated data type", Default: int(d.Type), Max: len(types) - 1, Choices: types},
			{Name: "n", Doc: "replicas", Default: d.Nodes, Min: 2, Max: crdt.MaxNodes},
		},
		Mutants: crdt.Mutants,
	}
	keys := Param{Name: "keys", Doc: "keys of the map (lwwmap), or elements of the set (orset)", Default: d.Keys, Min: 1, Max: crdt.MaxKeys}
	keys.Fits = onlyWith(keys, e.Params[0], []int{int(crdt.LWWMap), int(crdt.ORSet)}, nil, "only the map has keys and the set elements")
	e.Params = append(e.Params, keys)
	for i := range crdt.MaxNodes {
		name := fmt.Sprintf("u%d", i)
		e.Params = append(e.Params, Param{Name: name, Doc: fmt.Sprintf("updates replica %d makes (a set of any key, an increment, either an increment or a decrement, or an add or a remove of any element)", i), Default: d.Updates[i], Max: crdt.MaxUpdates,
			Fits: ofNode(name, i)})
	}
	return nodeProtocol[crdt.State, crdt.Msg]{
		props: crdt.Properties(),
		// The properties read the built protocol's type and merge.
		propsOf: func(p spec.Protocol[crdt.State, crdt.Msg]) []spec.Property[crdt.State, crdt.Msg] {
			return p.(*crdt.Protocol).Properties()
		},
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			return CRDTParams(params, "").Unreachable()
		},
		// The OR-set's own properties are checked for the OR-set only.
		choose: func(params map[string]int) []string {
			var names []string
			for _, p := range crdt.Properties() {
				if crdt.Type(params["crdt"]) == crdt.ORSet || !crdt.ORSetOnly(p.Name) {
					names = append(names, p.Name)
				}
			}
			return names
		},
		leftOut: func(_ map[string]int, p spec.Property[crdt.State, crdt.Msg]) string {
			if crdt.ORSetOnly(p.Name) {
				return "a property of the OR-set (-crdt orset) only"
			}
			return ""
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[crdt.State, crdt.Msg], []spec.WorkItem[crdt.Msg], error) {
			p, err := crdt.New(CRDTParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// CRDTParams reads the crdt entry's parameters.
func CRDTParams(params map[string]int, mutant string) crdt.Params {
	p := crdt.Params{Type: crdt.Type(params["crdt"]), Nodes: params["n"], Keys: params["keys"], Mutant: mutant}
	for i := range crdt.MaxNodes {
		p.Updates[i] = params[fmt.Sprintf("u%d", i)]
	}
	return p
}
