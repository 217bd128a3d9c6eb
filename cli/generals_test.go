package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/byzantine"
)

// generalsTime matches the time column of the generals tables.
var generalsTime = regexp.MustCompile(`(?m)  [0-9.]+(ns|µs|ms|s)$`)

func TestGeneralsGolden(t *testing.T) {
	code, out, errOut := invoke("generals", "-workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	golden(t, "generals", generalsTime.ReplaceAllString(out, "  (time)"))
}

// Reference: course 2.1 and 2.2. Every k's result is asserted: the
// reliable link agrees, the lossy link loses the last messenger after k-1
// deliveries (k+1 steps) and leaves its sender attacking alone, A and B
// in turn. Four generals outvote the traitor wherever it sits; three lose
// under every tie rule; and the output says that 3f+1 made the difference.
func TestGeneralsAssertsEveryResult(t *testing.T) {
	code, out, _ := invoke("generals", "-json", "-workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var got generalsOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.TwoGenerals) != 4 {
		t.Fatalf("%d rows of two generals, want k = 1..4", len(got.TwoGenerals))
	}
	for i, r := range got.TwoGenerals {
		k := i + 1
		alone, from, to := "A", 0, 1
		if k%2 == 0 {
			alone, from, to = "B", 1, 0
		}
		want := generalsCheckOut{
			Command: fmt.Sprintf("modelcheck check twogenerals -k %d -drops 1", k), Status: "violated", Property: "agreement",
			Steps: k + 1, LastStep: fmt.Sprintf("drop n%d→n%d Messenger%d", from, to, k), States: int64(2*k + 3),
		}
		lo := r.Lossy
		if r.K != k || lo.Command != want.Command || lo.Status != want.Status || lo.Property != want.Property ||
			lo.Steps != want.Steps || lo.LastStep != want.LastStep || lo.States != want.States ||
			!strings.HasPrefix(lo.Reason, alone+" attacks alone") {
			t.Errorf("k=%d lossy: %+v, want %+v and %s attacking alone", k, lo, want, alone)
		}
		if r.Reliable.Status != "ok" || r.Reliable.States != int64(k+3) {
			t.Errorf("k=%d reliable: %+v, want ok in %d states", k, r.Reliable, k+3)
		}
	}
	lost := map[string]bool{}
	for _, r := range got.Byzantine {
		switch {
		case r.N == 4 && (r.Check.Status != "ok" || r.Check.States != map[bool]int64{true: 21952, false: 10100}[r.Traitor == 0]):
			t.Errorf("n=4 traitor n%d: %+v, want ok", r.Traitor, r.Check)
		case r.N == 3 && r.Check.Status == "violated":
			lost[r.Tie] = true
			if !strings.Contains(r.Check.Reason, fmt.Sprintf("n = 3 < 3f+1 = 4 with traitor n%d", r.Traitor)) {
				t.Errorf("n=3 tie %s traitor n%d: %q does not say n < 3f+1", r.Tie, r.Traitor, r.Check.Reason)
			}
		}
	}
	if len(got.Byzantine) != 4+3*len(byzantine.TieNames) || len(lost) != len(byzantine.TieNames) {
		t.Errorf("%d Byzantine checks, n = 3 lost under %v; want 4 + 3 per tie rule, lost under all", len(got.Byzantine), lost)
	}
	if !strings.HasPrefix(got.ByzantineConclusion, "n ≥ 3f+1 made the difference") || !strings.Contains(got.TwoGeneralsConclusion, "for every k = 1..4") {
		t.Errorf("conclusions: %q, %q", got.TwoGeneralsConclusion, got.ByzantineConclusion)
	}
	if len(got.Bugs)+len(got.Undecided) != 0 {
		t.Errorf("bugs %v, undecided %v", got.Bugs, got.Undecided)
	}
}

// A result that contradicts the course is a bug: no conclusion is drawn
// and the command exits 1. The rows are real checks with one outcome
// flipped.
func TestGeneralsReportsAContradictionAsABug(t *testing.T) {
	opts := explore.Options{Workers: 1}
	two, err := checkTwoGenerals(opts)
	if err != nil {
		t.Fatal(err)
	}
	byz, err := checkByzantine(opts)
	if err != nil {
		t.Fatal(err)
	}
	if f := judgeGenerals(two, byz); f.TwoGenerals == "" || f.Byzantine == "" || len(f.Bugs) != 0 {
		t.Fatalf("as checked: %+v", f)
	}
	flip := func(c generalsCheck, status explore.Status) generalsCheck {
		rep := *c.Report
		rep.Status = status
		c.Report = &rep
		return c
	}
	lossyOK := append([]twoGeneralsRow{}, two...)
	lossyOK[2].Lossy = flip(lossyOK[2].Lossy, explore.OK)
	f := judgeGenerals(lossyOK, byz)
	if f.TwoGenerals != "" || len(f.Bugs) != 1 || !strings.Contains(f.Bugs[0], "twogenerals -k 3 -drops 1: ok") {
		t.Errorf("a lossy link that agrees: %+v", f)
	}
	var n3 []byzantineRow
	for _, r := range byz {
		if r.N == 3 && r.Tie == byzantine.TieCommander {
			r.Check = flip(r.Check, explore.OK)
		}
		n3 = append(n3, r)
	}
	f = judgeGenerals(two, n3)
	if f.Byzantine != "" || len(f.Bugs) != 1 || !strings.Contains(f.Bugs[0], "-tie commander: no traitor wins") {
		t.Errorf("three generals that survive a traitor: %+v", f)
	}
	n4 := append([]byzantineRow{}, byz...)
	n4[1].Check = flip(n4[1].Check, explore.Violated)
	f = judgeGenerals(two, n4)
	if f.Byzantine != "" || len(f.Bugs) != 1 || !strings.Contains(f.Bugs[0], "n = 4 ≥ 3f+1 must outvote") {
		t.Errorf("four generals that lose: %+v", f)
	}
}

// A bound that stops the checks decides nothing: exit 3, no conclusion.
func TestGeneralsUnderABoundIsIncomplete(t *testing.T) {
	code, out, _ := invoke("generals", "-max-states", "3", "-workers", "1")
	if code != exitIncomplete {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "made the difference") || strings.Contains(out, "for every k") || !strings.Contains(out, "not decided: modelcheck check twogenerals -k 1: stopped by max-states 3") {
		t.Errorf("output under a bound:\n%s", out)
	}
}

func TestGeneralsUsage(t *testing.T) {
	code, out, _ := invoke("generals", "-h")
	if code != exitOK || !strings.Contains(out, "usage: "+generalsSynopsis) || !strings.Contains(out, "-max-states") {
		t.Errorf("-h: exit %d:\n%s", code, out)
	}
	for _, args := range [][]string{{"generals", "-nope"}, {"generals", "extra"}, {"generals", "-workers", "-1"}} {
		code, out, errOut := invoke(args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, out, _ := invoke("-h"); code != exitOK || !strings.Contains(out, "generals [-json]") {
		t.Errorf("modelcheck -h does not list generals:\n%s", out)
	}
}

// Each row's command line repeats its check exactly.
func TestGeneralsRowsRepeatByTheirCommand(t *testing.T) {
	two, err := checkTwoGenerals(explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	byz, err := checkByzantine(explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []generalsCheck{two[3].Lossy, two[0].Reliable, byz[len(byz)-1].Check} {
		args := append(strings.Fields(c.command())[1:], "-workers", "1")
		code, out, _ := invoke(args...)
		want := map[explore.Status]int{explore.OK: exitOK, explore.Violated: exitViolated}[c.Report.Status]
		if code != want || !strings.Contains(out, c.Report.Reason) || !strings.Contains(out, "states:  "+count(c.Report.Stats.States)+" distinct") {
			t.Errorf("%s: exit %d, want %d with %q in %d states:\n%s", c.command(), code, want, c.Report.Reason, c.Report.Stats.States, out)
		}
	}
}
