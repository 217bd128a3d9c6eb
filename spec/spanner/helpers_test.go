package spanner_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/spanner"
)

type (
	state  = spanner.State
	action = spanner.Action
	result = explore.Result[state, action]
)

// properties are the model's properties as the explorer takes them, in
// the order the catalog checks them; without the reader, those about its
// snapshot are left out.
func properties(sp *spanner.Spec) []explore.Property[state, action] {
	all := []explore.Property[state, action]{
		explore.Invariant[state, action](spanner.PropExternalConsistency, sp.ExternalConsistency),
		explore.Invariant[state, action](spanner.PropConsistentSnapshot, sp.ConsistentSnapshot),
		explore.Invariant[state, action](spanner.PropMVCCSnapshot, sp.MVCCSnapshot),
		explore.Reachable[state, action](spanner.PropCommitWaited, sp.CommitWaited),
		explore.Reachable[state, action](spanner.PropSnapshotAfterDep, sp.SnapshotAfterDependency),
		explore.Reachable[state, action](spanner.PropSnapshotLeftOut, sp.SnapshotLeftOutNewer),
	}
	if sp.Params().Reader {
		return all
	}
	return slices.DeleteFunc(all, func(p explore.Property[state, action]) bool {
		return slices.Contains(spanner.SnapshotProps, p.Name)
	})
}

func newSpec(t *testing.T, p spanner.Params) *spanner.Spec {
	t.Helper()
	sp, err := spanner.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// check explores p exhaustively with the given options.
func check(t *testing.T, p spanner.Params, opts explore.Options) result {
	t.Helper()
	sp := newSpec(t, p)
	res, err := explore.Check[state, action](sp, properties(sp), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v: %v, %d states, %d transitions, depth %d, %v", p, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed)
	return res
}

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }
