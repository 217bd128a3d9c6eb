package model_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
)

type (
	world  = *model.World[pingState, pingMsg]
	result = explore.Result[world, model.Action]
)

func newModel(t *testing.T, cfg model.Config, props ...spec.Property[pingState, pingMsg]) *model.Model[pingState, pingMsg] {
	t.Helper()
	m, err := model.New[pingState, pingMsg](ping{n: 2}, cfg, pingWork(), props)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checked is a search and the model it explored.
type checked[S, M any] struct {
	m *model.Model[S, M]
	modeltest.Result[S, M]
}

func check(t *testing.T, cfg model.Config, props ...spec.Property[pingState, pingMsg]) checked[pingState, pingMsg] {
	t.Helper()
	m := newModel(t, cfg, props...)
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1, MaxStates: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return checked[pingState, pingMsg]{m, res}
}

func props() []spec.Property[pingState, pingMsg] {
	return []spec.Property[pingState, pingMsg]{gotPong, pongAtQuiescence}
}

// pinned checks the verdict and the state count of a configuration: OK
// with every sometimes property reached, or property violated first, its
// counterexample replayed by its labels to the same violation. A change
// of a count is reviewed like a golden diff.
func pinned[S, M any](t *testing.T, name string, res checked[S, M], status explore.Status, property string, states int64) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		t.Helper()
		switch status {
		case explore.OK:
			modeltest.WantOK(t, res.Result)
		default:
			modeltest.WantViolated(t, res.m, res.Result, property)
		}
		if res.Stats.States != states {
			t.Errorf("%d states, want %d", res.Stats.States, states)
		}
	})
}

func TestReliableNetworkDeliversThePong(t *testing.T) {
	res := check(t, model.Config{}, props()...)
	pinned(t, "reliable", res, explore.OK, "", 48)
	if !res.Sometimes[0].Reached || res.Sometimes[0].Path.Len() != 3 {
		t.Errorf("got-pong: %+v", res.Sometimes[0])
	}
}

func TestRetriesSurviveOneDropButNotThree(t *testing.T) {
	pinned(t, "drops 1", check(t, model.Config{Drops: 1}, props()...), explore.OK, "", 122)
	res := check(t, model.Config{Drops: 3}, props()...)
	pinned(t, "drops 3", res, explore.Violated, "pong-at-quiescence", 163)
	// Shortest: request, three timer firings (the last one gives up),
	// three drops.
	if n := res.Violation.Path.Len(); n != 7 {
		t.Errorf("drops 3: counterexample of %d steps:\n%s", n, res.Violation.Path)
	}
	for _, s := range res.Violation.Path.Steps {
		if s.Fault != strings.HasPrefix(s.Label, "drop") {
			t.Errorf("step %q: fault=%v", s.Label, s.Fault)
		}
	}
}

func TestCrashStopLosesThePongAndRecoveryDoesNot(t *testing.T) {
	res := check(t, model.Config{Crashes: 1}, props()...)
	pinned(t, "crash-stop", res, explore.Violated, "pong-at-quiescence", 211)
	last := res.Violation.Path.Steps[res.Violation.Path.Len()-1].Label
	if !strings.Contains(last, "lost: n1 is down") {
		t.Errorf("crash-stop: last step %q", last)
	}
	// Under crash-recovery n1 comes back; n0 may still use up its retries
	// while n1 is down.
	res = check(t, model.Config{Crashes: 1, CrashMode: model.CrashRecover}, props()...)
	pinned(t, "crash-recover", res, explore.Violated, "pong-at-quiescence", 686)
	if n := res.Violation.Path.Len(); n != 9 {
		t.Errorf("crash-recover: %d steps, want 9 (the pings are lost while n1 is down, then it recovers)", n)
	}
}

func TestDuplicatesAreFaultsAndMultiplyAnswers(t *testing.T) {
	// Three pings give at most three answers; a duplicated ping a fourth.
	pinned(t, "no dups", check(t, model.Config{}, append(props(), answersBounded)...), explore.OK, "", 48)
	res := check(t, model.Config{Dups: 1}, append(props(), answersBounded)...)
	pinned(t, "dups 1", res, explore.Violated, "answers-at-most-3", 227)
	dup := false
	for _, s := range res.Violation.Path.Steps {
		dup = dup || (s.Fault && strings.HasPrefix(s.Label, "duplicate"))
	}
	if !dup {
		t.Errorf("no duplication in the counterexample:\n%s", res.Violation.Path)
	}
}

func TestFIFONetworkHasFewerInterleavings(t *testing.T) {
	un := check(t, model.Config{Drops: 1}, props()...)
	fifo := check(t, model.Config{Drops: 1, Network: model.FIFO}, props()...)
	pinned(t, "fifo drops 1", fifo, explore.OK, "", 74)
	if fifo.Stats.States >= un.Stats.States {
		t.Errorf("fifo %d states, unordered %d", fifo.Stats.States, un.Stats.States)
	}
}

// Ghost clocks tell apart worlds the protocol cannot (which ping n1
// answered last), so the space grows: 231 worlds against 48.
func TestGhostStateIsKeptOnlyWhenAPropertyNeedsIt(t *testing.T) {
	if g := newModel(t, model.Config{}, props()...).Ghost(); g != "none" {
		t.Errorf("ghost %q without a property that needs it", g)
	}
	m := newModel(t, model.Config{}, observedOnce, gotPong)
	if g := m.Ghost(); g != "happens-before" {
		t.Errorf("ghost %q", g)
	}
	res, _ := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	pinned(t, "ghost", checked[pingState, pingMsg]{m, res}, explore.OK, "", 231)
	// Walk to the observation and read its clock. Every step is an event,
	// starts included: n0 starts ⟨1,0⟩ and sends the ping at ⟨2,0⟩; n1
	// starts ⟨0,1⟩ and receives it at ⟨2,2⟩; n0 receives the pong at ⟨3,2⟩.
	path, err := explore.ReplayLabels(m, 0, []string{"request n0 go", "deliver n0→n1 Ping0", "deliver n1→n0 Pong0"})
	if err != nil {
		t.Fatal(err)
	}
	pong := path.Last().History()
	if len(pong) != 1 || pong[0].Node != 0 || !pong[0].Clock.Equal(spec.VClock{3, 2}) {
		t.Errorf("history %+v", pong)
	}
}

func TestLabelsOfOneWorldAreDistinct(t *testing.T) {
	m := newModel(t, model.Config{Drops: 1, Dups: 1, Crashes: 1, CrashMode: model.CrashRecover})
	distinctLabels(t, m)
	// With ghost clocks, identical resent pings differ only in their clocks:
	// the labels must still tell them apart, or a trace replays wrongly.
	hb, err := model.New[pingState, pingMsg](ping{n: 2, same: true}, model.Config{Dups: 1}, pingWork(), []spec.Property[pingState, pingMsg]{observedOnce})
	if err != nil {
		t.Fatal(err)
	}
	if twins := distinctLabels(t, hb); twins == 0 {
		t.Fatal("no world with two pings told apart only by their clocks: the test does not test")
	}
}

// distinctLabels walks the space and fails if a world has two edges with
// one label; it returns how many labels needed a ghost clock to be told
// apart.
func distinctLabels(t *testing.T, m *model.Model[pingState, pingMsg]) (twins int) {
	t.Helper()
	seen := map[uint64]bool{}
	stack := m.Init()
	for len(stack) > 0 && len(seen) < 5000 {
		w := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[m.Fingerprint(w)] {
			continue
		}
		seen[m.Fingerprint(w)] = true
		labels := map[string]bool{}
		for _, e := range explore.Edges[world, model.Action](m, w, nil) {
			l := m.Label(w, e.Action)
			if labels[l] {
				t.Fatalf("label %q twice in one world", l)
			}
			labels[l] = true
			if strings.Contains(l, " sent at ⟨") {
				twins++
			}
			if e.Fault != e.Action.Fault() {
				t.Fatalf("%q: edge fault %v, action fault %v", l, e.Fault, e.Action.Fault())
			}
			stack = append(stack, e.State)
		}
	}
	return twins
}

func TestNewRejectsMalformedInput(t *testing.T) {
	bad := []struct {
		cfg   model.Config
		work  []spec.WorkItem[pingMsg]
		props []spec.Property[pingState, pingMsg]
		want  string
	}{
		{model.Config{Drops: -1}, nil, nil, "drops budget"},
		{model.Config{Crashes: 300}, nil, nil, "crashes budget"},
		{model.Config{}, []spec.WorkItem[pingMsg]{{Node: 5, Choices: []pingMsg{{kind: 'r'}}}}, nil, "node 5"},
		{model.Config{}, []spec.WorkItem[pingMsg]{{Node: 0}}, nil, "no choices"},
		{model.Config{}, nil, []spec.Property[pingState, pingMsg]{{Name: "x", Kind: spec.Always}}, "no check function"},
	}
	for _, b := range bad {
		_, err := model.New[pingState, pingMsg](ping{n: 2}, b.cfg, b.work, b.props)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: error %v, want %q", b.cfg, err, b.want)
		}
	}
}
