package catalog_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/broadcast"
)

// The broadcast hierarchy of course 4.2, as evidence: every algorithm keeps
// the promises of its level under the model it assumes (cells with *), and
// for every edge of the hierarchy the weaker algorithm breaks the stronger
// property (✗ and the length of the shortest counterexample):
//
//	best-effort < reliable   besteffort, crash mid-step: agreement
//	reliable < FIFO          eager: fifo-order
//	FIFO < causal            fifo: causal-order
//	causal < FIFO-total      causal: total-order
//	reliable < total         eager: total-order
//	total < FIFO-total       sequencer: fifo-order
//
// and the course's counterexamples outside the assumptions: fan-out loses
// agreement when the sender crashes, the sequencer and Lamport total order
// stop when a node crashes, Lamport total order breaks without FIFO links.
var wantHierarchy = []string{
	//           no-dup no-create validity agreement fifo causal total
	"besteffort: ✓* ✓* ✓* ✓ ✗3 ✗3 ✗4",
	"fanout: ✓* ✓* ✓* ✓ ✗3 ✗3 ✗4",
	"eager: ✓* ✓* ✓* ✓* ✗3 ✗3 ✗4",
	"gossip: ✓* ✓* ✗15 ✗15 ✗4 ✗4 ✗6",
	"fifo: ✓* ✓* ✓* ✓* ✓* ✗4 ✗4",
	"causal: ✓* ✓* ✓* ✓* ✓* ✓* ✗4",
	"sequencer: ✓* ✓* ✓* ✓* ✗3 ✗3 ✓*",
	"lamport: ✓* ✓* ✓* ✓* ✓* ✓* ✓*",
	"fifo-total: ✓* ✓* ✓* ✓* ✓* ✓* ✓*",
	"besteffort (outside) -b0 1 -b1 2 -crashes 1 -crash-mid-step: ✓ ✓ ✓ ✗5 ✗3 ✗3 ✗4",
	"fanout (outside) -b0 0 -b1 2 -drops 1 -crashes 1 -crash-mid-step: ✓ ✓ ✓ ✗3 ✗3 ✗3 ✗4",
	"sequencer (outside) -b0 1 -b1 2 -crashes 1: ✓ ✓ ✗5 ✓ ✗3 ✗3 ✓",
	"lamport (outside) -b0 1 -b1 1 -network fifo -crashes 1: ✓ ✓ ✗6 ✓ ✓ ✓ ✓",
	"lamport (outside) -b0 1 -b1 1 -network unordered: ✓ ✓ ✓ ✓ ✓ ✓ ✗7",
}

var wantStates = []int64{618, 16273, 121727, 134072, 48663, 37613, 855, 550731, 540, 4413, 146527, 6699, 37983, 51367}

// tableRows writes each row of a checked table as "label: marks" (an
// outside row of the hierarchy with its level and model), checking that
// every counterexample replays to its violation.
func tableRows(t *testing.T, tr catalog.TableResult) []string {
	t.Helper()
	var out []string
	for i, row := range tr.Rows {
		r := tr.Table.Rows[i]
		name := r.Label
		if len(r.Info) == 2 && r.Info[0] == "(outside)" {
			name += " (outside) " + r.Info[1]
		}
		var cells []string
		for _, o := range row {
			var s string
			switch o.Finding {
			case catalog.Held:
				s = "✓"
			case catalog.Broken:
				s = fmt.Sprintf("✗%d", o.Steps())
				if o.Property == "" {
					s = fmt.Sprintf("✗%s%d", o.Broken, o.Steps())
				}
				if o.Trace == nil {
					t.Errorf("%s %s: violated without a trace", name, o.Broken)
				} else if again, err := catalog.Replay(o.Trace); err != nil || !again.Violated || again.Property != o.Broken {
					t.Errorf("%s %s: the counterexample replays to %+v, %v", name, o.Broken, again, err)
				}
			case catalog.Undecided:
				s = "?"
			default:
				s = o.Finding.String()
			}
			if o.Promised {
				s += "*"
			}
			cells = append(cells, s)
		}
		out = append(out, name+": "+strings.Join(cells, " "))
	}
	return out
}

// Every experiment names protocols, flags and properties that exist, and
// every row has a cell per column.
func TestExperimentsValidate(t *testing.T) {
	xs := catalog.Experiments()
	if len(xs) < 3 {
		t.Fatalf("%d experiments", len(xs))
	}
	for _, x := range xs {
		if err := x.Validate(); err != nil {
			t.Error(err)
		}
	}
	// Every algorithm of the hierarchy is a row under the model it
	// assumes.
	x, err := catalog.LookupExperiment("hierarchy")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, r := range x.Tables[0].Rows {
		labels = append(labels, r.Label)
	}
	for _, a := range broadcast.Algorithms() {
		if !slices.Contains(labels, a.String()) {
			t.Errorf("no row for %s", a)
		}
	}
	if _, err := catalog.LookupExperiment("nope"); err == nil || !strings.Contains(err.Error(), "hierarchy") {
		t.Errorf("unknown experiment: %v", err)
	}
}

// The generals and RPC semantics experiments, every cell pinned: each
// verdict the course expects, and the checker's counterexamples replay.
func TestGeneralsAndRPCMeetTheCourse(t *testing.T) {
	want := map[string][][]string{
		"generals": {
			{"1: ✓ ✗2", "2: ✓ ✗3", "3: ✓ ✗4", "4: ✓ ✗5"},
			{"n0 (commander): ✓*", "n1: ✓*", "n2: ✓*", "n3: ✓*"},
			{"retreat: ✓ ✗validity4 ✗validity4", "commander: ✗agreement3 ✓ ✓", "attack: ✓ ✗validity6 ✗validity6", "relay: ✗agreement3 ✗validity4 ✗validity4"},
		},
		"rpc": {{
			"at-most-once: ✓* ✓ ✓", "at-most-once: ✓* ✗6 ✗6", "at-most-once: ✗4 ✓ ✗9",
			"at-least-once: ✗4 ✓* ✗9", "at-least-once: ✗4 ✓* ✗9", "at-least-once: ✗4 ✓* ✗9",
			"exactly-once: ✓* ✓* ✓*", "exactly-once: ✓* ✓* ✓*", "exactly-once: ✓* ✓* ✓*",
			"idempotent: ✓* ✓* ✓*", "idempotent: ✓* ✓* ✓*", "idempotent: ✓* ✓* ✓*", "idempotent: ✗7 ✓* ✗9",
		}},
	}
	for name, tables := range want {
		x, err := catalog.LookupExperiment(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Check(explore.Options{Workers: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Bugs)+len(res.Undecided) > 0 {
			t.Errorf("%s: bugs %q, undecided %q", name, res.Bugs, res.Undecided)
		}
		for i, tr := range res.Tables {
			if got := tableRows(t, tr); !slices.Equal(got, tables[i]) {
				t.Errorf("%s, %s:\n got %q\nwant %q", name, tr.Title, got, tables[i])
			}
			if tr.Conclusion == "" {
				t.Errorf("%s, %s: no conclusion although every expectation was met", name, tr.Title)
			}
		}
	}
}

// A verdict that contradicts the expected one, a row that the course says
// must break but does not, and a cell whose property its check does not
// evaluate are bugs, and no conclusion is drawn; a bound that stops a check
// leaves its cells undecided, not contradicted.
func TestAContradictionIsABugNotALesson(t *testing.T) {
	x := catalog.Experiment{Name: "wrong", Tables: []catalog.Table{{
		Title: "wrong", Columns: []string{"agreement"}, Conclusion: "must not be drawn",
		Rows: []catalog.Row{
			{Label: "lossy", Cells: []catalog.Probe{{Protocol: "twogenerals", Flags: "-k 2 -drops 1", Property: "agreement", Expect: catalog.Holds}}},
			{Label: "reliable", SomeBreaks: true, Cells: []catalog.Probe{{Protocol: "twogenerals", Flags: "-k 2", Property: "agreement"}}},
			{Label: "liveness", Cells: []catalog.Probe{{Protocol: "broadcast", Flags: "-algo eager", Property: broadcast.PropEventualValidity, Expect: catalog.Holds}}},
		},
	}}}
	res, err := x.Check(explore.Options{Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Bugs) != 3 || res.Tables[0].Conclusion != "" {
		t.Fatalf("bugs %q, conclusion %q: want three bugs and none", res.Bugs, res.Tables[0].Conclusion)
	}
	for i, want := range []string{"agreement violated in 3 steps", "every cell holds", "not evaluated"} {
		if !strings.Contains(res.Bugs[i], want) {
			t.Errorf("bug %d: %q, want it to say %q", i, res.Bugs[i], want)
		}
	}
	if o := res.Tables[0].Rows[2][0]; o.Finding != catalog.NotEvaluated || o.Met {
		t.Errorf("a property its check left out: %v, met %v", o.Finding, o.Met)
	}

	bounded := catalog.Experiment{Name: "bounded", Tables: []catalog.Table{{
		Title: "bounded", Columns: []string{"all"}, Conclusion: "must not be drawn",
		Rows: []catalog.Row{{Label: "n4", Cells: []catalog.Probe{{Protocol: "byzantine", Flags: "-n 4 -byzantine 0", Expect: catalog.Holds}}}},
	}}}
	res, err = bounded.Check(explore.Options{Workers: 1, MaxStates: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Tables[0].Rows[0][0]; o.Finding != catalog.Undecided || len(res.Bugs) != 0 || len(res.Undecided) != 1 || res.Tables[0].Conclusion != "" {
		t.Errorf("bounded: %v, bugs %q, undecided %q, conclusion %q", o.Finding, res.Bugs, res.Undecided, res.Tables[0].Conclusion)
	}

	bad := catalog.Experiment{Name: "bad", Tables: []catalog.Table{{Title: "bad", Columns: []string{"x"},
		Rows: []catalog.Row{{Label: "r", Cells: []catalog.Probe{{Protocol: "twogenerals", Flags: "-k 2", Property: "no-such-property"}}}}}}}
	if _, err := bad.Check(explore.Options{}, nil); err == nil || !strings.Contains(err.Error(), "no-such-property") {
		t.Errorf("a property the protocol does not declare: %v", err)
	}
}
