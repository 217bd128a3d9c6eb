package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The generals' and RPC semantics' tables, drawn whole, against their
// golden files (the hierarchy's is behind -tags long: TestHierarchyGolden).
func TestTableGolden(t *testing.T) {
	for _, name := range []string{"generals", "rpc"} {
		code, out, errOut := invoke("table", name, "-workers", "2")
		if code != exitOK {
			t.Fatalf("%s: exit %d:\n%s%s", name, code, out, errOut)
		}
		golden(t, "table-"+name, out)
	}
	// generals is table generals.
	_, a, _ := invoke("generals", "-workers", "1")
	_, b, _ := invoke("table", "generals", "-workers", "1")
	if a != b {
		t.Errorf("modelcheck generals and modelcheck table generals differ")
	}
}

// Reference: course 2.1 and 2.2, from the JSON. Every k's lossy link loses
// the last messenger after k-1 deliveries (k+1 steps) and leaves its
// sender attacking alone, A and B in turn; every cell meets the course's
// expectation and both conclusions are drawn.
func TestTableJSONAssertsEveryResult(t *testing.T) {
	code, out, _ := invoke("table", "generals", "-json", "-workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var got experimentOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Experiment != "generals" || len(got.Tables) != 3 || len(got.Bugs)+len(got.Undecided) != 0 {
		t.Fatalf("%+v", got)
	}
	two := got.Tables[0]
	if len(two.Rows) != 4 || len(two.Checks) != 8 {
		t.Fatalf("two generals: %d rows, %d checks", len(two.Rows), len(two.Checks))
	}
	for i, r := range two.Rows {
		k := i + 1
		alone := map[bool]string{true: "B", false: "A"}[k%2 == 0]
		rel, lo := r.Cells[0], r.Cells[1]
		if rel.Finding != "held" || rel.Expect != "holds" || !rel.Met || rel.Command != fmt.Sprintf("modelcheck check twogenerals -k %d", k) {
			t.Errorf("k=%d reliable: %+v", k, rel)
		}
		if lo.Finding != "violated" || lo.Violated != "agreement" || lo.Steps != k+1 || !lo.Met || !strings.HasPrefix(lo.Reason, alone+" attacks alone") {
			t.Errorf("k=%d lossy: %+v, want agreement broken in %d steps, %s attacking alone", k, lo, k+1, alone)
		}
	}
	for _, c := range two.Checks {
		if len(c.Evaluated) != 4 || c.Omitted == nil || len(c.Sometimes) != 2 {
			t.Errorf("%s: evaluated %v, omitted %v, sometimes %v", c.Command, c.Evaluated, c.Omitted, c.Sometimes)
		}
	}
	for _, tbl := range got.Tables {
		if tbl.Conclusion == "" {
			t.Errorf("%s: no conclusion", tbl.Title)
		}
		for _, r := range tbl.Rows {
			for _, c := range r.Cells {
				if !c.Met {
					t.Errorf("%s %s: not met: %+v", tbl.Title, r.Label, c)
				}
			}
		}
	}
	if c := got.Tables[2].Rows[0].Cells[1]; c.Violated != "validity" || !strings.Contains(c.Reason, "n = 3 < 3f+1 = 4 with traitor n1") {
		t.Errorf("n=3, retreat, traitor n1: %+v", c)
	}
}

// A bound that stops the checks decides nothing: exit 3, no conclusion,
// each stopped check named.
func TestTableUnderABoundIsIncomplete(t *testing.T) {
	code, out, _ := invoke("generals", "-max-states", "3", "-workers", "1")
	if code != exitIncomplete {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "made the difference") || strings.Contains(out, "for every k") || !strings.Contains(out, "not decided: modelcheck check twogenerals -k 1: stopped by max-states 3") {
		t.Errorf("output under a bound:\n%s", out)
	}
}

// Bad input is one line and exit 2 before any search; -h and the list of
// experiments exit 0.
func TestTableUsage(t *testing.T) {
	code, out, _ := invoke("table", "generals", "-h")
	if code != exitOK || !strings.Contains(out, "usage: modelcheck table generals") || !strings.Contains(out, "-max-states") {
		t.Errorf("-h: exit %d:\n%s", code, out)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"table", "nope"}, {"table", "generals", "-nope"}, {"generals", "extra"}, {"generals", "-workers", "-1"},
		{"table", "-json", "generals"}, {"table", "rpc", "-trace-dir", file}} {
		code, out, errOut := invoke(args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	code, out, _ = invoke("table")
	if code != exitOK || !strings.Contains(out, "hierarchy") || !strings.Contains(out, "generals") || !strings.Contains(out, "rpc") {
		t.Errorf("table: exit %d:\n%s", code, out)
	}
	if code, out, _ := invoke("-h"); code != exitOK || !strings.Contains(out, "generals [-json]") || !strings.Contains(out, "table [NAME]") {
		t.Errorf("modelcheck -h does not list table and generals:\n%s", out)
	}
}

// Each cell's command line repeats its check exactly, and -trace-dir
// writes each counterexample once, under its check's flags and property.
func TestTableCellsRepeatByTheirCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := invoke("table", "rpc", "-json", "-workers", "1", "-trace-dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var got experimentOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	written := 0
	for _, r := range got.Tables[0].Rows {
		for _, c := range r.Cells {
			if c.Finding != "violated" {
				continue
			}
			if c.TraceFile == "" {
				t.Errorf("%s %s: no trace file", c.Command, c.Property)
				continue
			}
			written++
			args := append(strings.Fields(c.Command)[1:], "-workers", "1", "-all")
			code, out, _ := invoke(args...)
			if code != exitViolated || !strings.Contains(out, c.Reason) {
				t.Errorf("%s: exit %d, want %q:\n%s", c.Command, code, c.Reason, out)
			}
			code, out, _ = invoke("replay", c.TraceFile)
			if code != exitViolated || !strings.Contains(out, c.Violated) {
				t.Errorf("replay %s: exit %d:\n%s", c.TraceFile, code, out)
			}
		}
	}
	if written != 12 || len(files) != written {
		t.Errorf("%d violated cells, %d files", written, len(files))
	}
}
