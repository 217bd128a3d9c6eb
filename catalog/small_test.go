package catalog_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
)

// long is set by long_test.go when the tests are built with -tags long.
var long bool

// slowClassics take seconds of search each; the default set replays their
// saved counterexamples (TestEverySavedTraceReplays) and -tags long finds
// them again.
var slowClassics = map[string]bool{
	"raft-commit-any-term": true,
	"raft-no-term-check":   true,
	"raft-no-ack-guard":    true,

	// about 7M worlds (a minute) before the second value is chosen
	"paxosnode-volatile-promise": true,

	// a second or more of search each on two cores
	"raft-snapshot-keep-suffix":         true,
	"raft-snapshot-rollback":            true,
	"paxoscommit-ignore-votes":          true,
	"paxosnode-crashed-proposer-stalls": true,
	"paxosnode-any-value":               true,
}

// small are the settings that bring a protocol whose default space takes
// seconds down to a small one in which every sometimes property is still
// reached: Raft on two nodes (a crashed leader recovers and votes for the
// other, which replaces it), the key-value store on two.
var small = map[string]string{
	"raft": "-n 2",
	"kv":   "-n 2",
	// one proposer retrying on its timer (79,682 states; the default's
	// two duelling proposers take 111,670)
	"paxosnode": "-proposers 1 -tries 2",
}

// wantOKReport fails unless rep is OK and reaches every sometimes property
// (there must be one: without one, nothing shows the checks are not
// vacuous).
func wantOKReport(t *testing.T, name string, rep *catalog.Report) {
	t.Helper()
	if rep.Status != explore.OK {
		t.Errorf("%s: %v %s %s", name, rep.Status, rep.Property, rep.Reason)
	}
	if len(rep.Sometimes) == 0 {
		t.Errorf("%s has no sometimes property: nothing shows its checks are not vacuous", name)
	}
	for _, s := range rep.Sometimes {
		if !s.Reached {
			t.Errorf("%s: %s never reached", name, s.Property)
		}
	}
}

// TestSmallRunsAreOKAndReachEveryWitness: every protocol's check under
// its default model, on its default parameters or (for the few whose
// default space takes seconds) on the small ones above, is OK and reaches
// every sometimes property. The default spaces themselves are checked with
// -tags long (TestDefaultsAreOKAndReachEveryWitness).
func TestSmallRunsAreOKAndReachEveryWitness(t *testing.T) {
	for _, e := range catalog.All() {
		r, err := e.DefaultRun()
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Apply(small[e.Name], &r); err != nil {
			t.Fatalf("%s %s: %v", e.Name, small[e.Name], err)
		}
		r.Options.Workers = 2
		r.Options.MaxStates = 100_000 // a new protocol with a big default space needs an entry in small
		rep, err := e.Check(r)
		if err != nil {
			t.Fatal(err)
		}
		wantOKReport(t, strings.TrimSpace(e.Name+" "+small[e.Name]), rep)
	}
}

// TestHierarchyUnderABound checks the hierarchy experiment with each
// check bounded to 2,000 states: the rows that fit are exactly the
// table's, with their pinned counts; the others are undecided, say which
// bound stopped them, and every counterexample they found before it is the
// table's (BFS: the shortest) and replays. The full table runs with -tags
// long (TestHierarchyEveryCell).
func TestHierarchyUnderABound(t *testing.T) {
	const bound = 2000
	x, err := catalog.LookupExperiment("hierarchy")
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Check(explore.Options{Workers: 1, MaxStates: bound}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := tableRows(t, res.Tables[0])
	if len(rows) != len(wantHierarchy) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantHierarchy))
	}
	complete := 0
	for i, got := range rows {
		states := res.Tables[0].Rows[i][0].Check.Stats.States
		stopped := res.Tables[0].Rows[i][0].Check.Stopped
		if wantStates[i] <= bound {
			complete++
			if got != wantHierarchy[i] || stopped != "" || states != wantStates[i] {
				t.Errorf("row %d: %s, %d states (stopped %q)\nwant %s, %d states", i, got, states, stopped, wantHierarchy[i], wantStates[i])
			}
			continue
		}
		if stopped == "" {
			t.Errorf("row %d (%s): %d states and not stopped, want stopped by max-states %d", i, got, states, bound)
		}
		gotName, gotCells, _ := strings.Cut(got, ": ")
		wantName, wantCells, _ := strings.Cut(wantHierarchy[i], ": ")
		if gotName != wantName {
			t.Errorf("row %d is %s, want %s", i, gotName, wantName)
		}
		want := strings.Fields(wantCells)
		for k, c := range strings.Fields(gotCells) {
			if strings.HasPrefix(c, "✗") && c != want[k] {
				t.Errorf("row %d (%s), %s: %s under the bound, %s in the table", i, gotName, catalog.HierarchyProperties[k], c, want[k])
			}
			if strings.HasPrefix(c, "✓") {
				t.Errorf("row %d (%s), %s: ✓ from a check a bound stopped", i, gotName, catalog.HierarchyProperties[k])
			}
		}
	}
	if complete < 3 {
		t.Errorf("%d rows fit the bound: the test checks too little", complete)
	}
	if len(res.Bugs) != 0 || len(res.Undecided) == 0 {
		t.Errorf("bugs %q, undecided %q: want none and some", res.Bugs, res.Undecided)
	}
}
