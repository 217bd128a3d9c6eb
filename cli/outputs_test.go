package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A bad output path is refused before the search: one line, exit 2, at
// once. twophase -n 9 is ten million states (minutes): finishing in a
// second shows the search never started.
func TestBadOutputPathsAreRefusedBeforeTheSearch(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no", "such", "dir", "cx.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "twophase", "-n", "9", "-trace-out", missing}, "-trace-out " + missing + ": directory " + filepath.Dir(missing) + " does not exist"},
		{[]string{"check", "twophase", "-n", "9", "-trace-out", dir}, "is a directory, want a file"},
		{[]string{"check", "twophase", "-n", "9", "-html", missing}, "-html " + missing + ": directory"},
		{[]string{"check", "twophase", "-n", "9", "-all", "-trace-dir", file}, "-trace-dir " + file + ": is a file, want a directory"},
		{[]string{"check", "twophase", "-n", "9", "-all", "-trace-dir", filepath.Join(file, "sub")}, "-trace-dir " + filepath.Join(file, "sub")},
		{[]string{"hierarchy", "-trace-dir", file}, "hierarchy: -trace-dir " + file + ": is a file, want a directory"},
		{[]string{"check", "twophase", "-n", "9", "-cpuprofile", missing}, "-cpuprofile: open " + missing},
	} {
		start := time.Now()
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%v: refused after %v: the search ran first", c.args, d)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the checks left files behind: %v", entries)
	}
}

// A write that fails after the search no longer discards the report: the
// report is printed in full, then the error, exit 2.
func TestLateWriteErrorKeepsTheReport(t *testing.T) {
	dir := t.TempDir()
	// The file the counterexample goes to is taken by a directory.
	if err := os.Mkdir(filepath.Join(dir, "twophase-consistent.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := invoke("check", "twophase", "-mutant", "commit-without-prepared", "-all", "-trace-dir", dir, "-workers", "1")
	if code != exitUsage || !strings.Contains(out, "result:  VIOLATED — 1 of 1 properties") || !strings.Contains(out, "counterexample of consistent (3 steps):") ||
		!strings.Contains(errOut, "-trace-dir: ") || !strings.Contains(errOut, "the report above is complete") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// -all finds one counterexample per property: -trace-out (one file) is
// refused for -trace-dir; without -trace-dir every counterexample is
// printed, and the report says how to save them.
func TestAllPrintsOrSavesEveryCounterexample(t *testing.T) {
	code, out, errOut := invoke("check", "broadcast", "-n", "2", "-b0", "2", "-b1", "1", "-all", "-trace-out", filepath.Join(t.TempDir(), "cx.json"))
	if code != exitUsage || out != "" || !strings.Contains(errOut, "-trace-out writes one counterexample") || !strings.Contains(errOut, "use -trace-dir DIR") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	args := []string{"check", "broadcast", "-n", "2", "-b0", "2", "-b1", "1", "-all", "-workers", "1"}
	code, out, _ = invoke(args...)
	if code != exitViolated {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, p := range []string{"fifo-order", "causal-order", "total-order"} {
		if !strings.Contains(out, "counterexample of "+p+" (") {
			t.Errorf("no counterexample of %s printed:\n%s", p, out)
		}
	}
	if !strings.Contains(out, "trace:   rerun with -trace-dir DIR to save them (DIR/broadcast-PROPERTY.json)\n") {
		t.Errorf("no word on saving them:\n%s", out)
	}
	dir := t.TempDir()
	code, out, _ = invoke(append(args, "-trace-dir", dir)...)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if code != exitViolated || len(files) != 3 || !strings.Contains(out, "trace:   total-order counterexample written to "+filepath.Join(dir, "broadcast-total-order.json")) ||
		strings.Contains(out, "rerun with -trace-dir") {
		t.Fatalf("exit %d, files %v:\n%s", code, files, out)
	}
}

// With -all, -html draws every violated property's counterexample on its
// own page, not only the first property's.
func TestHTMLWithAllDrawsEveryCounterexample(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "eager.html")
	code, out, errOut := invoke("check", "broadcast", "-n", "2", "-b0", "2", "-b1", "1", "-workers", "1", "-all", "-html", page)
	if code != exitViolated {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
	for _, prop := range []string{"fifo-order", "causal-order", "total-order"} {
		path := filepath.Join(dir, "eager-"+prop+".html")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", prop, err)
			continue
		}
		if !strings.Contains(string(data), prop) {
			t.Errorf("%s does not name %s", path, prop)
		}
		if want := "html:    " + prop + " counterexample drawn in " + path; !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if _, err := os.Stat(page); err == nil {
		t.Errorf("%s written: with -all every page is named by its property", page)
	}
}

// -cpuprofile writes a profile of the search that go tool pprof reads.
func TestCheckWritesACPUProfile(t *testing.T) {
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	code, out, errOut := invoke("check", "twogenerals", "-k", "3", "-cpuprofile", prof)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(prof)
	if err != nil || len(data) == 0 || data[0] != 0x1f { // a gzipped profile
		t.Errorf("profile: %d bytes, %v", len(data), err)
	}
}
