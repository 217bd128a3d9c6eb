package catalog_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/rpc"
)

// Every protocol of the catalog passes the validation a user's
// declaration gets (register panics otherwise, at the start).
func TestBuiltinsValidate(t *testing.T) {
	for _, e := range catalog.All() {
		if err := e.Validate(); err != nil {
			t.Error(err)
		}
	}
}

// rpcEntry declares rpc again from outside the package, as a user's
// protocol would be.
func rpcEntry(t *testing.T, name string) *catalog.Entry {
	t.Helper()
	e, err := catalog.NodeProtocol[rpc.State, rpc.Msg]{
		Build: func(params map[string]int, mutant string) (spec.Protocol[rpc.State, rpc.Msg], []spec.WorkItem[rpc.Msg], error) {
			p, err := rpc.New(rpc.Params{Ops: params["ops"], Mutant: mutant})
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
		Properties: promised(rpc.Semantics(0)),
	}.Entry(catalog.Entry{Name: name, Params: []catalog.Param{{Name: "ops", Default: 1, Min: 1, Max: rpc.MaxOps}}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// promised are the properties semantics s guarantees, and its witnesses.
func promised(s rpc.Semantics) []spec.Property[rpc.State, rpc.Msg] {
	var out []spec.Property[rpc.State, rpc.Msg]
	for _, p := range rpc.Properties() {
		for _, name := range append(s.Guarantees(), s.Witnesses()...) {
			if p.Name == name {
				out = append(out, p)
			}
		}
	}
	return out
}

func TestRegisterRefuses(t *testing.T) {
	if err := catalog.Register(&catalog.Entry{Name: "bare"}); err == nil || !strings.Contains(err.Error(), `protocol "bare": nothing to check`) {
		t.Fatalf("an entry with no check: %v", err)
	}
	if err := catalog.Register(rpcEntry(t, "raft")); err == nil || err.Error() != `protocol "raft": registered twice (protocol names are unique)` {
		t.Fatalf("a second raft: %v", err)
	}
	bad := rpcEntry(t, "rpc2")
	bad.Params[0].Default = 0
	if err := catalog.Register(bad); err == nil || !strings.Contains(err.Error(), `parameter "ops": default 0 is out of its range 1..`) {
		t.Fatalf("a default out of range: %v", err)
	}
	if _, err := catalog.Lookup("rpc2"); err == nil {
		t.Fatal("a refused entry was registered")
	}
	// Declared from outside, the entry checks as the catalog's own does.
	rep, err := rpcEntry(t, "rpc2").Check(catalog.Run{})
	if err != nil {
		t.Fatal(err)
	}
	own, _ := catalog.Lookup("rpc")
	want, err := own.Check(catalog.Run{Params: map[string]int{"sem": 0, "ops": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != want.Status || rep.Stats.States != want.Stats.States || rep.Stats.Transitions != want.Stats.Transitions || rep.Stats.States == 0 {
		t.Fatalf("declared outside: %v %d states; the catalog's: %v %d", rep.Status, rep.Stats.States, want.Status, want.Stats.States)
	}
}
