package traces_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distsys/distsys/traces"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ (read the diff before committing)")

// goldenTraces are the traces the renderers are pinned on: the samples
// built here and every trace file in testdata (counterexamples the checker
// found, copied from catalog/testdata/counterexamples and one with a drop,
// a crash, a recovery and timers).
func goldenTraces(t *testing.T) map[string]*traces.Trace {
	t.Helper()
	out := map[string]*traces.Trace{"sample": sample(), "rich": richSample()}
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no trace files in testdata: %v", err)
	}
	for _, f := range files {
		tr, err := traces.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = tr
	}
	return out
}

func TestMermaidGolden(t *testing.T) {
	for name, tr := range goldenTraces(t) {
		var b strings.Builder
		if err := traces.WriteMermaid(&b, tr); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name+".mmd")
		if *update {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./traces -update writes it)", err)
		}
		if d := cmp.Diff(string(want), b.String()); d != "" {
			t.Errorf("%s differs (-want +got):\n%s", path, d)
		}
	}
}

// TestMermaidEscapesWhatWouldBreakTheDiagram: Mermaid ends a message at
// ';' or '#' and reads '<' '>' '&' as HTML, so they become entity codes.
func TestMermaidEscapesWhatWouldBreakTheDiagram(t *testing.T) {
	got := richSample().Layout().Mermaid()
	for _, want := range []string{
		"state: got #lt;m1#gt; #amp; #35;1#59; more",
		"✗ p (always) violated: a #lt; b #amp; c",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	for _, line := range strings.Split(got, "\n") {
		text := line
		if _, after, ok := strings.Cut(line, ": "); ok {
			text = after
		}
		if strings.ContainsAny(strings.ReplaceAll(text, "<br/>", ""), "<>&") {
			t.Errorf("unescaped HTML in %q", line)
		}
	}
}

// TestREADMEShowsTheCurrentDiagram: the README's Mermaid example is the
// golden diagram of the quorum stale read.
func TestREADMEShowsTheCurrentDiagram(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "quorum-stale-read-w1-r2.mmd"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```mermaid\n"+string(want)+"```\n") {
		t.Fatal("README.md's Mermaid block is not testdata/quorum-stale-read-w1-r2.mmd: copy it over")
	}
}
