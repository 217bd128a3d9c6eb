package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshotDir reads every file under dir, by path.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A data directory written by one run refuses a run of another protocol,
// another node count or other parameters: one line, exit 2, and not a
// byte written. The same run may use it again.
func TestRunRefusesADataDirectoryOfAnotherKindOfRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, out, errOut := invoke("run", "kv", "-simulate", "-seed", "1", "-ops", "4", "-data", dir); code != exitOK {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errOut)
	}
	before := snapshotDir(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "quorum", "-simulate", "-seed", "1", "-data", dir}, "holds the states of kv on 3 nodes"},
		{[]string{"run", "kv", "-simulate", "-seed", "1", "-n", "5", "-data", dir}, "— n: 3 there, 5 here"},
		{[]string{"run", "kv", "-simulate", "-seed", "1", "-scenario", "cas", "-data", dir}, "— scenario: 0 there, 1 here"},
		{[]string{"run", "kv", "-simulate", "-seed", "1", "-mutant", "no-dedup", "-data", dir}, "mutant no-dedup"},
	} {
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 and one line with %q", c.args[1:], code, errOut, out, c.want)
		}
	}
	if after := snapshotDir(t, dir); len(after) != len(before) {
		t.Errorf("refused runs changed the directory: %d files, then %d", len(before), len(after))
	} else {
		for path, data := range before {
			if after[path] != data {
				t.Errorf("a refused run wrote %s", path)
			}
		}
	}
	if code, out, errOut := invoke("run", "kv", "-simulate", "-seed", "2", "-ops", "4", "-data", dir); code != exitOK || !strings.Contains(out, "result: OK") {
		t.Errorf("the same kind of run again: exit %d\n%s%s", code, out, errOut)
	}
}

// A directory written before data directories were tagged holds no
// manifest: nothing says whose states it holds, and it is refused.
func TestRunRefusesAnUntaggedDataDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "round0", "n0"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "round0", "n0", "state.log"), []byte("DSYSLOG1"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := invoke("run", "kv", "-simulate", "-seed", "1", "-data", dir)
	if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "no distsys-data.json") || out != "" {
		t.Errorf("exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "distsys-data.json")); !os.IsNotExist(err) {
		t.Errorf("the refused directory got a manifest: %v", err)
	}
}
