package quorum_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

type (
	world  = *model.World[quorum.State, quorum.Msg]
	result = explore.Result[world, model.Action]
)

// check model-checks the register of p under cfg with all its properties
// (plus extra) on the given number of workers.
func check(t *testing.T, p quorum.Params, cfg model.Config, workers int, extra ...spec.Property[quorum.State, quorum.Msg]) (*model.Model[quorum.State, quorum.Msg], result) {
	t.Helper()
	proto, err := quorum.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(proto, cfg, proto.Workload(), append(quorum.Properties(), extra...))
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v under %v: %v, %d states, %d transitions, depth %d, %v",
		p, cfg, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed.Round(1e6))
	return m, res
}

// wantOK fails unless res is OK with every sometimes property reached.
func wantOK(t *testing.T, res result) {
	t.Helper()
	if res.Status != explore.OK {
		if v := res.Violation; v != nil {
			t.Fatalf("status %v: %s: %s\n%s", res.Status, v.Property, v.Reason, v.Path)
		}
		t.Fatalf("status %v (%s)", res.Status, res.Stopped)
	}
	var reached []string
	for _, w := range res.Sometimes {
		if !w.Reached {
			t.Errorf("sometimes property %s never reached", w.Property)
		}
		reached = append(reached, w.Property)
	}
	want := "write-completes read-after-write-happens stale-replica-repaired"
	if got := strings.Join(reached, " "); got != want {
		t.Errorf("sometimes properties %q, want %q", got, want)
	}
}

// wantViolated fails unless res violates prop, then replays the
// counterexample by its labels and checks that the property fails again on
// the replayed execution. It returns the counterexample's length.
func wantViolated(t *testing.T, m *model.Model[quorum.State, quorum.Msg], res result, prop string, extra ...spec.Property[quorum.State, quorum.Msg]) int {
	t.Helper()
	v := res.Violation
	if res.Status != explore.Violated || v == nil || v.Property != prop {
		t.Fatalf("status %v, violation %+v; want %s violated", res.Status, v, prop)
	}
	t.Logf("%s: %s\n%s", v.Property, v.Reason, v.Path)
	labels := make([]string, v.Path.Len())
	for i, st := range v.Path.Steps {
		labels[i] = st.Label
	}
	path, err := explore.ReplayLabels(m, 0, labels)
	if err != nil {
		t.Fatalf("replaying the counterexample: %v", err)
	}
	var p spec.Property[quorum.State, quorum.Msg]
	for _, q := range append(quorum.Properties(), extra...) {
		if q.Name == prop {
			p = q
		}
	}
	last := path.Last()
	var again error
	switch p.Kind {
	case spec.Always:
		again = p.State(last)
	case spec.OnTransition:
		before := path.Init
		if n := path.Len(); n > 1 {
			before = path.Steps[n-2].State
		}
		again = p.Step(before, last)
	default:
		t.Fatalf("property %s of kind %v: no replay check", prop, p.Kind)
	}
	if again == nil {
		t.Fatalf("replayed counterexample of %d steps satisfies %s", path.Len(), prop)
	}
	if again.Error() != v.Reason {
		t.Errorf("replay fails with %q, the check with %q", again, v.Reason)
	}
	return v.Path.Len()
}

// pinned are the exact figures of a check; a change is reviewed like a
// golden diff.
type pinned struct {
	states, transitions int64
	depth               int
}

func wantPinned(t *testing.T, res result, want pinned) {
	t.Helper()
	got := pinned{res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth}
	if got != want {
		t.Errorf("got %d states, %d transitions, depth %d; pinned %d, %d, %d",
			got.states, got.transitions, got.depth, want.states, want.transitions, want.depth)
	}
}
