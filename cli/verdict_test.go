package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
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
