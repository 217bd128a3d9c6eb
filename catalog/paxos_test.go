package catalog_test

import (
	"path/filepath"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/traces"
)

// PaxosCommit.cfg's whole space is 1,321,761 states (seconds): the small
// runs check it with one RM.
func init() { small["paxoscommit"] = "-rms 1" }

// TestPaxosChecksCountTLCsStates: `modelcheck check` of paxos and
// paxoscommit under their defaults (the constants of MCPaxosTiny.cfg and
// PaxosCommit.cfg) finds TLC's published numbers of distinct states and
// of states generated; MCPaxosSmall's (ballots 0..2) are pinned. The
// reduced runs store one state per orbit.
func TestPaxosChecksCountTLCsStates(t *testing.T) {
	for _, c := range []struct {
		protocol, flags     string
		states, transitions int64
		long                bool
	}{
		{"paxos", "", 3_921, 23_563, false},
		{"paxos", "-maxballot 2", 185_369, 1_361_380, false},
		{"paxos", "-symmetry", 857, 0, false},
		{"paxoscommit", "-rms 1", 1_461, 9_936, false},
		{"paxoscommit", "", 1_321_761, 16_959_159, true},
		{"paxoscommit", "-symmetry", 119_992, 1_545_109, true},
	} {
		if c.long && !long {
			continue
		}
		e, err := catalog.Lookup(c.protocol)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.DefaultRun()
		if err != nil {
			t.Fatal(err)
		}
		if c.flags == "-symmetry" {
			r.Symmetry = true
		} else if err := e.Apply(c.flags, &r); err != nil {
			t.Fatal(err)
		}
		r.Options.Workers = 2
		rep, err := e.Check(r)
		if err != nil {
			t.Fatal(err)
		}
		wantOKReport(t, c.protocol+" "+c.flags, rep)
		if rep.Stats.States != c.states || c.transitions != 0 && rep.Stats.Transitions != c.transitions || !rep.AllEvaluated() {
			t.Errorf("%s %s: %d states, %d transitions, omitted %v; want %d, %d", c.protocol, c.flags, rep.Stats.States, rep.Stats.Transitions, rep.Omitted, c.states, c.transitions)
		}
	}
}

// TestPaxosMutantTracesDoNotBreakTheCorrectProtocols: each saved
// counterexample of a paxos or paxoscommit mutant, replayed on the correct
// protocol (its mutant field cleared), is refused or ends with its
// property holding.
func TestPaxosMutantTracesDoNotBreakTheCorrectProtocols(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "counterexamples", "paxos-*.json"))
	commit, _ := filepath.Glob(filepath.Join("testdata", "counterexamples", "paxoscommit-*.json"))
	files = append(files, commit...)
	if len(files) != 8 {
		t.Fatalf("%d saved paxos and paxoscommit counterexamples, want 8", len(files))
	}
	for _, f := range files {
		tr, err := traces.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Mutant == "" {
			t.Fatalf("%s: no mutant", f)
		}
		tr.Mutant = ""
		if again, err := catalog.Replay(tr); err == nil && again.Violated {
			t.Errorf("%s: violates %s on the correct protocol", f, again.Property)
		}
	}
}
