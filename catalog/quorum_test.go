package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/quorum"
)

// The classic quorum-no-write-back (course 7.2, Cx1) is a configuration,
// not a mutant: the same run with -writeback 1 — ABD, the register the
// runtime runs with that flag — is proved, every property evaluated and
// every witness reached, read-after-read's among them.
func TestQuorumWithWriteBackProvesTheCx1Run(t *testing.T) {
	i := slices.IndexFunc(catalog.Classics(), func(c catalog.Classic) bool { return c.Name == "quorum-no-write-back" })
	if i < 0 {
		t.Fatal("no classic quorum-no-write-back")
	}
	e, r, err := catalog.Classics()[i].Run()
	if err != nil {
		t.Fatal(err)
	}
	r.Params["writeback"] = 1
	r.Options.Workers = 1
	rep, err := e.Check(r)
	if err != nil {
		t.Fatal(err)
	}
	// Linearizable is left out with one writer: read-after-write and
	// read-after-read say it.
	onlyLin := len(rep.Omitted) == 1 && rep.Omitted[0].Property == quorum.PropLinearizable
	if rep.Status != explore.OK || !onlyLin || rep.Stats.States != 80690 || rep.Stats.Transitions != 299508 {
		t.Fatalf("%v (%s %s), %d states, %d transitions, omitted %v; want OK, all evaluated but linearizable, 80,690 states, 299,508 transitions",
			rep.Status, rep.Property, rep.Reason, rep.Stats.States, rep.Stats.Transitions, rep.Omitted)
	}
	for _, s := range rep.Sometimes {
		if !s.Reached {
			t.Errorf("%s never reached", s.Property)
		}
	}
}

// With one read (the default) no read can start after another returned:
// read-after-read and its witness are left out, with the reason, rather
// than claimed (it cannot fail) or reported unreached; with one writer,
// so is linearizable.
func TestQuorumDefaultLeavesOutReadAfterRead(t *testing.T) {
	e, err := catalog.Lookup("quorum")
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.DefaultRun()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Check(r)
	if err != nil {
		t.Fatal(err)
	}
	var omitted []string
	for _, o := range rep.Omitted {
		if !strings.Contains(o.Reason, "fewer than two reads") && !strings.Contains(o.Reason, "one writer") {
			t.Errorf("%s left out: %s", o.Property, o.Reason)
		}
		omitted = append(omitted, o.Property)
	}
	if rep.Status != explore.OK || rep.Stats.States != 3409 || strings.Join(omitted, ",") != "read-after-read,linearizable,read-after-read-happens" {
		t.Fatalf("%v, %d states, evaluated %v, omitted %v", rep.Status, rep.Stats.States, rep.Evaluated, omitted)
	}
}
