package twogenerals_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/twogenerals"
)

type (
	world  = *model.World[twogenerals.State, twogenerals.Msg]
	result = explore.Result[world, model.Action]
)

// check model-checks the generals of p under cfg with every property.
func check(t *testing.T, p twogenerals.Params, cfg model.Config) (*model.Model[twogenerals.State, twogenerals.Msg], result) {
	t.Helper()
	proto, err := twogenerals.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(proto, cfg, proto.Workload(), twogenerals.Properties())
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v under %v: %v, %d states, %d transitions, depth %d, %v",
		p, cfg, res.Status, res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth, res.Stats.Elapsed)
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
	for _, w := range res.Sometimes {
		if !w.Reached {
			t.Errorf("sometimes property %s never reached", w.Property)
		}
	}
}

// wantViolated fails unless res violates prop, replays the counterexample
// by its labels, rechecks the property at its end and returns its labels.
func wantViolated(t *testing.T, m *model.Model[twogenerals.State, twogenerals.Msg], res result, prop string) []string {
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
	for _, p := range m.Properties() {
		if p.Name != prop {
			continue
		}
		again := explore.Recheck(p, path)
		if again == nil || again.Error() != v.Reason {
			t.Fatalf("replayed counterexample: %v, want %q", again, v.Reason)
		}
	}
	return labels
}

// pinned are the exact figures of a check.
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
