package impl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/impl"
)

// A data directory is claimed once, with a manifest; a run like the one
// that claimed it may use it again, any other is refused by one line
// naming the difference, and a refused directory is left as it was.
func TestADataDirectoryKeepsOnlyTheStateOfTheRunThatClaimedIt(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	kv3 := impl.NewDataManifest("kv", 3, map[string]int{"n": 3, "scenario": 0}, "")
	if err := impl.CheckDataDir(dir, kv3); err != nil {
		t.Fatalf("a directory that does not exist: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("CheckDataDir created the directory: %v", err)
	}
	if err := impl.ClaimDataDir(dir, kv3); err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, impl.ManifestFile))
	if err != nil || !strings.Contains(string(manifest), `"protocol": "kv"`) {
		t.Fatalf("manifest %q, %v", manifest, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "state"), []byte("kv's"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := impl.ClaimDataDir(dir, impl.NewDataManifest("kv", 3, map[string]int{"scenario": 0, "n": 3}, "")); err != nil {
		t.Errorf("the same run again: %v", err)
	}
	for _, c := range []struct {
		m    impl.DataManifest
		want string
	}{
		{impl.NewDataManifest("quorum", 4, map[string]int{"n": 3}, ""), "holds the states of kv on 3 nodes (n=3 scenario=0), not of this run's quorum on 4 nodes (n=3)"},
		{impl.NewDataManifest("kv", 5, map[string]int{"n": 5, "scenario": 0}, ""), "— n: 3 there, 5 here"},
		{impl.NewDataManifest("kv", 3, map[string]int{"n": 3, "scenario": 1}, ""), "— scenario: 0 there, 1 here"},
		{impl.NewDataManifest("kv", 3, map[string]int{"n": 3}, ""), "— scenario: 0 there, unset here"},
		{impl.NewDataManifest("kv", 3, map[string]int{"n": 3, "scenario": 0}, "volatile-vote"), "mutant volatile-vote"},
	} {
		err := impl.ClaimDataDir(dir, c.m)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line with %q", c.m, err, c.want)
		}
	}
	after, _ := os.ReadFile(filepath.Join(dir, impl.ManifestFile))
	if string(after) != string(manifest) {
		t.Errorf("a refused claim rewrote the manifest:\n%s", after)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the directory holds %d entries, want the manifest and the state", len(entries))
	}
}

// A directory with files but no manifest — written before directories
// were tagged — is refused: nothing says whose state it holds. An empty
// one is claimed.
func TestADataDirectoryWithoutAManifestIsRefused(t *testing.T) {
	t.Parallel()
	old := t.TempDir()
	if err := os.MkdirAll(filepath.Join(old, "round0", "n0"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := impl.NewDataManifest("kv", 3, nil, "")
	err := impl.ClaimDataDir(old, m)
	if err == nil || !strings.Contains(err.Error(), "holds files but no "+impl.ManifestFile) {
		t.Errorf("an untagged directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(old, impl.ManifestFile)); !os.IsNotExist(err) {
		t.Errorf("the refused directory got a manifest: %v", err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, impl.ManifestFile), []byte("{}"), 0o644)
	if err := impl.CheckDataDir(bad, m); err == nil || !strings.Contains(err.Error(), "not a distsys data manifest") {
		t.Errorf("a foreign manifest: %v", err)
	}
	if err := impl.ClaimDataDir(t.TempDir(), m); err != nil {
		t.Errorf("an empty directory: %v", err)
	}
}
