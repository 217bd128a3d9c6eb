package cli

import (
	"strings"
	"testing"
)

// A parameter that contradicts another is refused before any work, in one
// line naming both — in check and in run alike, since both resolve their
// parameters through the catalog's declarations.
func TestContradictoryParametersAreRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "raft", "-candidates", "5", "-n", "3"}, "raft: -candidates 5 exceeds -n = 3 with -n 3"},
		{[]string{"check", "kv", "-candidates", "5", "-n", "3"}, "kv: -candidates 5 exceeds -n = 3 with -n 3"},
		{[]string{"run", "raft", "-candidates", "5", "-n", "3", "-simulate"}, "raft: -candidates 5 exceeds -n = 3"},
		{[]string{"check", "replica", "-skew", "2"}, "replica: -skew 2 has no effect with -store lww: only physical timestamps read a clock; it applies only with -store physical"},
		{[]string{"check", "byzantine", "-tie", "commander"}, "byzantine: -tie commander has no effect with -n 4: with four generals a lieutenant holds three values and never ties; it applies only with -n 3 or -mutant ignore-own-order"},
		{[]string{"check", "broadcast", "-fanout", "2"}, "broadcast: -fanout 2 has no effect with -algo eager"},
		{[]string{"check", "broadcast", "-algo", "gossip", "-n", "2", "-fanout", "2"}, "broadcast: -fanout 2 exceeds -n -1 = 1 with -n 2"},
		{[]string{"check", "broadcast", "-retries", "2"}, "broadcast: -retries 2 has no effect with -algo eager: only fan-out resends"},
		{[]string{"check", "broadcast", "-n", "2", "-b2", "1"}, "broadcast: -b2 1 is for node 2, but -n 2 has nodes 0..1"},
		{[]string{"check", "replica", "-w2", "1"}, "replica: -w2 1 is for node 2, but -n 2 has nodes 0..1"},
		{[]string{"check", "rpc", "-sem", "at-most-once", "-retries", "3"}, "rpc: -retries 3 has no effect with -sem at-most-once: an at-most-once client never resends"},
	} {
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
}

// The same parameters where they do apply are accepted.
func TestParametersThatApplyAreAccepted(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"check", "byzantine", "-n", "3", "-tie", "commander", "-byzantine", "0"}, exitViolated},
		{[]string{"check", "byzantine", "-n", "4", "-tie", "commander", "-mutant", "ignore-own-order", "-byzantine", "3"}, exitOK}, // trusting the loyal commander on a tie hides the mutant
		{[]string{"check", "replica", "-store", "physical", "-skew", "2"}, exitViolated},
		{[]string{"check", "broadcast", "-algo", "gossip", "-n", "3", "-fanout", "2", "-b0", "1", "-b1", "0"}, exitOK},
		{[]string{"check", "raft", "-n", "2", "-candidates", "2", "-maxterm", "1", "-crashes", "0"}, exitOK},
	} {
		code, out, errOut := invoke(append(c.args, "-workers", "1")...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", c.args, code, c.code, out, errOut)
		}
	}
}
