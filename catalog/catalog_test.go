package catalog_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/traces"
)

// withFlags applies a mutant's Shows ("-writes 2 -crashes 1 -crash-mode
// recover") to a run, the way the CLI would.
func withFlags(t *testing.T, e *catalog.Entry, shows string, r *catalog.Run) {
	t.Helper()
	f := strings.Fields(shows)
	for i := 0; i+1 < len(f); i += 2 {
		name, val := strings.TrimPrefix(f[i], "-"), f[i+1]
		switch name {
		case "crash-mode":
			mode, err := model.ParseCrashMode(val)
			if err != nil {
				t.Fatal(err)
			}
			r.Model.CrashMode = mode
			continue
		case "network":
			net, err := model.ParseNetwork(val)
			if err != nil {
				t.Fatal(err)
			}
			r.Model.Network = net
			continue
		}
		n, err := strconv.Atoi(val)
		if err != nil {
			t.Fatalf("%s: flag -%s %q", shows, name, val)
		}
		switch name {
		case "drops":
			r.Model.Drops = n
		case "dups":
			r.Model.Dups = n
		case "crashes":
			r.Model.Crashes = n
		default:
			if _, ok := e.Param(name); !ok {
				t.Fatalf("%s: Shows names unknown flag -%s", e.Name, name)
			}
			r.Params[name] = n
		}
	}
}

func TestDefaultsAreOKAndReachEveryWitness(t *testing.T) {
	for _, e := range catalog.All() {
		rep, err := e.Check(catalog.Run{Options: explore.Options{Workers: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != explore.OK {
			t.Errorf("%s: %v %s %s", e.Name, rep.Status, rep.Property, rep.Reason)
		}
		if len(rep.Sometimes) == 0 {
			t.Errorf("%s has no sometimes property: nothing shows its checks are not vacuous", e.Name)
		}
		for _, s := range rep.Sometimes {
			if !s.Reached {
				t.Errorf("%s: %s never reached", e.Name, s.Property)
			}
		}
	}
}

// TestEveryMutantIsCaughtAndItsTraceReplays checks, for every protocol,
// every known-buggy variant: the checker finds the property it names, the
// counterexample survives a JSON round trip, and replaying it against the
// spec breaks the property again.
func TestEveryMutantIsCaughtAndItsTraceReplays(t *testing.T) {
	for _, e := range catalog.All() {
		if len(e.Mutants) == 0 {
			t.Errorf("%s has no mutant: nothing shows its properties can fail", e.Name)
		}
		for _, m := range e.Mutants {
			t.Run(e.Name+"/"+m.Name, func(t *testing.T) {
				r := catalog.Run{Params: map[string]int{}, Mutant: m.Name, Options: explore.Options{Workers: 1}}
				withFlags(t, e, m.Shows, &r)
				rep, err := e.Check(r)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Status != explore.Violated || rep.Property != m.Breaks {
					t.Fatalf("%v %q (%s), want %s violated", rep.Status, rep.Property, rep.Reason, m.Breaks)
				}
				if rep.Trace == nil {
					t.Fatal("no trace")
				}
				var b bytes.Buffer
				if err := traces.Write(&b, rep.Trace); err != nil {
					t.Fatal(err)
				}
				loaded, err := traces.Load(&b)
				if err != nil {
					t.Fatal(err)
				}
				again, err := catalog.Replay(loaded)
				if err != nil {
					t.Fatal(err)
				}
				if !again.Violated || again.Property != m.Breaks || again.Steps != len(rep.Trace.Steps()) {
					t.Fatalf("replay: %+v", again)
				}
			})
		}
	}
}

func TestCheckRejectsBadRuns(t *testing.T) {
	tp, _ := catalog.Lookup("twophase")
	q, _ := catalog.Lookup("quorum")
	bad := []struct {
		e    *catalog.Entry
		r    catalog.Run
		want string
	}{
		{tp, catalog.Run{Params: map[string]int{"n": 99}}, "out of range"},
		{tp, catalog.Run{Params: map[string]int{"w": 1}}, `no parameter "w"`},
		{tp, catalog.Run{Mutant: "nope"}, `no mutant "nope"`},
		{tp, catalog.Run{Model: model.Config{Drops: 1}}, "network and fault options do not apply"},
		{q, catalog.Run{Params: map[string]int{"w": 5}}, "quorum"},
	}
	for _, b := range bad {
		_, err := b.e.Check(b.r)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s %+v: %v, want %q", b.e.Name, b.r.Params, err, b.want)
		}
	}
	if _, err := catalog.Lookup("paxos"); err == nil || !strings.Contains(err.Error(), "known: clocks, quorum, twophase") {
		t.Errorf("Lookup: %v", err)
	}
}
