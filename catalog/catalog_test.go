package catalog_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/traces"
)

var update = flag.Bool("update", false, "rewrite the saved counterexamples in testdata/counterexamples (read the diff)")

// TestClassicCounterexamplesAreFoundSavedAndReplayed checks every classic
// counterexample (every mutant of every protocol, under the settings that
// show it, and the broken configurations of correct protocols): the checker
// finds the property it names; the trace equals the one saved in
// testdata/counterexamples, so a change of a counterexample is reviewed
// like a golden diff; and the saved file replays against the spec to the
// same violation.
func TestClassicCounterexamplesAreFoundSavedAndReplayed(t *testing.T) {
	for _, e := range catalog.All() {
		if len(e.Mutants) == 0 {
			t.Errorf("%s has no mutant: nothing shows its properties can fail", e.Name)
		}
	}
	for _, c := range catalog.Classics() {
		t.Run(c.Name, func(t *testing.T) {
			if slowClassics[c.Name] && !long {
				t.Skip("seconds of search: run with go test -tags long (TestEverySavedTraceReplays replays its saved trace)")
			}
			e, r, err := c.Run()
			if err != nil {
				t.Fatal(err)
			}
			r.Options.Workers = 1 // repeatable counterexamples
			rep, err := e.Check(r)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status != explore.Violated || rep.Property != c.Breaks || rep.Trace == nil {
				t.Fatalf("%v %q (%s), want %s violated with a trace", rep.Status, rep.Property, rep.Reason, c.Breaks)
			}
			var got bytes.Buffer
			if err := traces.Write(&got, rep.Trace); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "counterexamples", c.Name+".json")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			saved, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./catalog -update writes it)", err)
			}
			if d := cmp.Diff(string(saved), got.String()); d != "" {
				t.Errorf("the counterexample changed (-saved +now):\n%s", d)
			}
			replayFile(t, path, c.Breaks)
		})
	}
}

// TestEverySavedTraceReplays replays every file in testdata/counterexamples,
// including any saved by hand, so a counterexample found once stays a test.
func TestEverySavedTraceReplays(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "counterexamples", "*.json"))
	if len(files) < len(catalog.Classics()) {
		t.Fatalf("%d saved traces for %d classics", len(files), len(catalog.Classics()))
	}
	for _, f := range files {
		tr, err := traces.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		replayFile(t, f, tr.Violation.Property)
	}
}

func replayFile(t *testing.T, path, property string) {
	t.Helper()
	tr, err := traces.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := catalog.Replay(tr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !again.Violated || again.Property != property || again.Steps != len(tr.Steps()) {
		t.Fatalf("%s replays to %+v, want %s violated after %d steps", path, again, property, len(tr.Steps()))
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
	if _, err := catalog.Lookup("nosuch"); err == nil || !strings.Contains(err.Error(), "(known: ") || !strings.Contains(err.Error(), " broadcast, ") {
		t.Errorf("Lookup: %v", err)
	}
}
