package cli

import (
	"strings"
	"testing"
)

// A mutant the search does not catch is said NOT caught, in the result
// itself, with the flags that show it — in text and in JSON. The exit code
// stays 0: the properties do hold in the space searched.
func TestMutantNotCaughtSaysSoAndWhereItShows(t *testing.T) {
	args := []string{"check", "raft", "-mutant", "no-ack-guard", "-n", "2", "-maxterm", "1", "-candidates", "1", "-crashes", "0", "-workers", "1"}
	code, out, _ := invoke(args...)
	if code != exitOK ||
		!strings.Contains(out, "result:  OK — mutant no-ack-guard NOT caught under these settings: ") ||
		!strings.Contains(out, "mutant:  no-ack-guard breaks acked-monotonic; it shows with -crashes 0 -dups 1\n") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, rep := checkJSON(t, args[1:]...)
	m := rep.MutantResult
	if code != exitOK || m == nil || m.Caught == nil || *m.Caught || m.Shows != "-crashes 0 -dups 1" || m.Breaks != "acked-monotonic" ||
		!strings.Contains(rep.Result, "NOT caught") || !strings.Contains(m.Note, "it shows with -crashes 0 -dups 1") {
		t.Fatalf("exit %d, mutant_result %+v, result %q", code, m, rep.Result)
	}
}

// A mutant beyond any bounded check says so before the search starts (so
// a long search can be stopped) and in the result.
func TestMutantBeyondBoundedChecksSaysSoFirst(t *testing.T) {
	args := []string{"check", "raft", "-mutant", "old-truncation", "-n", "2", "-maxterm", "1", "-candidates", "1", "-crashes", "0", "-workers", "1"}
	code, out, errOut := invoke(args...)
	if code != exitOK || !strings.HasPrefix(errOut, "modelcheck: note: mutant old-truncation is beyond any bounded check (") ||
		!strings.Contains(out, "NOT caught under these settings") ||
		!strings.Contains(out, "mutant:  old-truncation breaks state-machine-safety beyond any bounded check: ") ||
		!strings.Contains(out, "TestOldTruncationRuleDivergesOnTheCourseTrace") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	_, rep := checkJSON(t, args[1:]...)
	if m := rep.MutantResult; m == nil || m.Caught == nil || *m.Caught || m.Beyond == "" {
		t.Fatalf("mutant_result %+v", m)
	}
}

// A caught mutant says caught in JSON; a bound leaves it unknown (null).
func TestMutantCaughtOrUnknown(t *testing.T) {
	code, rep := checkJSON(t, "twophase", "-mutant", "commit-without-prepared", "-workers", "1")
	if m := rep.MutantResult; code != exitViolated || m == nil || m.Caught == nil || !*m.Caught || m.Note != "" {
		t.Fatalf("exit %d, mutant_result %+v", code, m)
	}
	code, rep = checkJSON(t, "twophase", "-mutant", "commit-without-prepared", "-max-depth", "1", "-workers", "1")
	if m := rep.MutantResult; code != exitIncomplete || m == nil || m.Caught != nil || !strings.Contains(m.Note, "stopped before finding it") {
		t.Fatalf("exit %d, mutant_result %+v", code, m)
	}
}

// One Raft node never commits (the course's leader commits on its
// followers' acknowledgements): -n 1 is refused up front rather than
// failing after the search on an unreachable good path.
func TestRaftRefusesOneNode(t *testing.T) {
	code, out, errOut := invoke("check", "raft", "-n", "1")
	if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, "-n 1 is out of range 2..") || !strings.Contains(errOut, "a lone leader never commits") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Without a crash, a heartbeat, a second request, a reordering or a
// duplicate, no follower learns of a commit (the README's -crashes 0
// -requests 1 rows): committed-everywhere is omitted with the reason, and
// the check is OK — it used to fail with "never reached".
func TestRaftOmitsCommittedEverywhereWhereNoFollowerCanLearnIt(t *testing.T) {
	for _, extra := range [][]string{nil, {"-drops", "1"}} {
		args := append([]string{"check", "raft", "-n", "2", "-maxterm", "2", "-requests", "1", "-crashes", "0", "-workers", "1"}, extra...)
		code, out, _ := invoke(args...)
		if code != exitOK || !strings.Contains(out, "omitted: committed-everywhere — cannot happen in this run: followers learn of a commit only from a later LogRequest") ||
			!strings.Contains(out, "omitted: leader-replaced — cannot happen in this run: no crash allowed (-crashes 0)") {
			t.Errorf("%v: exit %d:\n%s", args, code, out)
		}
	}
	// With a heartbeat the followers learn it, and it is checked.
	code, out, _ := invoke("check", "raft", "-n", "2", "-maxterm", "1", "-candidates", "1", "-requests", "1", "-beats", "1", "-crashes", "0", "-workers", "1")
	if code != exitOK || !strings.Contains(out, "committed-everywhere  reached in") {
		t.Errorf("-beats 1: exit %d:\n%s", code, out)
	}
}
