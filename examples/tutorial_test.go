package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The tutorial (docs/tutorial.md) is tested as a reader would follow it:
//
//   - each ```go block is the code of this module, verbatim: every
//     top-level declaration in it appears in one of its files (with the
//     reader's module path, example.com/lease, for this one's);
//   - each ```sh block runs, in order, in a fresh module made as the
//     tutorial says, holding this module's code under the reader's path;
//   - each ```console block's "$ go run . ARGS" runs this module's main
//     with ARGS, in one working directory for the whole page (files a
//     command writes are there for the next), exits as its "# exit N"
//     says (0 without one), and prints every line shown under it, in
//     order; "…" stands for lines left out.

const tutorialPath = "../docs/tutorial.md"

// readerModule is the module path the tutorial's reader chooses.
const readerModule = "example.com/lease"

const thisModule = "github.com/distsys/distsys/examples"

type block struct {
	lang  string
	lines []string
	line  int // where it starts in the file
}

func tutorialBlocks(t *testing.T) []block {
	t.Helper()
	f, err := os.Open(tutorialPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []block
	var cur *block
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```") && len(line) > 3:
			cur = &block{lang: line[3:], line: n}
		case cur != nil && line == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Fatalf("%s:%d: a code block is never closed", tutorialPath, cur.line)
	}
	return out
}

// sources are this module's Go files (not this test) as the reader's
// module has them, by path.
func sources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || path == "tutorial_test.go" {
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = strings.ReplaceAll(string(data), thisModule, readerModule)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTutorialCodeIsThisModule(t *testing.T) {
	src := sources(t)
	n := 0
	for _, b := range tutorialBlocks(t) {
		if b.lang != "go" {
			continue
		}
		// Top-level declarations are separated by a blank line before a
		// line that starts in column 0.
		var decls []string
		var cur []string
		for i, line := range b.lines {
			if line == "" && i+1 < len(b.lines) && b.lines[i+1] != "" && !strings.HasPrefix(b.lines[i+1], "\t") && !strings.HasPrefix(b.lines[i+1], ")") {
				decls = append(decls, strings.Join(cur, "\n"))
				cur = nil
				continue
			}
			cur = append(cur, line)
		}
		decls = append(decls, strings.Join(cur, "\n"))
		for _, d := range decls {
			n++
			found := false
			for _, s := range src {
				found = found || strings.Contains(s, d)
			}
			if !found {
				t.Errorf("%s:%d: this code is not in the examples module (copy it from the source again):\n%s", tutorialPath, b.line, d)
			}
		}
	}
	if n < 8 {
		t.Fatalf("only %d declarations shown: the tutorial lost its code", n)
	}
}

func TestTutorialSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module of its own")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The commands run offline: what they fetch is what this module's own
	// build has fetched already.
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off")
	blocks := 0
	for _, b := range tutorialBlocks(t) {
		if b.lang != "sh" {
			continue
		}
		blocks++
		if blocks == 2 {
			// The code of sections 3 to 5, written.
			for path, s := range sources(t) {
				dst := filepath.Join(dir, "lease", path)
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The reader's clone of distsys, beside their module, is this
		// one (named by its own path, so that the build cache serves it).
		script := strings.ReplaceAll(strings.Join(b.lines, "\n"), "../distsys", root)
		wd := dir
		if blocks > 1 {
			wd = filepath.Join(dir, "lease")
		}
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
		cmd.Dir, cmd.Env = wd, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s:%d: %v\n%s\n%s", tutorialPath, b.line, err, script, out)
		}
	}
	if blocks < 3 {
		t.Fatalf("only %d sh blocks: the tutorial lost its setup", blocks)
	}
	if _, err := os.Stat(filepath.Join(dir, "lease", "go.sum")); err != nil {
		t.Fatalf("the reader's module has no go.sum after go mod tidy: %v", err)
	}
}

var exitComment = regexp.MustCompile(`\s+# exit (\d+)$`)

func TestTutorialCommands(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "lease-cli")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	wd := t.TempDir()
	commands := 0
	for _, b := range tutorialBlocks(t) {
		if b.lang != "console" {
			continue
		}
		for i := 0; i < len(b.lines); i++ {
			line := b.lines[i]
			if !strings.HasPrefix(line, "$ ") {
				t.Fatalf("%s:%d: a console block starts with a command", tutorialPath, b.line+1+i)
			}
			cmdline := strings.TrimPrefix(line, "$ ")
			want := 0
			if m := exitComment.FindStringSubmatch(cmdline); m != nil {
				want, _ = strconv.Atoi(m[1])
				cmdline = strings.TrimSuffix(cmdline, m[0])
			}
			args := strings.Fields(cmdline)
			if len(args) < 2 || args[0] != "go" || args[1] != "run" || args[2] != "." {
				t.Fatalf("%s:%d: %q: only `go run . ARGS` commands go in console blocks", tutorialPath, b.line+1+i, cmdline)
			}
			var shown []string
			for i+1 < len(b.lines) && !strings.HasPrefix(b.lines[i+1], "$ ") {
				i++
				shown = append(shown, b.lines[i])
			}
			commands++
			t.Run(fmt.Sprintf("line%d", b.line+1+i-len(shown)), func(t *testing.T) {
				cmd := exec.Command(bin, args[3:]...)
				cmd.Dir = wd
				out, err := cmd.CombinedOutput()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != want {
					t.Fatalf("%s: exit %d, the tutorial says %d\n%s", cmdline, code, want, out)
				}
				if missing := subsequence(strings.Split(string(out), "\n"), shown); missing != "" {
					t.Fatalf("%s: the tutorial shows\n  %s\nwhich is not in the output (in that order):\n%s", cmdline, missing, out)
				}
			})
		}
	}
	if commands < 12 {
		t.Fatalf("only %d commands: the tutorial lost its commands", commands)
	}
	// The Mermaid diagram drawn in the page is viz's, whole.
	for _, b := range tutorialBlocks(t) {
		if b.lang != "mermaid" {
			continue
		}
		cmd := exec.Command(bin, "viz", "stale.json", "-format", "mermaid")
		cmd.Dir = wd
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if got, shown := strings.TrimSuffix(string(out), "\n"), strings.Join(b.lines, "\n"); got != shown {
			t.Fatalf("%s:%d: the Mermaid diagram is not viz's; viz draws\n%s", tutorialPath, b.line, got)
		}
	}
}

// subsequence returns the first line of shown ("…" aside) that does not
// appear in out after the lines before it, or "" when all do.
func subsequence(out, shown []string) string {
	k := 0
	for _, s := range shown {
		if s == "…" {
			continue
		}
		for k < len(out) && out[k] != s {
			k++
		}
		if k == len(out) {
			return s
		}
		k++
	}
	return ""
}
