package model_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

// ticker is the smallest protocol with a starved node: node 0 ticks for
// ever (its timer fires and sets itself again, flipping a bit), node 1's
// timer fires once and sets done. A loop in which node 0 ticks and node 1
// never fires is fair only if timers owe nothing.
type ticker struct{}

type tickState struct {
	id          spec.NodeID
	phase, done bool
}

func (ticker) Nodes() int                        { return 2 }
func (ticker) Init(id spec.NodeID) tickState     { return tickState{id: id} }
func (ticker) Crash(s tickState) tickState       { return tickState{id: s.id} }
func (ticker) FormatState(s tickState) string    { return fmt.Sprintf("%+v", s) }
func (ticker) TimerName(spec.Timer) string       { return "tick" }
func (ticker) AppendMsg(b []byte, m byte) []byte { return append(b, m) }
func (ticker) FormatMsg(m byte) string           { return string(m) }
func (ticker) AppendState(b []byte, s tickState) []byte {
	return spec.AppendBool(spec.AppendBool(spec.AppendUint(b, uint64(s.id)), s.phase), s.done)
}

func (ticker) Step(s tickState, in spec.Input[byte]) (tickState, []spec.Output[byte]) {
	switch in.Kind {
	case spec.Start, spec.Recover:
		return s, []spec.Output[byte]{spec.SetTimerOut[byte](0)}
	case spec.Fire:
		if s.id == 0 {
			s.phase = !s.phase
			return s, []spec.Output[byte]{spec.SetTimerOut[byte](0)}
		}
		s.done = true
	}
	return s, nil
}

// eventuallyDone: node 1 is eventually done (or has crashed), under the
// fairness given.
func eventuallyDone(name string, f spec.Fairness) spec.Property[tickState, byte] {
	return spec.Property[tickState, byte]{Name: name, Kind: spec.Eventually, Fairness: f,
		State: func(v spec.View[tickState, byte]) error {
			if v.State(1).done || !v.Correct(1) {
				return nil
			}
			return errors.New("n1 is not done")
		}}
}

type (
	tickLoop   = model.LoopState[tickState, byte]
	tickResult = explore.Result[tickLoop, model.LoopAction]
	tickProps  = []explore.Property[tickLoop, model.LoopAction]
)

func checkLasso(t *testing.T, cfg model.Config, props ...spec.Property[tickState, byte]) (tickResult, tickProps, *model.Lasso[tickState, byte]) {
	t.Helper()
	m, err := model.New[tickState, byte](ticker{}, cfg, nil, props)
	if err != nil {
		t.Fatal(err)
	}
	l, err := model.NewLasso(m)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := l.Properties()
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(l, ps, explore.Options{Workers: 1, KeepGoing: true})
	if err != nil || l.Overflow() != nil {
		t.Fatal(err, l.Overflow())
	}
	return res, ps, l
}

// A loop that starves node 1 — node 0 ticks for ever while node 1's timer
// stays armed — is no counterexample when timers are fair, and is one
// when they are not: the same search, two fairness assumptions.
func TestStarvedNodeIsNoCounterexampleUnderTimerFairness(t *testing.T) {
	res, ps, l := checkLasso(t, model.Config{}, eventuallyDone("fair", spec.FairTimers), eventuallyDone("unfair", spec.FairDelivery))
	if res.Status != explore.Violated || len(res.Violations) != 1 || res.Violations[0].Property != "unfair" {
		t.Fatalf("status %v, violations %+v; want only the unfair property violated", res.Status, res.Violations)
	}
	v := res.Violations[0]
	// The shortest lasso: node 0 ticks, and the execution stops there —
	// fair when timers owe nothing (so is node 0 ticking for ever).
	var labels []string
	for _, st := range v.Path.Steps {
		labels = append(labels, st.Label)
	}
	want := []string{"fire n0 tick ⟲ loop begins"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("lasso %q, want %q", labels, want)
	}
	if !strings.Contains(v.Reason, "n1 is not done") || !strings.Contains(v.Reason, "fairly for deliveries") {
		t.Errorf("reason %q", v.Reason)
	}
	// Replayed by its edge ordinals, the lasso violates the property again.
	path, err := explore.Replay(l, v.Path.Chain())
	if err != nil {
		t.Fatal(err)
	}
	if err := explore.Recheck(l, ps[1], path); err == nil {
		t.Error("the replayed lasso does not violate the property")
	}
	if res.Stats.States != 10 || res.Stats.Transitions != 15 {
		t.Errorf("%d states, %d transitions; pinned 10, 15", res.Stats.States, res.Stats.Transitions)
	}
}

// Faults never make a loop (their budgets only grow): node 1 crashing
// is no counterexample of a goal that excuses a crashed node.
func TestCrashIsNoCounterexample(t *testing.T) {
	res, _, _ := checkLasso(t, model.Config{Crashes: 1}, eventuallyDone("fair", spec.FairTimers))
	if res.Status != explore.OK {
		t.Fatalf("status %v, violations %+v", res.Status, res.Violations)
	}
}

// leadsToDone: once node 0 has ticked into phase, node 1 is eventually
// done — under the fairness given.
func leadsToDone(name string, f spec.Fairness) spec.Property[tickState, byte] {
	p := eventuallyDone(name, f)
	p.Kind = spec.LeadsTo
	p.Trigger = func(v spec.View[tickState, byte]) bool { return v.State(0).phase }
	return p
}

// A leads-to property owes its goal only from its trigger on: the
// shortest lasso of the unfair one has node 0 tick into phase, where the
// execution stops; under timer fairness node 1's timer fires, and the
// goal comes.
func TestLeadsToOwesFromItsTrigger(t *testing.T) {
	res, _, _ := checkLasso(t, model.Config{}, leadsToDone("fair", spec.FairTimers), leadsToDone("unfair", spec.FairDelivery))
	if res.Status != explore.Violated || len(res.Violations) != 1 || res.Violations[0].Property != "unfair" {
		t.Fatalf("status %v, violations %+v; want only the unfair property violated", res.Status, res.Violations)
	}
	v := res.Violations[0]
	if v.Path.Len() != 1 || v.Path.Steps[0].Label != "fire n0 tick ⟲ loop begins" || !strings.Contains(v.Reason, "after the trigger") {
		t.Errorf("lasso of %d steps (%v), reason %q", v.Path.Len(), v.Path.Steps, v.Reason)
	}
	if res.Stats.States != 11 {
		t.Errorf("%d states, pinned 11", res.Stats.States)
	}
}

// flood sends 66 distinct messages from node 0 to node 1 at its start:
// more obligations than a loop keeps.
type flood struct{ ticker }

func (flood) Step(s tickState, in spec.Input[byte]) (tickState, []spec.Output[byte]) {
	var outs []spec.Output[byte]
	if in.Kind == spec.Start && s.id == 0 {
		for m := range 66 {
			outs = append(outs, spec.SendTo(1, byte(m)))
		}
	}
	return s, outs
}

// A world that owes more than 64 obligations cannot begin a loop: the
// lasso says so (Overflow), so that the check is not called exhaustive.
func TestTooManyObligationsIsNotExhaustive(t *testing.T) {
	never := spec.Property[tickState, byte]{Name: "never", Kind: spec.EventuallyAlways, Fairness: spec.FairDelivery,
		State: func(v spec.View[tickState, byte]) error {
			if v.State(1).done {
				return nil
			}
			return errors.New("n1 is not done")
		}}
	m, err := model.New[tickState, byte](flood{}, model.Config{Network: model.FIFO}, nil, []spec.Property[tickState, byte]{never})
	if err != nil {
		t.Fatal(err)
	}
	l, err := model.NewLasso(m)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := l.Properties()
	res, err := explore.Check(l, ps, explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if l.Overflow() == nil || !strings.Contains(l.Overflow().Error(), "65 fairness obligations") {
		t.Errorf("overflow %v", l.Overflow())
	}
	// After one delivery 65 are owed; once two are delivered a loop may
	// begin, and the property is violated when every message is
	// delivered and the execution stops.
	if res.Status != explore.Violated || res.Violation.Path.Len() != 66 {
		t.Errorf("status %v, %v", res.Status, res.Violation)
	}
}
