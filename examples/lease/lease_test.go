package lease_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/cli"
	"github.com/distsys/distsys/examples/lease"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/spectest"
)

// check runs the checker on the lease entry as `check lease FLAGS` does:
// the protocol's default model, then the flags.
func check(t *testing.T, flags string) *catalog.Report {
	t.Helper()
	e := lease.Entry().Catalog()
	if e == nil {
		t.Fatal(lease.Entry().Err())
	}
	r, err := e.DefaultRun()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(flags, &r); err != nil {
		t.Fatal(err)
	}
	r.Options.Workers = 1
	rep, err := e.Check(r)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// Step is deterministic and never changes its argument; the encodings are
// injective.
func TestPure(t *testing.T) {
	for _, m := range []string{"", lease.MutantNoFencing, lease.MutantVolatileToken} {
		p, err := lease.New(lease.Params{Clients: 3, Writes: 2, Mutant: m})
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, p, p.Workload(), 40)
	}
}

// With fencing, the bounded space is exhausted, every property evaluated
// and both witnesses reached: mutual exclusion holds, and the path it
// speaks about — a stale write refused — happens. The counts are pinned.
func TestFencedLeasesKeepMutualExclusion(t *testing.T) {
	for _, c := range []struct {
		flags               string
		states, transitions int64
	}{
		{"", 168, 357},
		{"-clients 3", 3773, 10831},
		{"-writes 2", 5507, 17557},
		{"-dups 1", 5122, 13925},
		{"-drops 1", 374, 887},
		{"-crashes 1 -crash-mode recover", 1912, 5205},
	} {
		rep := check(t, c.flags)
		if rep.Status != explore.OK || !rep.AllEvaluated() || rep.Stats.States != c.states || rep.Stats.Transitions != c.transitions {
			t.Errorf("check lease %s: %v, omitted %v, %d states, %d transitions; want ok, none omitted, %d, %d",
				c.flags, rep.Status, rep.Omitted, rep.Stats.States, rep.Stats.Transitions, c.states, c.transitions)
		}
		for _, s := range rep.Sometimes {
			if !s.Reached {
				t.Errorf("check lease %s: %s never reached", c.flags, s.Property)
			}
		}
	}
	// One client: no later lease, so no stale write to refuse — left out
	// and said so, not reported as reached or as holding.
	rep := check(t, "-clients 1")
	if rep.Status != explore.OK || rep.AllEvaluated() || !rep.Omits(lease.ReachStaleFenced) || rep.Stats.States != 11 {
		t.Errorf("check lease -clients 1: %v, omitted %v, %d states", rep.Status, rep.Omitted, rep.Stats.States)
	}
}

// Each mutant is caught, under the settings it names, breaking the
// property it names, by a counterexample that replays to the same
// violation.
func TestMutantsAreCaught(t *testing.T) {
	steps := map[string]int{lease.MutantNoFencing: 9, lease.MutantVolatileToken: 10}
	for _, m := range lease.Mutants {
		rep := check(t, "-mutant "+m.Name+" "+m.Shows)
		if rep.Status != explore.Violated || !rep.MutantCaught() || rep.Property != m.Breaks || rep.Trace == nil {
			t.Fatalf("mutant %s: %v %s; want %s violated", m.Name, rep.Status, rep.Property, m.Breaks)
		}
		if got := len(rep.Trace.Steps()); got != steps[m.Name] {
			t.Errorf("mutant %s: counterexample of %d steps, want %d", m.Name, got, steps[m.Name])
		}
		again, err := lease.Entry().Catalog().Replay(rep.Trace)
		if err != nil || !again.Violated || again.Property != m.Breaks || len(again.Differences) != 0 {
			t.Fatalf("mutant %s: replay %+v, %v", m.Name, again, err)
		}
	}
	// Without the crash it needs, the volatile token is not caught, and
	// the report says so rather than calling the mutant fixed.
	rep := check(t, "-mutant "+lease.MutantVolatileToken)
	if rep.Status != explore.OK || rep.MutantCaught() || rep.MutantShows != "-crashes 1 -crash-mode recover" {
		t.Fatalf("volatile-token without crashes: %v caught=%v shows %q", rep.Status, rep.MutantCaught(), rep.MutantShows)
	}
}

// The runtime runs the same Step with faults: the fenced service keeps
// mutual exclusion through loss, delays and crashes, and every round
// replays; the storage without fencing is caught on the runtime too.
// Simulated time makes each run exactly reproducible from its seed.
func TestRun(t *testing.T) {
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := cli.Execute(append([]string{"run", "lease", "-simulate", "-seed", "1"}, args...), &out, &errb, lease.Entry())
		return code, out.String() + errb.String()
	}
	code, out := run("-ops", "40", "-delay", "uniform:0-30ms", "-loss", "0.05", "-crash-every", "30ms")
	for _, want := range []string{
		"operations: 40 issued, 19 answered, 21 timed out, 0 refused",
		"replay: every step gave the recorded outputs and state through Step",
		"mutual-exclusion (always)      held in 20 rounds",
		"every-client-wrote (sometimes) reached in 7 of 20 rounds",
		"result: OK",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("run with faults: exit %d, want %q in\n%s", code, want, out)
		}
	}
	code, out = run("-ops", "40", "-delay", "uniform:0-30ms", "-mutant", lease.MutantNoFencing)
	if code != 1 || !strings.Contains(out, "mutual-exclusion (always)      VIOLATED in 1 of 7 rounds") || !strings.Contains(out, "result: VIOLATED") {
		t.Fatalf("run of no-fencing: exit %d\n%s", code, out)
	}
}
