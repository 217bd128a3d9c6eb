// Package modeltest holds the checks every protocol's tests make of a
// model-checked protocol: explore it, replay each counterexample by its
// labels to the same violation, require the "sometimes" properties
// reached, and compare the exact figures of a search with pinned ones.
package modeltest

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// Result is the outcome of exploring a model.
type Result[S, M any] = explore.Result[*model.World[S, M], model.Action]

// Check composes proto under cfg with the workload and properties, and
// explores it with opts (2 workers unless set). It fails the test on a
// bad configuration and logs the figures.
func Check[S, M any](t testing.TB, proto spec.Protocol[S, M], cfg model.Config, work []spec.WorkItem[M], props []spec.Property[S, M], opts explore.Options) (*model.Model[S, M], Result[S, M]) {
	t.Helper()
	m, err := model.New(proto, cfg, work, props)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	res, err := explore.Check(m, m.Properties(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("under %v: %v, %d states, %d transitions, depth %d, %v",
		cfg, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed.Round(1e6))
	return m, res
}

// Replay replays v's path in m by its labels and fails the test unless
// v's property fails again where it ends, with the same reason. It
// returns the labels.
func Replay[S, M any](t testing.TB, m *model.Model[S, M], v explore.Violation[*model.World[S, M], model.Action]) []string {
	t.Helper()
	labels := make([]string, v.Path.Len())
	for i, st := range v.Path.Steps {
		labels[i] = st.Label
	}
	path, err := explore.ReplayLabels(m, v.Path.InitIndex, labels)
	if err != nil {
		t.Fatalf("replaying the counterexample of %s: %v", v.Property, err)
	}
	for _, p := range m.Properties() {
		if p.Name != v.Property {
			continue
		}
		again := explore.Recheck(p, path)
		if again == nil {
			t.Fatalf("the replayed counterexample of %d steps satisfies %s", path.Len(), v.Property)
		}
		if again.Error() != v.Reason {
			t.Errorf("%s: the replay fails with %q, the check with %q", v.Property, again, v.Reason)
		}
	}
	return labels
}

// Verdicts maps each violated property to the length of its shortest
// counterexample (every violation of a keep-going search, or the one
// violation of another), after replaying each with Replay. A sometimes
// property never reached has no path and is left out.
func Verdicts[S, M any](t testing.TB, m *model.Model[S, M], res Result[S, M]) map[string]int {
	t.Helper()
	vs := res.Violations
	if len(vs) == 0 && res.Violation != nil {
		vs = append(vs, *res.Violation)
	}
	out := map[string]int{}
	for _, v := range vs {
		if v.Kind == explore.Sometimes {
			continue
		}
		Replay(t, m, v)
		out[v.Property] = v.Path.Len()
	}
	return out
}

// WantViolated fails unless res is a violation of prop, replays its
// counterexample and returns its labels.
func WantViolated[S, M any](t testing.TB, m *model.Model[S, M], res Result[S, M], prop string) []string {
	t.Helper()
	v := res.Violation
	if res.Status != explore.Violated || v == nil || v.Property != prop {
		t.Fatalf("status %v, violation %+v; want %s violated", res.Status, v, prop)
	}
	t.Logf("%s: %s\n%s", v.Property, v.Reason, v.Path)
	return Replay(t, m, *v)
}

// WantOK fails unless res is OK with every sometimes property reached.
func WantOK[S, M any](t testing.TB, res Result[S, M]) {
	t.Helper()
	if res.Status != explore.OK {
		if v := res.Violation; v != nil {
			t.Fatalf("status %v: %s: %s\n%s", res.Status, v.Property, v.Reason, v.Path)
		}
		t.Fatalf("status %v (%s)", res.Status, res.Stopped)
	}
	WantReached(t, res)
}

// WantReached fails unless every sometimes property of res was reached
// (and there is at least one: without one, nothing shows the checked
// paths happen).
func WantReached[S, M any](t testing.TB, res Result[S, M]) {
	t.Helper()
	if len(res.Sometimes) == 0 {
		t.Error("no sometimes property: nothing shows the checked paths are reached")
	}
	for _, w := range res.Sometimes {
		if !w.Reached {
			t.Errorf("sometimes property %s never reached", w.Property)
		}
	}
}

// Pinned are the exact figures of a search; a change is reviewed like a
// golden diff.
type Pinned struct {
	States, Transitions int64
	Depth               int
}

// WantPinned fails unless res's figures are want. A zero Transitions is
// not compared (for counts pinned without them).
func WantPinned[S, M any](t testing.TB, res Result[S, M], want Pinned) {
	t.Helper()
	got := Pinned{res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth}
	if want.Transitions == 0 {
		got.Transitions = 0
	}
	if got != want {
		t.Errorf("got %d states, %d transitions, depth %d; pinned %d, %d, %d",
			got.States, got.Transitions, got.Depth, want.States, want.Transitions, want.Depth)
	}
}
