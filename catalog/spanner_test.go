package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/spanner"
)

func spannerRun(t *testing.T, flags string) (*catalog.Entry, catalog.Run) {
	t.Helper()
	e, err := catalog.Lookup("spanner")
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.DefaultRun()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(flags, &r); err != nil {
		t.Fatal(err)
	}
	r.Options.Workers = 1
	return e, r
}

// The default check proves every property of Spanner, with every witness
// reached, over the pinned space.
func TestSpannerDefaultProvesEveryProperty(t *testing.T) {
	e, r := spannerRun(t, "")
	rep, err := e.Check(r)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != explore.OK || !rep.AllEvaluated() || rep.Stats.States != 7360 || rep.Stats.Transitions != 22351 || len(rep.Evaluated) != 6 {
		t.Fatalf("%v (%s), %d states, %d transitions, evaluated %v, omitted %v", rep.Status, rep.Reason, rep.Stats.States, rep.Stats.Transitions, rep.Evaluated, rep.Omitted)
	}
	for _, s := range rep.Sometimes {
		if !s.Reached {
			t.Errorf("%s never reached", s.Property)
		}
	}
}

// Without the read-only transaction the snapshot properties cannot be
// reached or broken: they are left out with the reason, not claimed to
// hold, and a kept-going check gives no verdict on them.
func TestSpannerWithoutReaderLeavesOutTheSnapshotProperties(t *testing.T) {
	e, r := spannerRun(t, "-reader 0")
	r.Options.KeepGoing = true
	rep, err := e.Check(r)
	if err != nil {
		t.Fatal(err)
	}
	var omitted, verdicts []string
	for _, o := range rep.Omitted {
		if !strings.Contains(o.Reason, "no read-only transaction") {
			t.Errorf("%s left out: %s", o.Property, o.Reason)
		}
		omitted = append(omitted, o.Property)
	}
	for _, v := range rep.Verdicts {
		verdicts = append(verdicts, v.Property)
	}
	if rep.Status != explore.OK || rep.Stats.States != 490 || !slices.Equal(omitted, spanner.SnapshotProps) ||
		!slices.Equal(rep.Evaluated, []string{spanner.PropExternalConsistency, spanner.PropCommitWaited}) ||
		!slices.Equal(verdicts, []string{spanner.PropExternalConsistency}) {
		t.Fatalf("%v, %d states, evaluated %v, omitted %v, verdicts %v", rep.Status, rep.Stats.States, rep.Evaluated, omitted, verdicts)
	}
}
