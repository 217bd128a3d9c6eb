package cli

import (
	"slices"
	"strings"
	"testing"
)

// A check on lassos names the liveness kind in its verdicts, text and
// JSON alike, and lists the liveness properties as evaluated: here the
// classic, direct fan-out (eager broadcast without relaying) whose sender
// crashes after one send.
func TestLivenessVerdictNamesItsKind(t *testing.T) {
	args := []string{"broadcast", "-live", "1", "-algo", "eager", "-b0", "1", "-b1", "0", "-crashes", "1", "-crash-mid-step", "-mutant", "eager-no-relay", "-workers", "1"}
	code, out, _ := invoke(append([]string{"check"}, args...)...)
	if code != exitViolated {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{
		"result:  VIOLATED — eventual-agreement (leads-to): correct n1 delivered m0.1, and correct n2 has not",
		"liveness checked on lassos",
		"2. deliver n0→n1 Data(m0.1) ⟲ loop begins",
		"omitted: validity — checked as liveness instead (eventual-validity), with -live 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	code, rep := checkJSON(t, args...)
	if code != exitViolated || rep.Status != "violated" || rep.Kind == nil || *rep.Kind != "leads-to" || rep.Property == nil || *rep.Property != "eventual-agreement" {
		t.Fatalf("json: exit %d, status %s, property %v, kind %v", code, rep.Status, rep.Property, rep.Kind)
	}
	if !slices.Contains(rep.Evaluated, "eventual-validity") || !slices.Contains(rep.Evaluated, "eventual-agreement") || slices.Contains(rep.Evaluated, "agreement") {
		t.Errorf("evaluated %v", rep.Evaluated)
	}
	code, all := checkJSON(t, append(args, "-all")...)
	if code != exitViolated {
		t.Fatalf("-all: exit %d", code)
	}
	kinds := map[string]string{}
	for _, v := range all.Verdicts {
		kinds[v.Property] = v.Kind
	}
	if kinds["eventual-agreement"] != "leads-to" || kinds["eventual-validity"] != "leads-to" || kinds["no-creation"] != "always" {
		t.Errorf("-all verdict kinds %v", kinds)
	}
}
