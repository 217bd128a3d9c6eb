// Package modeltest holds the checks every protocol's tests make of a
// checked system: explore it, replay each counterexample by its labels to
// the same violation, and assert on the verdict — the status of the
// result, every property violated and every "sometimes" property reached —
// never on the list of violations alone, which is empty when a sometimes
// property was never reached; and compare the exact figures of a search
// with pinned ones.
//
// The helpers take any explore.System that also lists its properties
// (System); a *model.Model is one. Their type arguments are inferred from
// the result.
package modeltest

import (
	"errors"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// Result is the outcome of exploring a model.
type Result[S, M any] = explore.Result[*model.World[S, M], model.Action]

// System is a checked system: an explore.System and the properties it is
// checked against (so that a counterexample can be re-evaluated where its
// replay ends). *model.Model is one.
type System[S, A any] interface {
	explore.System[S, A]
	Properties() []explore.Property[S, A]
}

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

// Replay replays v's path in sys by its labels and fails the test unless
// v's property fails again where it ends, with the same reason. It
// returns the labels.
func Replay[S, A any](t testing.TB, sys System[S, A], v explore.Violation[S, A]) []string {
	t.Helper()
	labels := Labels(v.Path)
	path, err := explore.ReplayLabels(sys, v.Path.InitIndex, labels)
	if err != nil {
		t.Fatalf("replaying the counterexample of %s: %v", v.Property, err)
	}
	found := false
	for _, p := range sys.Properties() {
		if p.Name != v.Property {
			continue
		}
		found = true
		again := explore.Recheck(sys, p, path)
		if errors.Is(again, explore.ErrNotQuiescent) {
			t.Fatalf("the replayed counterexample of %s ends in a state that is not quiescent", v.Property)
		}
		if again == nil {
			t.Fatalf("the replayed counterexample of %d steps satisfies %s", path.Len(), v.Property)
		}
		if again.Error() != v.Reason {
			t.Errorf("%s: the replay fails with %q, the check with %q", v.Property, again, v.Reason)
		}
	}
	if !found {
		t.Fatalf("%s is violated but is not a property of the system", v.Property)
	}
	return labels
}

// Labels returns the labels of path's steps.
func Labels[S, A any](path explore.Path[S, A]) []string {
	labels := make([]string, path.Len())
	for i, st := range path.Steps {
		labels[i] = st.Label
	}
	return labels
}

// Pinned are the exact figures of a search; a change is reviewed like a
// golden diff.
type Pinned struct {
	States, Transitions int64
	Depth               int
}

// WantPinned fails unless res's figures are want. A zero Transitions is
// not compared (for counts pinned without them).
func WantPinned[S, A any](t testing.TB, res explore.Result[S, A], want Pinned) {
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
