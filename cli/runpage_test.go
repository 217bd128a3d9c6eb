package cli

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/traces"
)

// A run whose client history has no linearization: its page says
// VIOLATED with the seed of the round drawn, names porcupine's
// conflicting operations (client, node, operation with its arguments and
// result, invocation and return times) in a table and in the violation's
// reason, and links porcupine's page, which is written beside it under
// the name linked.
func TestRunPageNamesTheConflictAndLinksPorcupine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page, trace := filepath.Join(dir, "lin.html"), filepath.Join(dir, "lin.json")
	code, out, errOut := invoke("run", "quorum", "-simulate", "-seed", "1", "-ops", "2000", "-readers", "2", "-reads", "4", "-writes", "4",
		"-delay", "exp:1ms-5ms", "-html", page, "-trace-out", trace)
	if code != exitViolated || !strings.Contains(out, "first non-linearizable history: round ") {
		t.Fatalf("exit %d, want a history with no linearization:\n%s%s", code, out, errOut)
	}
	tr, err := traces.LoadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if v := tr.Violation; v == nil || v.Property != "linearizable" || !regexp.MustCompile(`none of these can come next: read#\d+ → \d by client \d on n\d \(invoked [^,]+, returned [^)]+\)`).MatchString(v.Reason) {
		t.Fatalf("the trace's violation does not name the operations: %+v", tr.Violation)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`id="verdict" data-verdict="VIOLATED"`),
		regexp.MustCompile(`id="seed" data-seed="` + strconv.FormatUint(tr.Seed, 10) + `"`),
		regexp.MustCompile(`<tr class="stuck" data-role="cannot come next"><td>cannot come next</td><td>\d</td><td>n\d</td><td>read#\d+ → \d</td><td>[0-9.µms]+</td><td>[0-9.µms]+</td></tr>`),
		regexp.MustCompile(`data-role="linearized last"><td>linearized last</td><td>\d</td><td>n\d</td><td>(write\(\d\)|read#\d+ → \d)</td>`),
		regexp.MustCompile(`<a href="lin.porcupine.html">porcupine&#39;s view of this round&#39;s client history`),
	} {
		if !want.MatchString(html) {
			t.Errorf("page lacks %s", want)
		}
	}
	if p, err := os.ReadFile(filepath.Join(dir, "lin.porcupine.html")); err != nil || !strings.Contains(string(p), "<html") {
		t.Errorf("the linked page: %v", err)
	}
}

// A run that passed: its page's banner says OK, how many rounds and
// operations the verdict rests on, and the seed of the round drawn.
func TestRunPageOfAPassingRunSaysOKWithTheSeed(t *testing.T) {
	t.Parallel()
	page := filepath.Join(t.TempDir(), "ok.html")
	code, out, errOut := invoke("run", "quorum", "-simulate", "-writeback", "1", "-seed", "5", "-ops", "20", "-html", page)
	if code != exitOK || !strings.Contains(out, "result: OK\n") {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`id="verdict" data-verdict="OK"`,
		`round 9 of 10 (seed 14) is drawn; in 10 rounds (20 operations, 20 answered) no property was violated, and every client history is linearizable`,
		`id="seed" data-seed="14">seed <code>14</code>: rerun with <code>-seed 14</code>`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(string(data), `id="operations"`) || strings.Contains(string(data), "<a href") {
		t.Error("a passing run's page lists a conflict or links porcupine")
	}
}

// The verdict a run's page states, for each way a run ends.
func TestRunPageVerdicts(t *testing.T) {
	t.Parallel()
	base := func() *protocols.Result {
		return &protocols.Result{Seed: 7, Rounds: 3, Ops: 12, Answered: 12, TraceRound: 2, Lin: &protocols.LinSummary{Ok: 3, FirstIllegalRound: -1},
			Trace: &traces.Trace{Seed: 9}}
	}
	for _, c := range []struct {
		name   string
		change func(r *protocols.Result)
		status string
		note   string
	}{
		{"ok", func(*protocols.Result) {}, traces.VerdictOK, "round 2 of 3 (seed 9) is drawn; in 3 rounds (12 operations, 12 answered) no property was violated, and every client history is linearizable"},
		{"nothing answered", func(r *protocols.Result) { r.Answered = 0 }, traces.VerdictIncomplete, "no operation of the 12 issued was answered"},
		{"undecided", func(r *protocols.Result) { r.Lin.Ok, r.Lin.Unknown = 2, 1 }, traces.VerdictIncomplete, "porcupine could not decide 1 of the histories"},
		{"replay", func(r *protocols.Result) { r.Replay = errors.New("step 4 sent other messages") }, traces.VerdictFailed, "a step did not replay: step 4 sent other messages"},
		{"violated", func(r *protocols.Result) {
			r.Properties = []protocols.PropertyResult{{Property: "p", Violated: 1}}
			r.Trace.Violation = &traces.Violation{Property: "p"}
		}, traces.VerdictViolated, "the first round that failed"},
	} {
		r := base()
		c.change(r)
		p := runPage(r, "x.html")
		if p.Verdict == nil || p.Verdict.Status != c.status || !strings.Contains(p.Verdict.Note, c.note) {
			t.Errorf("%s: verdict %+v, want %s saying %q", c.name, p.Verdict, c.status, c.note)
		}
		if len(p.Links) > 0 || len(p.Operations) > 0 {
			t.Errorf("%s: links %v, operations %v", c.name, p.Links, p.Operations)
		}
	}
}
