package traces_test

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMermaidRendersWithMermaidJS renders every golden diagram and every
// diagram of the gallery with Mermaid itself (the library GitHub draws
// them with) in headless Chromium, and fails on any that Mermaid rejects.
// It needs Mermaid's browser bundle, which is not vendored: run it with
//
//	npm install --prefix /tmp/mermaid mermaid@11
//	MERMAID_JS=/tmp/mermaid/node_modules/mermaid/dist/mermaid.min.js go test ./traces -run MermaidJS
func TestMermaidRendersWithMermaidJS(t *testing.T) {
	lib := os.Getenv("MERMAID_JS")
	if lib == "" {
		t.Skip("set MERMAID_JS to mermaid.min.js to render the diagrams with Mermaid (see the test's comment)")
	}
	bin := chromium(t)
	diagrams := map[string]string{}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "*.mmd"))
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		diagrams[g] = string(data)
	}
	gallery, err := os.ReadFile(filepath.Join("..", "docs", "counterexamples.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range regexp.MustCompile("(?s)```mermaid\n(.*?)```").FindAllStringSubmatch(string(gallery), -1) {
		diagrams[fmt.Sprintf("gallery diagram %d", i+1)] = m[1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\"file://%s\"></script></head><body>\n", lib)
	var names []string
	for name, src := range diagrams {
		fmt.Fprintf(&b, "<pre class=\"src\" data-name=\"%s\">%s</pre>\n", html.EscapeString(name), html.EscapeString(src))
		names = append(names, name)
	}
	b.WriteString(`<script>
mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
(async () => {
  const srcs = document.querySelectorAll("pre.src");
  for (let i = 0; i < srcs.length; i++) {
    try { await mermaid.render("m" + i, srcs[i].textContent); srcs[i].dataset.ok = "yes"; }
    catch (e) { srcs[i].dataset.ok = "no"; srcs[i].dataset.error = String(e.message || e); }
  }
  document.body.dataset.done = "yes";
})();
</script></body></html>`)
	page := filepath.Join(t.TempDir(), "mermaid.html")
	if err := os.WriteFile(page, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := browse(t, bin, "file://"+page, "--allow-file-access-from-files", "--virtual-time-budget=30000", "--dump-dom")
	if !strings.Contains(dom, `data-done="yes"`) {
		t.Fatal("Mermaid did not finish (is MERMAID_JS its browser bundle?)")
	}
	if ok := strings.Count(dom, `data-ok="yes"`); ok != len(names) {
		for _, m := range regexp.MustCompile(`data-name="([^"]*)" data-ok="no" data-error="([^"]*)"`).FindAllStringSubmatch(dom, -1) {
			t.Errorf("%s: Mermaid says: %s", html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		t.Fatalf("%d of %d diagrams render", ok, len(names))
	}
	t.Logf("%d diagrams render with Mermaid", len(names))
}
