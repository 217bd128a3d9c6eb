//go:build long

package catalog_test

import (
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
)

// The checks of every protocol's default space, of the slow classics and
// of the whole broadcast hierarchy (a minute and more on two cores) run
// with `go test -tags long ./catalog`; .ci/run runs them.
func init() { long = true }

// TestDefaultsAreOKAndReachEveryWitness: every protocol's default check
// (`modelcheck check NAME`) is OK and reaches every sometimes property.
// Raft's default space alone is 1,689,871 states.
func TestDefaultsAreOKAndReachEveryWitness(t *testing.T) {
	for _, e := range catalog.All() {
		r, err := e.DefaultRun()
		if err != nil {
			t.Fatal(err)
		}
		r.Options.Workers = 2
		rep, err := e.Check(r)
		if err != nil {
			t.Fatal(err)
		}
		wantOKReport(t, e.Name, rep)
	}
}

// TestHierarchyEveryCell checks the whole broadcast hierarchy: every cell,
// every row's pinned state count, every counterexample replayed.
func TestHierarchyEveryCell(t *testing.T) {
	rows, err := catalog.Hierarchy(explore.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(wantHierarchy) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantHierarchy))
	}
	for i, r := range rows {
		if got := hierarchyRow(t, r); got != wantHierarchy[i] {
			t.Errorf("row %d:\n got %s\nwant %s", i, got, wantHierarchy[i])
		}
		if r.Stopped != "" || r.Stats.States != wantStates[i] {
			t.Errorf("%s %s: %d states (stopped %q), want %d", r.Algorithm, r.Flags, r.Stats.States, r.Stopped, wantStates[i])
		}
	}
}
