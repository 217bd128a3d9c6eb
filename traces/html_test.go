package traces_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/traces"
)

func renderHTML(t *testing.T, tr *traces.Trace) string {
	t.Helper()
	var b strings.Builder
	if err := traces.WriteHTML(&b, tr); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLEscapesStatesAndMessages: a state or message is text, never
// markup, wherever the page shows it (SVG, step list, script data).
func TestHTMLEscapesStatesAndMessages(t *testing.T) {
	tr := richSample()
	tr.Events[5].State = `<script>document.body.dataset.pwned = "yes"</script>`
	tr.Events[5].Message = `m1 <b>&amp;`
	tr.Events[0].Sends[0].Message = `m1 <b>&amp;`
	tr.Events[5].Action = `deliver n0→n1 <img src=x onerror=alert(1)>`
	page := renderHTML(t, tr)
	for _, bad := range []string{`<script>document`, `<b>&amp;`, `<img src=x`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{`\u003cscript\u003edocument.body`, `&lt;img src=x onerror=alert(1)&gt;`, `m1 &lt;b&gt;&amp;amp;`, `a &lt; b &amp; c`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestHTMLIsSelfContained: nothing on the page is fetched: no external
// script, style sheet, image or font; url() only names the page's own
// markers.
func TestHTMLIsSelfContained(t *testing.T) {
	page := renderHTML(t, richSample())
	if m := regexp.MustCompile(`(?i)(src=|href=|<link|@import|url\((?:[^#]))`).FindString(page); m != "" {
		t.Errorf("page refers to something outside it: %q", m)
	}
	// The only address is the SVG namespace, which names and fetches nothing.
	if n := strings.Count(page, "http"); n != strings.Count(page, `"http://www.w3.org/2000/svg"`) {
		t.Errorf("page has %d http strings", n)
	}
}

// TestHTMLDrawsTheLayout: the SVG has one lane per node, one arrow per
// message copy with its fate, one mark per event, and the violating step
// marked; counted through the data attributes the browser test reads.
func TestHTMLDrawsTheLayout(t *testing.T) {
	page := renderHTML(t, richSample())
	count := func(s string) int { return strings.Count(page, s) }
	for s, want := range map[string]int{
		`<g class="lane" data-lane=`:                  3,
		`data-fate="delivered"`:                       3,
		`data-fate="dropped"`:                         1,
		`data-fate="lost"`:                            1,
		`data-fate="in-flight"`:                       1,
		`data-copy="true"`:                            1,
		`tabindex="0" role="button"`:                  14,
		`data-kind="crash"`:                           1,
		`data-kind="timer"`:                           1,
		`class="mark kind-receive violating crashed"`: 1,
		`id="violation"`:                              1,
	} {
		if got := count(s); got != want {
			t.Errorf("%d × %s, want %d", got, s, want)
		}
	}
}

// TestHTMLBannerSaysTheVerdictAndTheSeed: every page opens with a verdict:
// a counterexample's is VIOLATED with its property, a trace without a
// violation is OK and says the trace alone cannot say more, and a run's
// page says what its caller tells it. The seed is written when there is
// one, and its absence explained when there is none.
func TestHTMLBannerSaysTheVerdictAndTheSeed(t *testing.T) {
	tr := richSample()
	page := renderHTML(t, tr)
	for _, want := range []string{
		`id="verdict" data-verdict="VIOLATED"`, `<span class="status">VIOLATED</span>`,
		`<span id="violation" data-step="11"><b>✗ p</b> (always) is violated at step 11: a &lt; b &amp; c</span>`,
		`id="seed" data-seed="0">no seed: the trace records none</p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("counterexample page lacks %q", want)
		}
	}
	tr.Violation, tr.Seed, tr.Bounds = nil, 0, "strategy bfs, workers 1"
	page = renderHTML(t, tr)
	for _, want := range []string{
		`id="verdict" data-verdict="OK"`,
		"this execution breaks none of the properties checked on it (the trace does not record the verdict",
		`no seed: the search draws nothing at random (strategy bfs, workers 1)`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page of a trace without a violation lacks %q", want)
		}
	}
	if strings.Contains(page, `id="violation"`) {
		t.Error("a trace without a violation shows one")
	}
	tr.Seed = 42
	var b strings.Builder
	p := traces.Page{
		Verdict: &traces.Verdict{Status: traces.VerdictIncomplete, Note: "no operation was answered"},
		Operations: []traces.Operation{
			{Client: 0, Node: "n3", Op: "write(1)", Call: 0, Return: 10 * time.Microsecond, Role: "linearized last"},
			{Client: 1, Node: "n4", Op: "read#1 → 0", Call: 20 * time.Microsecond, Return: -1, Role: "cannot come next"},
		},
		Links: []traces.Link{{Text: "porcupine's view", Href: "run.porcupine.html"}},
	}
	if err := traces.WritePage(&b, tr, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`id="verdict" data-verdict="INCOMPLETE"`, `no operation was answered`,
		`id="seed" data-seed="42">seed <code>42</code>: rerun with <code>-seed 42</code>`,
		`<tr class="prefix" data-role="linearized last"><td>linearized last</td><td>0</td><td>n3</td><td>write(1)</td><td>0s</td><td>10µs</td></tr>`,
		`<tr class="stuck" data-role="cannot come next"><td>cannot come next</td><td>1</td><td>n4</td><td>read#1 → 0</td><td>20µs</td><td>never</td></tr>`,
		`<a href="run.porcupine.html">porcupine&#39;s view</a>`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("run page lacks %q", want)
		}
	}
}
