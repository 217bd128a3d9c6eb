//go:build long

package catalog_test

import (
	"slices"
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

// TestHierarchyEveryCell checks the whole hierarchy experiment: every
// cell as the course expects it, every row's pinned state count, every
// counterexample replayed.
func TestHierarchyEveryCell(t *testing.T) {
	x, err := catalog.LookupExperiment("hierarchy")
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Check(explore.Options{Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Bugs)+len(res.Undecided) > 0 {
		t.Errorf("bugs %q, undecided %q", res.Bugs, res.Undecided)
	}
	rows := tableRows(t, res.Tables[0])
	if len(rows) != len(wantHierarchy) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantHierarchy))
	}
	for i, got := range rows {
		if got != wantHierarchy[i] {
			t.Errorf("row %d:\n got %s\nwant %s", i, got, wantHierarchy[i])
		}
		if c := res.Tables[0].Rows[i][0].Check; c.Stopped != "" || c.Stats.States != wantStates[i] {
			t.Errorf("row %d: %d states (stopped %q), want %d", i, c.Stats.States, c.Stopped, wantStates[i])
		}
	}
	if got, want := tableRows(t, res.Tables[1]), []string{"register: ✗4 ✗4 ✓*", "counter: ✓ ✓ ✓*", "addset: ✓ ✓ ✓*", "set: ✗4 ✗4 ✓*"}; !slices.Equal(got, want) {
		t.Errorf("replication:\n got %q\nwant %q", got, want)
	}
}
