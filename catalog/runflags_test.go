package catalog_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
)

// A run's text form and its flags are one: for every classic and every
// check of every experiment, the flags Flags writes, applied over the
// default run, give the same run back; and a run with nothing set writes
// no flag.
func TestFlagsWriteWhatApplyReads(t *testing.T) {
	type run struct {
		protocol, flags string
	}
	var runs []run
	for _, c := range catalog.Classics() {
		runs = append(runs, run{c.Protocol, c.Flags})
	}
	for _, x := range catalog.Experiments() {
		for _, tb := range x.Tables {
			for _, r := range tb.Rows {
				for _, p := range r.Cells {
					runs = append(runs, run{p.Protocol, p.Flags})
				}
			}
		}
	}
	for _, r := range runs {
		e, err := catalog.Lookup(r.protocol)
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.DefaultRun()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Apply(r.flags, &want); err != nil {
			t.Fatalf("%s %s: %v", r.protocol, r.flags, err)
		}
		text, err := e.Flags(want)
		if err != nil {
			t.Fatalf("%s %s: %v", r.protocol, r.flags, err)
		}
		got, err := e.DefaultRun()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Apply(text, &got); err != nil {
			t.Fatalf("%s %s: written as %q: %v", r.protocol, r.flags, text, err)
		}
		// Parameters are compared resolved: a default written or not is
		// the same run.
		wp, _ := e.Resolve(want.Params, want.Mutant)
		gp, _ := e.Resolve(got.Params, got.Mutant)
		want.Params, got.Params = wp, gp
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %q: written as %q, read back as another run:\n got %+v\nwant %+v", r.protocol, r.flags, text, got, want)
		}
		// The JSON form, through its bytes, gives the same run back.
		j, err := e.RunJSON(want)
		if err != nil {
			t.Fatalf("%s %s: %v", r.protocol, r.flags, err)
		}
		data, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		back, err := catalog.ReadRunJSON(data)
		if err != nil {
			t.Fatalf("%s %s: %s: %v", r.protocol, r.flags, data, err)
		}
		fromJSON, err := e.RunFromJSON(back)
		if err != nil {
			t.Fatalf("%s %s: %s: %v", r.protocol, r.flags, data, err)
		}
		jp, _ := e.Resolve(fromJSON.Params, fromJSON.Mutant)
		fromJSON.Params = jp
		if !reflect.DeepEqual(fromJSON, want) {
			t.Errorf("%s %q: written as %s, read back as another run:\n got %+v\nwant %+v", r.protocol, r.flags, data, fromJSON, want)
		}
	}
	if len(runs) < 100 {
		t.Errorf("%d runs: too few to mean anything", len(runs))
	}
	e, _ := catalog.Lookup("raft")
	d, _ := e.DefaultRun()
	if text, err := e.Flags(d); text != "" || err != nil {
		t.Errorf("the default run writes %q, %v", text, err)
	}
}

// A run's JSON form is read strictly: a field, parameter, choice, model
// setting or bound that is not one is an error naming it, never a default.
func TestRunJSONRejectsWhatIsNotARun(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"protocol":"quorum","parms":{"n":3}}`, `unknown field "parms"`},
		{`{"params":{"n":3}}`, `field "protocol" is missing`},
		{`{"protocol":"quorum","params":{"q":1}}`, `no parameter -q`},
		{`{"protocol":"quorum","params":{"n":99}}`, `-n`},
		{`{"protocol":"broadcast","choices":{"n":"x"}}`, `no parameter -n with named choices`},
		{`{"protocol":"broadcast","choices":{"algo":"gossip-by-pigeon"}}`, `-algo`},
		{`{"protocol":"quorum","mutant":"nope"}`, `no mutant "nope"`},
		{`{"protocol":"quorum","model":{"network":"carrier-pigeon","crash_mode":"stop"}}`, `-network`},
		{`{"protocol":"twophase","model":{"network":"fifo","crash_mode":"stop"}}`, `field "model"`},
		{`{"protocol":"quorum","search":{"strategy":"bfs","max_depth":-1}}`, `must not be negative`},
		{`{"protocol":"quorum","search":{"strategy":"bfs","timeout":"soon"}}`, `-timeout`},
		{`{"protocol":"kv","search":{"strategy":"bfs","symmetry":true}}`, `-symmetry`},
		{`[1,2]`, `not a run`},
	} {
		j, err := catalog.ReadRunJSON([]byte(c.json))
		if err == nil {
			var e *catalog.Entry
			if e, err = catalog.Lookup(j.Protocol); err == nil {
				_, err = e.RunFromJSON(j)
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.json, err, c.want)
		}
	}
}
