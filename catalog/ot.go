package catalog

import (
	"fmt"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ot"
)

func init() { register(otEntry()) }

func otEntry() *Entry {
	d := ot.DefaultParams()
	e := &Entry{
		Name:    "ot",
		Summary: "operational transformation of a shared text: clients edit by index, a server orders the edits and transforms each against those sequenced since its author's revision",
		Section: "8.1",
		Params: []Param{
			{Name: "clients", Doc: "clients (node 0 is the server, nodes 1.. the clients)", Default: d.Clients, Min: 2, Max: ot.MaxClients},
			{Name: "letters", Doc: "letters an insert may type, the first of " + ot.Alphabet, Default: d.Letters, Min: 1, Max: len(ot.Alphabet)},
		},
		Mutants: ot.Mutants,
	}
	for i := range ot.MaxClients {
		name := fmt.Sprintf("e%d", i+1)
		e.Params = append(e.Params, Param{Name: name, Doc: fmt.Sprintf("edits client %d makes (the checker tries every insert and delete index, every letter)", i+1), Default: d.Edits[i], Max: ot.MaxEdits,
			Fits: ofClient(name, i+1)})
	}
	return nodeProtocol[ot.State, ot.Msg]{
		props: ot.Properties(),
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			return OTParams(params, "").Unreachable()
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[ot.State, ot.Msg], []spec.WorkItem[ot.Msg], error) {
			p, err := ot.New(OTParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// ofClient bounds client c's edits by -clients: a client beyond it makes
// none.
func ofClient(name string, c int) func(int, map[string]int, string) error {
	return func(v int, params map[string]int, _ string) error {
		if v == 0 || c <= params["clients"] {
			return nil
		}
		return fmt.Errorf("-%s %d is for client %d, but -clients %d has clients 1..%d", name, v, c, params["clients"], params["clients"])
	}
}

// OTParams reads the ot entry's parameters.
func OTParams(params map[string]int, mutant string) ot.Params {
	p := ot.Params{Clients: params["clients"], Letters: params["letters"], Mutant: mutant}
	for i := range ot.MaxClients {
		p.Edits[i] = params[fmt.Sprintf("e%d", i+1)]
	}
	return p
}
