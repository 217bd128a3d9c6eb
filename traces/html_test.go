package traces_test

import (
	"regexp"
	"strings"
	"testing"

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
