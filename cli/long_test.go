//go:build long

package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The whole broadcast hierarchy, twice (text and JSON), against its golden
// file: a minute on two cores, so it runs with
// `go test -tags long ./cli`; .ci/run runs it.

// TestHierarchyGolden checks the table, its counterexample files and its
// JSON.
func TestHierarchyGolden(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := invoke("hierarchy", "-workers", "2", "-trace-dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	golden(t, "hierarchy", strings.ReplaceAll(out, dir, "DIR"))
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 36 {
		t.Errorf("%d counterexample files, want 36 (32 + 4 replication)", len(files))
	}
	code, out, _ = invoke("hierarchy", "-json", "-workers", "2")
	var x experimentOut
	if err := json.Unmarshal([]byte(out), &x); err != nil || code != exitOK || len(x.Tables) != 2 || len(x.Tables[0].Rows) != 14 || len(x.Tables[1].Rows) != 4 {
		t.Fatalf("json: exit %d, %+v, %v", code, x, err)
	}
}
