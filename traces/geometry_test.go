package traces_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/traces"
)

// gallery is where the classic counterexamples are saved: the pages the
// gallery draws.
var gallery = filepath.Join("..", "catalog", "testdata", "counterexamples")

// measure is run in the page: it measures every label of the diagram as
// the browser drew it and reports what is wrong with the page. A label's
// box is its text's bounding box (getBBox) taken to the screen by the
// text's transform (getScreenCTM): the four corners of the turned
// rectangle a message's label fills; for an unturned label it is exactly
// getBoundingClientRect, and for a turned one getBoundingClientRect is its
// axis-aligned hull, which the script checks too. Two labels meet when no
// edge direction of either separates them (touching counts); a label is
// clipped when any corner leaves the SVG, which draws nothing outside
// itself, or when it was cut short with an ellipsis. Each step of the list
// must show all its text.
const measure = `(() => {
  const svg = document.getElementById("diagram");
  const frame = svg.getBoundingClientRect();
  const labels = Array.from(svg.querySelectorAll("text")).map((t, i) => {
    const b = t.getBBox(), m = t.getScreenCTM();
    const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    return {i, text: t.textContent, cls: t.getAttribute("class") || t.parentNode.getAttribute("class"), pts, r: t.getBoundingClientRect()};
  });
  const problems = [];
  for (const l of labels) {
    const xs = l.pts.map(p => p[0]), ys = l.pts.map(p => p[1]);
    const hull = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    if (Math.abs(hull[0] - l.r.left) > 1 || Math.abs(hull[1] - l.r.top) > 1 || Math.abs(hull[2] - l.r.right) > 1 || Math.abs(hull[3] - l.r.bottom) > 1)
      problems.push("label " + JSON.stringify(l.text) + ": its turned box " + hull.map(Math.round) + " is not what getBoundingClientRect says " + [l.r.left, l.r.top, l.r.right, l.r.bottom].map(Math.round));
    if (l.text.includes("…"))
      problems.push("label " + JSON.stringify(l.text) + " (" + l.cls + ") is cut short");
    if (l.r.width === 0 || l.r.height === 0)
      problems.push("label " + JSON.stringify(l.text) + " has no size");
    if (hull[0] < frame.left - 0.5 || hull[1] < frame.top - 0.5 || hull[2] > frame.right + 0.5 || hull[3] > frame.bottom + 0.5)
      problems.push("label " + JSON.stringify(l.text) + " (" + l.cls + ") at " + hull.map(Math.round) + " is clipped by the diagram " + [frame.left, frame.top, frame.right, frame.bottom].map(Math.round));
  }
  const axes = q => [0, 1].map(k => { const [a, b] = [q[k], q[k + 1]]; const d = [b[0] - a[0], b[1] - a[1]]; return [-d[1], d[0]]; });
  const apart = (p, q) => axes(p).concat(axes(q)).some(ax => {
    const pr = s => s.map(v => v[0] * ax[0] + v[1] * ax[1]);
    const a = pr(p), b = pr(q);
    return Math.max(...a) < Math.min(...b) || Math.max(...b) < Math.min(...a);
  });
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const p = labels[i], q = labels[j];
      if (p.r.right < q.r.left || q.r.right < p.r.left || p.r.bottom < q.r.top || q.r.bottom < p.r.top) continue;
      if (!apart(p.pts, q.pts))
        problems.push("labels " + JSON.stringify(p.text) + " (" + p.cls + ") and " + JSON.stringify(q.text) + " (" + q.cls + ") overlap");
    }
  }
  for (const li of document.querySelectorAll("#steps li .a"))
    if (li.scrollWidth > li.clientWidth + 1) problems.push("step " + li.parentNode.dataset.step + " is cut: " + JSON.stringify(li.textContent));
  const v = document.getElementById("verdict"), seed = document.getElementById("seed"), viol = document.getElementById("violation");
  return JSON.stringify({
    labels: labels.length,
    arrowLabels: labels.filter(l => l.cls === "arrow-label").length,
    problems,
    verdict: v ? v.dataset.verdict : "",
    verdictText: v ? v.textContent : "",
    seed: seed ? seed.dataset.seed : null,
    seedText: seed ? seed.textContent : "",
    violation: viol ? viol.textContent : "",
  });
})()`

// pageReport is what measure returns.
type pageReport struct {
	Labels, ArrowLabels int
	Problems            []string
	Verdict             string
	VerdictText         string
	Seed                *string
	SeedText            string
	Violation           string
}

// TestGalleryPagesKeepLabelsApart opens, in headless Chromium, the HTML
// page of every saved counterexample (the gallery's pages, as modelcheck
// viz FILE -format html draws them) and measures it as drawn: no two
// labels of the diagram meet, none is cut off by the diagram's edge, every
// step of the list shows its whole text, and the banner says VIOLATED,
// names the trace's property and says whether a seed reproduces it.
// -shots DIR keeps the pages and a screenshot of each. With -short it
// opens one page per protocol: the longest.
func TestGalleryPagesKeepLabelsApart(t *testing.T) {
	bin := chromium(t)
	files, err := filepath.Glob(filepath.Join(gallery, "*.json"))
	if err != nil || len(files) < 40 {
		t.Fatalf("%d saved counterexamples in %s (%v): the gallery is missing", len(files), gallery, err)
	}
	all := make([]*traces.Trace, len(files))
	for i, f := range files {
		if all[i], err = traces.LoadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	if !long {
		// The default set opens the three longest pages (Chromium takes a
		// fraction of a second a page); TestGeometryKeepsLabelsApart checks
		// every page's layout without a browser, and -tags long opens them
		// all.
		order := make([]int, len(all))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return len(all[order[a]].Events) > len(all[order[b]].Events) })
		var some []string
		var them []*traces.Trace
		for _, i := range order[:3] {
			some, them = append(some, files[i]), append(them, all[i])
		}
		files, all = some, them
	} else if testing.Short() {
		longest := map[string]int{} // protocol → its longest trace
		for i, tr := range all {
			if j, ok := longest[tr.Protocol]; !ok || len(tr.Events) > len(all[j].Events) {
				longest[tr.Protocol] = i
			}
		}
		var some []string
		var them []*traces.Trace
		for i := range files {
			if longest[all[i].Protocol] == i {
				some, them = append(some, files[i]), append(them, all[i])
			}
		}
		files, all = some, them
	}
	dir := *shots
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := openBrowser(t, bin, "about:blank")
	for i, f := range files {
		tr := all[i]
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		r := openPage(t, b, filepath.Join(dir, name+".html"), tr, traces.Page{})
		for _, p := range r.Problems {
			t.Errorf("%s: %s", name, p)
		}
		if r.Labels < len(tr.Nodes)+2 {
			t.Errorf("%s: %d labels measured: the diagram was not drawn", name, r.Labels)
		}
		if r.Verdict != traces.VerdictViolated || !strings.Contains(r.Violation, tr.Violation.Property) {
			t.Errorf("%s: banner says %q, %q; want VIOLATED and %s", name, r.Verdict, r.Violation, tr.Violation.Property)
		}
		want := "no seed: the search draws nothing at random"
		if tr.Seed != 0 {
			want = fmt.Sprintf("seed %d: rerun with -seed %d", tr.Seed, tr.Seed)
		}
		if r.Seed == nil || *r.Seed != fmt.Sprint(tr.Seed) || !strings.HasPrefix(r.SeedText, want) {
			t.Errorf("%s: seed %v %q, want the trace's (%d): %q", name, r.Seed, r.SeedText, tr.Seed, want)
		}
		if *shots != "" {
			b.eval(`window.scrollTo(0, 0)`)
			b.screenshot(filepath.Join(dir, name+".png"))
		}
	}
}

// openPage writes tr's page to path, opens it in b and measures it.
func openPage(t *testing.T, b *browser, path string, tr *traces.Trace, p traces.Page) pageReport {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := traces.WritePage(f, tr, p); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b.navigate("file://" + path)
	var r pageReport
	if err := json.Unmarshal([]byte(b.eval(measure)), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRunPagesInABrowser opens a run's pages as modelcheck run -html
// writes them: one that passed (banner OK, its seed) and one whose client
// history has no linearization (banner VIOLATED, the conflicting
// operations in a table, every cell shown whole, and a link that resolves
// to porcupine's page beside it); in both the diagram's labels are apart
// and whole.
func TestRunPagesInABrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "run.porcupine.html"), []byte("<!DOCTYPE html><title>porcupine</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := openBrowser(t, bin, "about:blank")

	ok := richSample()
	ok.Violation, ok.Seed = nil, 14
	r := openPage(t, b, filepath.Join(dir, "ok.html"), ok, traces.Page{Verdict: &traces.Verdict{Status: traces.VerdictOK, Note: "round 9 of 10 (seed 14) is drawn; in 10 rounds no property was violated"}})
	if len(r.Problems) > 0 || r.Verdict != traces.VerdictOK || r.Seed == nil || *r.Seed != "14" || !strings.HasPrefix(r.SeedText, "seed 14: rerun with -seed 14") || r.Violation != "" {
		t.Errorf("passing run's page: %+v", r)
	}

	bad := richSample()
	bad.Seed = 24
	bad.Violation = &traces.Violation{Property: "linearizable", Kind: "history", Reason: "porcupine: no linearization of 3 operations"}
	p := traces.Page{
		Verdict: &traces.Verdict{Status: traces.VerdictViolated, Note: "round 0 of 1 (seed 24) is drawn: the first round that failed"},
		Operations: []traces.Operation{
			{Client: 1, Node: "n1", Op: "read#1 → 1", Call: 3 * time.Millisecond, Return: 5 * time.Millisecond, Role: "linearized last"},
			{Client: 2, Node: "n2", Op: "read#2 → 0", Call: 6 * time.Millisecond, Return: 8 * time.Millisecond, Role: "cannot come next"},
		},
		Links: []traces.Link{{Text: "porcupine's view of this round's client history", Href: "run.porcupine.html"}},
	}
	r = openPage(t, b, filepath.Join(dir, "run.html"), bad, p)
	if len(r.Problems) > 0 || r.Verdict != traces.VerdictViolated || r.Seed == nil || *r.Seed != "24" || !strings.Contains(r.Violation, "linearizable") {
		t.Errorf("failing run's page: %+v", r)
	}
	rows := b.eval(`Array.from(document.querySelectorAll("#operations tr[data-role]")).map(r => Array.from(r.cells).map(c => c.scrollWidth <= c.clientWidth + 1 ? c.textContent : "CUT " + c.textContent).join(",")).join(" | ")`)
	if want := "linearized last,1,n1,read#1 → 1,3ms,5ms | cannot come next,2,n2,read#2 → 0,6ms,8ms"; rows != want {
		t.Errorf("operations shown: %q\nwant %q", rows, want)
	}
	if href := b.eval(`document.querySelector("#links a").href`); href != "file://"+filepath.Join(dir, "run.porcupine.html") {
		t.Errorf("link to %q", href)
	}
}
