package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
)

// checkJSON runs a check with -json and decodes the report.
func checkJSON(t *testing.T, args ...string) (int, reportOut) {
	t.Helper()
	code, out, errOut := invoke(append(append([]string{"check"}, args...), "-json")...)
	var rep reportOut
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: exit %d, %v\nstdout %q\nstderr %q", args, code, err, out, errOut)
	}
	return code, rep
}

func omittedNames(os []omissionOut) []string {
	var names []string
	for _, o := range os {
		names = append(names, o.Property)
	}
	return names
}

// Eager broadcast is reliable, not ordered: its check leaves the order
// properties out, and its OK must say so, not "every property holds" —
// -all over the same space finds them violated.
func TestOKSaysWhichPropertiesItCovered(t *testing.T) {
	args := []string{"check", "broadcast", "-n", "2", "-b0", "2", "-b1", "1", "-workers", "1"}
	code, out, _ := invoke(args...)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"result:  OK — the bounded space is exhausted and the 8 properties checked hold; not checked: fifo-order, causal-order, total-order, eventual-validity, eventual-agreement (below)\n",
		"checked: no-duplication, no-creation, validity, agreement, convergence\n",
		"omitted: fifo-order, causal-order, total-order — not promised by algorithm eager (level: reliable); -all to include\n",
		"omitted: eventual-validity, eventual-agreement — liveness, checked on fair lassos with -live 1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "every property holds") {
		t.Errorf("claims every property holds with three left out:\n%s", out)
	}

	code, rep := checkJSON(t, args[1:]...)
	if code != exitOK || rep.Status != "ok" {
		t.Fatalf("json: exit %d, status %q", code, rep.Status)
	}
	if got, want := omittedNames(rep.Omitted), []string{"fifo-order", "causal-order", "total-order", "eventual-validity", "eventual-agreement"}; !slices.Equal(got, want) {
		t.Errorf("omitted %v, want %v", got, want)
	}
	for _, o := range rep.Omitted[:3] {
		if !strings.Contains(o.Reason, "not promised by algorithm eager") || !strings.Contains(o.Reason, "-all") {
			t.Errorf("%s: reason %q", o.Property, o.Reason)
		}
	}
	if len(rep.Evaluated) != 8 || slices.Contains(rep.Evaluated, "fifo-order") || !slices.Contains(rep.Evaluated, "agreement") {
		t.Errorf("evaluated %v", rep.Evaluated)
	}
	if strings.Contains(rep.Result, "every property holds") {
		t.Errorf("result %q", rep.Result)
	}

	// -all evaluates them: the same space, and they fail. The liveness
	// properties ask for a check on lassos, -live 1.
	code, all := checkJSON(t, append(args[1:], "-all")...)
	if code != exitViolated || all.Status != "violated" || !slices.Equal(omittedNames(all.Omitted), []string{"eventual-validity", "eventual-agreement"}) {
		t.Fatalf("-all: exit %d, status %s, omitted %v", code, all.Status, all.Omitted)
	}
	var violated []string
	for _, v := range all.Verdicts {
		if v.Violated {
			violated = append(violated, v.Property)
		}
	}
	if !slices.Equal(violated, []string{"fifo-order", "causal-order", "total-order"}) {
		t.Errorf("-all violates %v", violated)
	}
}

// The replica store's check leaves maximal-versions out for lww (only the
// multi-value store promises it) and says so in text and JSON.
func TestReplicaOKNamesMaximalVersionsLeftOut(t *testing.T) {
	code, out, _ := invoke("check", "replica", "-workers", "1")
	if code != exitOK || !strings.Contains(out, "not checked: maximal-versions, siblings") ||
		!strings.Contains(out, "omitted: maximal-versions — promised only by -store mv; -all to include") ||
		strings.Contains(out, "every property holds") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, rep := checkJSON(t, "replica", "-workers", "1")
	if code != exitOK || !slices.Equal(omittedNames(rep.Omitted), []string{"maximal-versions", "siblings"}) {
		t.Fatalf("exit %d, omitted %v", code, rep.Omitted)
	}
}

// A check that evaluates everything still says so, and lists it.
func TestOKWithNothingLeftOutSaysEveryPropertyHolds(t *testing.T) {
	code, rep := checkJSON(t, "twophase", "-workers", "1")
	if code != exitOK || len(rep.Omitted) != 0 || !slices.Equal(rep.Evaluated, []string{"consistent", "all-committed", "all-aborted"}) ||
		rep.Result != "OK — the bounded space is exhausted and every property holds" {
		t.Fatalf("exit %d: %+v", code, rep)
	}
}

// The hierarchy table says what every row checked beyond its columns,
// what a row left out and why, and marks a row whose good paths never
// happened as vacuous.
func TestHierarchySaysWhatEachRowChecked(t *testing.T) {
	cells := func() []catalog.Cell {
		var cs []catalog.Cell
		for _, p := range catalog.HierarchyProperties {
			cs = append(cs, catalog.Cell{Property: p})
		}
		return cs
	}
	evaluated := append(slices.Clone(catalog.HierarchyProperties), "convergence", "causal-chain", "concurrent-broadcasts", "all-delivered")
	reached := []catalog.Reach{{Property: "causal-chain", Reached: true}, {Property: "concurrent-broadcasts", Reached: true}, {Property: "all-delivered", Reached: true}}
	rows := []catalog.HierarchyRow{
		{Algorithm: "eager", Level: "reliable", Assumed: true, Flags: "-algo eager -b0 1 -b1 2", Cells: cells(), Evaluated: evaluated, Sometimes: reached},
		{Algorithm: "fanout", Level: "best-effort", Assumed: true, Flags: "-algo fanout -b0 0 -b1 2 -drops 1", Cells: cells(),
			Evaluated: append(slices.Clone(catalog.HierarchyProperties), "convergence", "all-delivered"),
			Omitted: []catalog.Omission{
				{Property: "causal-chain", Kind: "sometimes", Reason: "cannot happen in this run: only one node broadcasts"},
				{Property: "concurrent-broadcasts", Kind: "sometimes", Reason: "cannot happen in this run: only one node broadcasts"}},
			Sometimes: []catalog.Reach{{Property: "all-delivered", Reached: true}}},
		{Algorithm: "gossip", Level: "safety only", Assumed: true, Flags: "-algo gossip -b0 1 -b1 2", Cells: cells(), Evaluated: evaluated,
			Sometimes: []catalog.Reach{{Property: "causal-chain", Reached: true}, {Property: "concurrent-broadcasts", Reached: true}, {Property: "all-delivered"}}},
	}
	var b strings.Builder
	if err := writeHierarchy(&b, rows, nil, ""); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"every row also checks convergence; each row's good paths (sometimes: causal-chain, concurrent-broadcasts, all-delivered) are reached, except as said here:\n",
		"  fanout (-b0 0 -b1 2 -drops 1): causal-chain, concurrent-broadcasts not checked — cannot happen in this run: only one node broadcasts\n",
		"  VACUOUS: gossip (-b0 1 -b1 2 (reliable, no crash)): all-delivered never reached, so its ✓ cells prove nothing\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	js := hierarchyJSON(rows, nil)
	if got := omittedNames(js[1].Omitted); !slices.Equal(got, []string{"causal-chain", "concurrent-broadcasts"}) || len(js[0].Evaluated) != 11 || len(js[2].Sometimes) != 3 || js[2].Sometimes[2].Reached {
		t.Errorf("json: %+v", js)
	}
}

// Every check behind the generals' tables reports what it evaluated, in
// JSON as in text (the whole tables: generals.golden).
func TestGeneralsSaysWhatEachCheckEvaluated(t *testing.T) {
	var checks []generalsCheck
	for _, c := range [][2]string{{"twogenerals", "-k 1"}, {"twogenerals", "-k 1 -drops 1"}} {
		gc, err := runGeneralsCheck(c[0], c[1], explore.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, gc)
		if out := checkOut(gc); !slices.Equal(out.Evaluated, []string{"agreement", "validity", "both-attack", "both-retreat"}) || out.Omitted == nil {
			t.Errorf("%s: evaluated %v, omitted %v", out.Command, out.Evaluated, out.Omitted)
		}
	}
	if got, want := coverageText(checks), "each check evaluates agreement and validity; an ok also means its good paths happen (both-attack and both-retreat reached)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// A check that leaves a property out names it under the table.
	checks[0].Report.Omitted = []catalog.Omission{{Property: "both-attack", Kind: "sometimes", Reason: "cannot happen in this run: no order to attack"}}
	if got := coverageText(checks); !strings.Contains(got, "  modelcheck check twogenerals -k 1: both-attack not checked — cannot happen in this run: no order to attack\n") {
		t.Errorf("got %q", got)
	}
}
