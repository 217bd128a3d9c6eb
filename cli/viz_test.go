package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/traces"
)

// savedTrace writes the two-phase commit counterexample to a file.
func savedTrace(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cx.json")
	if code, out, _ := invoke("check", "twophase", "-mutant", "commit-without-prepared", "-workers", "1", "-trace-out", path); code != exitViolated {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	return path
}

func TestVizDrawsATraceInEachFormat(t *testing.T) {
	path := savedTrace(t)
	tr, err := traces.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for format, render := range renderers {
		var want bytes.Buffer
		if err := render(&want, tr); err != nil {
			t.Fatal(err)
		}
		// Flags after the file, and before it.
		for _, args := range [][]string{{"viz", path, "-format", format}, {"viz", "-format=" + format, path}} {
			code, out, errOut := invoke(args...)
			if code != exitOK || errOut != "" || out != want.String() {
				t.Errorf("%v: exit %d, stderr %q, output as the renderer's: %v", args, code, errOut, out == want.String())
			}
		}
	}
	if code, out, _ := invoke("viz", path); code != exitOK || !strings.HasPrefix(out, "twophase n=3 mutant=commit-without-prepared\n") {
		t.Errorf("default format: exit %d:\n%s", code, out)
	}
	page := filepath.Join(t.TempDir(), "cx.html")
	code, out, _ := invoke("viz", path, "-format", "html", "-o", page)
	data, err := os.ReadFile(page)
	if code != exitOK || out != "" || err != nil || !bytes.Contains(data, []byte(`<svg id="diagram"`)) {
		t.Fatalf("-o: exit %d, stdout %q, %v", code, out, err)
	}
}

func TestVizRejectsBadInputWithOneLine(t *testing.T) {
	path := savedTrace(t)
	data, _ := os.ReadFile(path)
	broken := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(broken, bytes.Replace(data, []byte(`"version": 1`), []byte(`"version": 7`), 1), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"viz"}, "want one trace file, got 0"},
		{[]string{"viz", path, path}, "want one trace file, got 2"},
		{[]string{"viz", path, "-format", "svg"}, `-format "svg": want text, mermaid or html`},
		{[]string{"viz", "/no/such/trace.json"}, "no such file"},
		{[]string{"viz", broken, "-format", "html"}, `field "version" is 7`},
		{[]string{"viz", path, "-o", "/no/such/dir/x.html"}, "no such file"},
		{[]string{"viz", path, "-frob"}, "flag provided but not defined: -frob"},
	} {
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, out, errOut, c.want)
		}
	}
}

func TestCheckHTMLWritesTheCounterexamplePage(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "stale.html")
	code, out, _ := invoke("check", "quorum", "-n", "3", "-w", "1", "-r", "2", "-workers", "1", "-html", page)
	if code != exitViolated || !strings.HasSuffix(out, "html:    read-after-write counterexample drawn in "+page+" (open it in a browser)\n") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	data, err := os.ReadFile(page)
	if err != nil || !bytes.Contains(data, []byte(`<b>✗ read-after-write</b>`)) || bytes.Count(data, []byte(`<g class="lane" data-lane=`)) != 5 {
		t.Fatalf("%v: the page does not draw the stale read", err)
	}
	// With -json the output stays one JSON object.
	code, out, _ = invoke("check", "quorum", "-n", "3", "-w", "1", "-r", "2", "-workers", "1", "-json", "-html", filepath.Join(dir, "j.html"))
	if err := json.Unmarshal([]byte(out), new(map[string]any)); code != exitViolated || err != nil {
		t.Fatalf("-json: exit %d, %v", code, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "j.html")); err != nil {
		t.Fatal(err)
	}
	// Nothing to draw: said, and no file.
	code, out, _ = invoke("check", "twophase", "-workers", "1", "-html", filepath.Join(dir, "ok.html"))
	if _, err := os.Stat(filepath.Join(dir, "ok.html")); code != exitOK || !strings.Contains(out, "html:    no counterexample, nothing written") || err == nil {
		t.Fatalf("exit %d, file %v:\n%s", code, err, out)
	}
}
