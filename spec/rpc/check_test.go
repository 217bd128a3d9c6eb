package rpc_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/rpc"
)

// system is a system model with a short name for test names.
type system struct {
	name string
	cfg  model.Config
}

var (
	reliable  = system{"reliable", model.Config{}}
	drop1     = system{"drop1", model.Config{Drops: 1}}
	drop2     = system{"drop2", model.Config{Drops: 2}}
	dup1      = system{"dup1", model.Config{Dups: 1}}
	crashStop = system{"crash-stop", model.Config{Crashes: 1, CrashMode: model.CrashStop}}
	crashRec  = system{"crash-recover", model.Config{Crashes: 1, CrashMode: model.CrashRecover}}
	midStep   = system{"crash-mid-step", model.Config{Crashes: 1, CrashMode: model.CrashRecover, CrashMidStep: true}}
)

// verdictRows are checks of each semantics: the properties not listed
// hold, those listed are violated, with the length of the shortest
// counterexample. Each row is one search that keeps going after a
// violation, with the guarantees, and each semantics' witnesses reached.
var verdictRows = []struct {
	sem      rpc.Semantics
	ops      int
	retries  int
	sys      system
	violated map[string]int
	want     pinned
}{
	// Reference: course 5.1, "at-most-once: send request, don't retry,
	// update may not happen"; 1.3: a request is lost and never retried.
	{rpc.AtMostOnce, 2, 1, reliable, nil, pinned{73, 110, 8}},
	{rpc.AtMostOnce, 2, 1, drop1, map[string]int{"at-least-once": 6, "exactly-once": 6}, pinned{147, 266, 8}},
	{rpc.AtMostOnce, 2, 1, crashStop, nil, pinned{268, 483, 9}},
	// Without a table, even a call sent once executes twice when the
	// network duplicates it (course 1.3: at most once needs dedup or
	// idempotence).
	{rpc.AtMostOnce, 2, 1, dup1, map[string]int{"at-most-once": 4, "exactly-once": 9}, pinned{569, 1035, 11}},
	// Reference: course 1.3, Cx: "a retry without dedup charges twice";
	// a timeout cannot tell "not executed" from "reply slow or lost", so
	// it happens on a reliable network.
	{rpc.AtLeastOnce, 2, 1, reliable, map[string]int{"at-most-once": 4, "exactly-once": 9}, pinned{127, 201, 12}},
	{rpc.AtLeastOnce, 2, 1, drop1, map[string]int{"at-most-once": 4, "exactly-once": 9}, pinned{279, 561, 12}},
	{rpc.AtLeastOnce, 2, 1, crashRec, map[string]int{"at-most-once": 4, "exactly-once": 9}, pinned{2068, 4295, 17}},
	// One retry does not outlast two losses.
	{rpc.AtLeastOnce, 2, 1, drop2, map[string]int{"at-most-once": 4, "at-least-once": 5, "exactly-once": 5}, pinned{62, 97, 5}},
	// Reference: course 5.1, "exactly-once: retry plus dedup".
	{rpc.ExactlyOnce, 2, 1, reliable, nil, pinned{127, 201, 12}},
	{rpc.ExactlyOnce, 2, 1, drop1, nil, pinned{279, 561, 12}},
	{rpc.ExactlyOnce, 2, 1, dup1, nil, pinned{908, 1838, 15}},
	{rpc.ExactlyOnce, 2, 1, crashStop, nil, pinned{489, 937, 13}},
	{rpc.ExactlyOnce, 2, 1, crashRec, nil, pinned{2068, 4295, 17}},
	{rpc.ExactlyOnce, 2, 1, midStep, nil, pinned{2369, 4994, 17}},
	{rpc.ExactlyOnce, 2, 1, drop2, map[string]int{"at-least-once": 5, "exactly-once": 5}, pinned{369, 768, 12}},
	{rpc.ExactlyOnce, 2, 2, drop2, nil, pinned{4049, 12036, 18}},
	{rpc.ExactlyOnce, 3, 1, reliable, nil, pinned{2996, 6020, 18}},
	// Reference: course 5.1, "exactly-once: retry plus idempotence" — for
	// one call; with a second call, a stale retry of the first lands after
	// it: f(g(f(x))) ≠ g(f(x)) (5.1, Cx1).
	{rpc.Idempotent, 1, 1, reliable, nil, pinned{10, 12, 6}},
	{rpc.Idempotent, 1, 1, drop1, nil, pinned{18, 26, 6}},
	{rpc.Idempotent, 1, 1, dup1, nil, pinned{33, 50, 9}},
	{rpc.Idempotent, 1, 1, crashRec, nil, pinned{107, 184, 11}},
	{rpc.Idempotent, 2, 1, reliable, map[string]int{"at-most-once": 7, "exactly-once": 9}, pinned{127, 201, 12}},
}

func TestEachSemanticsKeepsItsGuaranteesAndBreaksTheOthers(t *testing.T) {
	t.Parallel()
	for _, row := range verdictRows {
		name := fmt.Sprintf("%s/ops=%d/retries=%d/%v", row.sem, row.ops, row.retries, row.sys.name)
		t.Run(name, func(t *testing.T) {
			p := rpc.Params{Semantics: row.sem, Ops: row.ops, Retries: row.retries}
			m, res := check(t, p, row.sys.cfg, 2)
			wantVerdict(t, m, res, row.violated)
			wantPinned(t, res, row.want)
		})
	}
}

// Every mutant is caught under the settings its Shows names (on the
// default parameters), and its counterexample replays.
func TestMutantsAreCaught(t *testing.T) {
	t.Parallel()
	setting := map[string]struct {
		sys       system
		len       int
		violated  map[string]int // all it breaks, mu.Breaks among them
		unreached []string
		want      pinned
	}{
		"volatile-dedup": {crashRec, 6, map[string]int{"at-most-once": 6, "exactly-once": 11}, nil, pinned{3851, 7683, 17}},
		// A fresh id per retry hides the duplicate from the table:
		// the table never answers one.
		"new-id-per-retry": {reliable, 4, map[string]int{"at-most-once": 4, "exactly-once": 9}, []string{"duplicate-answered"}, pinned{247, 482, 12}},
		"volatile-client":  {midStep, 5, map[string]int{"at-least-once": 5, "exactly-once": 5}, nil, pinned{2000, 4210, 17}},
	}
	for _, mu := range rpc.Mutants {
		t.Run(mu.Name, func(t *testing.T) {
			s, ok := setting[mu.Name]
			if !ok {
				t.Fatalf("no setting for mutant %s", mu.Name)
			}
			p := rpc.DefaultParams()
			p.Mutant = mu.Name
			m, res := check(t, p, s.sys.cfg, 2)
			if v := modeltest.Counterexample(t, res, mu.Breaks); v.Path.Len() != s.len {
				t.Errorf("%s violated in %d steps, want %d", mu.Breaks, v.Path.Len(), s.len)
			}
			wantVerdict(t, m, res, s.violated, s.unreached...)
			wantPinned(t, res, s.want)
		})
	}
}
