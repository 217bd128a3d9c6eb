package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/traces"
)

const repoRoot = ".."

// cells splits a Markdown table row into its cells, leaving pipes inside
// code spans alone.
func cells(row string) []string {
	var out []string
	var cell strings.Builder
	code := false
	for _, r := range strings.TrimSpace(row) {
		switch {
		case r == '`':
			code = !code
			cell.WriteRune(r)
		case r == '|' && !code:
			out = append(out, cell.String())
			cell.Reset()
		default:
			cell.WriteRune(r)
		}
	}
	out = append(out, cell.String())
	// A row starts and ends with a pipe: drop the empty ends.
	return out[1 : len(out)-1]
}

// Every Markdown table of the README is whole: a header, a separator,
// rows with as many cells — so a blank line inside a table (which ends
// it, and starts a headless one) or two rows run together on one line is
// caught.
func TestReadmeTablesAreWellFormed(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	fence := false
	tables := 0
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "```") {
			fence = !fence
		}
		if fence || !strings.HasPrefix(lines[i], "|") {
			continue
		}
		tables++
		start := i
		header := cells(lines[i])
		if i+1 >= len(lines) || !regexp.MustCompile(`^\|(\s*:?-+:?\s*\|)+\s*$`).MatchString(lines[i+1]) {
			t.Errorf("README.md:%d: a table row with no header separator under it (a table cut by a blank line?): %.60s", i+1, lines[i])
		}
		for i++; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
			if n := len(cells(lines[i])); n != len(header) {
				t.Errorf("README.md:%d: %d cells, the header (line %d) has %d: %.80s", i+1, n, start+1, len(header), lines[i])
			}
		}
	}
	if tables < 5 {
		t.Errorf("found %d tables: the parser is off", tables)
	}
}

// The README's one-line claims about counterexample lengths match the
// checker: the "(N steps)" of a table row is the length of the
// counterexample its command finds. A row whose command is a classic's
// run (the same parameters, mutant and system model) is held to the
// classic's saved counterexample, which the catalog's tests find again
// step for step; any other row runs the checker.
func TestReadmeCounterexampleLengthsMatchTheChecker(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	claim := regexp.MustCompile(`\((\d+) steps\) \| ` + "`go run ./cmd/modelcheck (check [^`]+)`")
	found, saved := 0, 0
	for _, m := range claim.FindAllStringSubmatch(string(data), -1) {
		found++
		want, _ := strconv.Atoi(m[1])
		args := strings.Fields(m[2])
		if steps, ok := classicSteps(t, args[1], strings.Join(args[2:], " ")); ok {
			saved++
			if steps != want {
				t.Errorf("README: %q finds a counterexample of %d steps; the classic with that run saved one of %d", m[2], want, steps)
			}
			continue
		}
		code, rep := checkJSON(t, append(args[1:], "-workers", "1")...)
		if code != exitViolated || len(rep.Counterexample) != want {
			t.Errorf("README: %q finds a counterexample of %d steps; the checker: exit %d, %d steps", m[2], want, code, len(rep.Counterexample))
		}
	}
	if found == 0 {
		t.Fatal("no claim found: the pattern is off")
	}
	t.Logf("%d claims: %d held to a classic's saved counterexample, %d checked", found, saved, found-saved)
}

// classicSteps is the length of the saved counterexample of the classic
// whose run is the one protocol and flags make, if there is one.
func classicSteps(t *testing.T, protocol, flags string) (int, bool) {
	t.Helper()
	e, err := catalog.Lookup(protocol)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.DefaultRun()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(flags, &r); err != nil {
		t.Fatalf("%s %s: %v", protocol, flags, err)
	}
	for _, c := range catalog.Classics() {
		if c.Protocol != protocol {
			continue
		}
		_, cr, err := c.Run()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cr, r) {
			continue
		}
		tr, err := traces.LoadFile(filepath.Join(repoRoot, "catalog", "testdata", "counterexamples", c.Name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		return len(tr.Steps()), true
	}
	return 0, false
}

// Package documentation pins counts, not timings: a time measured on one
// machine goes stale on the next. (ntp's milliseconds are the protocol's
// own delays and offsets, not measurements.)
func TestPackageDocsHoldNoTimings(t *testing.T) {
	timing := regexp.MustCompile(`\d(\.\d+)? ?(ms|µs|s|min)\b|\b\d+ ?[GM]iB\b|\bseconds\b|half a second|\bminutes?\b|states/s|\bon (a|one|two) \d?-?cores?`)
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "ntp" || strings.HasPrefix(d.Name(), ".")) && path != repoRoot {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "doc.go" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "//") && timing.MatchString(line) {
				t.Errorf("%s:%d: a timing in the package doc (keep counts, move times to the README or a benchmark): %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
