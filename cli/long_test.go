//go:build long

package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The whole broadcast hierarchy, twice (text and JSON), against its golden
// file: a minute on two cores, so it runs with
// `go test -tags long ./cli`; .ci/run runs it.

// rowTime matches the time column of the hierarchy table.
var rowTime = regexp.MustCompile(`(?m)  [0-9.]+(ms|s|µs)$`)

// TestHierarchyGolden checks the table, its counterexample files and its
// JSON.
func TestHierarchyGolden(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := invoke("hierarchy", "-workers", "2", "-trace-dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	golden(t, "hierarchy", rowTime.ReplaceAllString(strings.ReplaceAll(out, dir, "DIR"), "  (time)"))
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 36 {
		t.Errorf("%d counterexample files, want 36 (32 + 4 replication)", len(files))
	}
	code, out, _ = invoke("hierarchy", "-json", "-workers", "2")
	var tables struct {
		Hierarchy   []hierarchyRowOut `json:"hierarchy"`
		Replication []replicationOut  `json:"replication"`
	}
	if err := json.Unmarshal([]byte(out), &tables); err != nil || code != exitOK || len(tables.Hierarchy) != 14 || len(tables.Replication) != 4 {
		t.Fatalf("json: exit %d, %d+%d rows, %v", code, len(tables.Hierarchy), len(tables.Replication), err)
	}
}
