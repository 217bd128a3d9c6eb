package catalog_test

import (
	"reflect"
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
