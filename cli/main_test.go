package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ (read the diff before committing)")

// invoke runs the CLI in-process.
func invoke(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// timing matches the figures that change from run to run.
var timing = regexp.MustCompile(`(?m)^time: .*$`)

func golden(t *testing.T, name, got string) {
	t.Helper()
	got = timing.ReplaceAllString(got, "time:    (elided)")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -update to create it)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}

func TestListGolden(t *testing.T) {
	code, out, _ := invoke("list")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	golden(t, "list", out)
}

func TestListJSONNamesEveryProtocol(t *testing.T) {
	code, out, _ := invoke("list", "-json")
	var entries []listEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v", code, err)
	}
	for _, e := range entries {
		if len(e.Params) == 0 || len(e.Properties) == 0 {
			t.Errorf("%s: params %v properties %v", e.Name, e.Params, e.Properties)
		}
	}
	if len(entries) == 0 {
		t.Fatal("no protocols")
	}
}

func TestCheckOKGolden(t *testing.T) {
	code, out, _ := invoke("check", "twophase", "-workers", "1")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	golden(t, "check-twophase-ok", out)
}

func TestCheckNodeProtocolsGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"check-quorum-ok", []string{"check", "quorum", "-workers", "1"}, exitOK},
		{"check-quorum-stale-read", []string{"check", "quorum", "-n", "3", "-w", "1", "-r", "2", "-workers", "1"}, exitViolated},
		{"check-clocks-ok", []string{"check", "clocks", "-n", "3", "-events", "1", "-workers", "1"}, exitOK},
		{"check-clocks-mutant", []string{"check", "clocks", "-mutant", "vector-overwrite", "-workers", "1"}, exitViolated},
	} {
		code, out, _ := invoke(c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d:\n%s", c.args, code, c.code, out)
		}
		golden(t, c.name, out)
	}
}

func TestCheckViolatedWritesATraceThatReplays(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "cx.json")
	code, out, _ := invoke("check", "twophase", "-mutant", "commit-without-prepared", "-workers", "1", "-trace-out", trace)
	if code != exitViolated {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	golden(t, "check-twophase-violated", strings.ReplaceAll(out, trace, "TRACE"))
	code, out, _ = invoke("replay", trace)
	if code != exitViolated || !strings.Contains(out, "consistent is violated again") {
		t.Fatalf("replay: exit %d:\n%s", code, out)
	}
	// Flags may follow the file.
	code, out, _ = invoke("replay", trace, "-json")
	if code != exitViolated || !strings.Contains(out, `"violated": true`) {
		t.Fatalf("replay -json: exit %d:\n%s", code, out)
	}
}

func TestReplayRejectsATraceThatDoesNotMatchTheSpec(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "cx.json")
	invoke("check", "twophase", "-mutant", "commit-without-prepared", "-workers", "1", "-trace-out", trace)
	data, _ := os.ReadFile(trace)
	// The same steps on the correct protocol: TMCommit is not enabled.
	fixed := filepath.Join(dir, "fixed.json")
	os.WriteFile(fixed, bytes.Replace(data, []byte(`"mutant": "commit-without-prepared",`), nil, 1), 0o644)
	code, _, errOut := invoke("replay", fixed)
	if code != exitUsage || !strings.Contains(errOut, "does not replay") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, data[:len(data)/2], 0o644)
	code, _, errOut = invoke("replay", bad)
	if code != exitUsage || !strings.Contains(errOut, "truncated JSON") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("exit %d: %q", code, errOut)
	}
}

func TestCheckJSONHasTheDocumentedFields(t *testing.T) {
	code, out, errOut := invoke("check", "twophase", "-n", "4", "-json")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"protocol", "params", "status", "property", "distinct_states", "transitions", "max_depth", "elapsed_ms", "states_per_sec", "trace"} {
		if _, ok := got[f]; !ok {
			t.Errorf("field %q missing", f)
		}
	}
	if got["status"] != "ok" || got["distinct_states"] != float64(1568) || got["transitions"] != float64(8258) || got["max_depth"] != float64(13) || got["trace"] != nil {
		t.Errorf("%v", got)
	}
}

func TestBoundsGiveIncompleteExit3(t *testing.T) {
	code, out, _ := invoke("check", "twophase", "-max-states", "100")
	if code != exitIncomplete || !strings.Contains(out, "INCOMPLETE — stopped by max-states 100") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = invoke("check", "twophase", "-strategy", "random", "-seed", "7", "-walks", "5", "-json")
	if code != exitIncomplete || !strings.Contains(out, `"seed": 7`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestUsageErrorsAreOneLineAndExit2(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "usage:"},
		{[]string{"frob"}, `unknown command "frob"`},
		{[]string{"check"}, "missing protocol name"},
		{[]string{"check", "nosuch"}, `unknown protocol "nosuch"`},
		{[]string{"check", "twophase", "-n", "0"}, "-n 0 is out of range 1..15"},
		{[]string{"check", "twophase", "-n", "x"}, `invalid value "x" for flag -n`},
		{[]string{"check", "twophase", "-mutant", "nosuch"}, `has no mutant "nosuch"`},
		{[]string{"check", "twophase", "-drops", "1"}, "-drops does not apply"},
		{[]string{"check", "twophase", "-strategy", "sideways"}, `unknown strategy "sideways"`},
		{[]string{"check", "twophase", "-seed", "1"}, "-seed applies only to -strategy random"},
		{[]string{"check", "twophase", "-strategy", "dfs", "-workers", "2"}, "only -strategy bfs runs in parallel"},
		{[]string{"check", "twophase", "-max-states", "-5"}, "must not be negative"},
		{[]string{"check", "twophase", "surplus"}, `unexpected argument "surplus"`},
		{[]string{"check", "-w", "2", "twophase"}, "protocol flags go after the protocol's name"},
		{[]string{"replay"}, "want one trace file"},
		{[]string{"replay", "/no/such/file"}, "no such file"},
		{[]string{"list", "extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		code, out, errOut := invoke(c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errOut, c.want)
		}
		if c.args != nil && (strings.Count(errOut, "\n") != 1 || out != "") {
			t.Errorf("%v: want one line on stderr and nothing on stdout, got %q / %q", c.args, errOut, out)
		}
	}
}

func TestUsageErrorGolden(t *testing.T) {
	code, out, errOut := invoke("check", "quorum", "-w", "9")
	if code != exitUsage || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	golden(t, "usage-error", errOut)
}

func TestHelpExitsZeroAndListsProtocolFlags(t *testing.T) {
	code, out, _ := invoke("check", "twophase", "-h")
	if code != exitOK || !strings.Contains(out, "-n int") || !strings.Contains(out, "-mutant") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

// A runtime run's trace is drawn like a counterexample but has no path of
// the checker to follow: replay says so in one line, exit 2.
func TestReplayOfARuntimeTraceSaysWhatItIs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.json")
	if code, out, errOut := invoke("run", "rpc", "-simulate", "-ops", "4", "-seed", "7", "-trace-out", path); code != exitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut := invoke("replay", path)
	if code != exitUsage || !strings.Contains(errOut, "a run of the runtime") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("replay: exit %d, %q", code, errOut)
	}
}
