package atomiccommit_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/atomiccommit"
)

// checkLive checks the safety and liveness properties on fair lassos.
func checkLive(t *testing.T, p atomiccommit.Params, cfg model.Config) explore.Result[model.LoopState[atomiccommit.State, atomiccommit.Msg], model.LoopAction] {
	t.Helper()
	proto, err := atomiccommit.New(p)
	if err != nil {
		t.Fatal(err)
	}
	var props = atomiccommit.LiveProperties()
	for _, q := range atomiccommit.Properties() {
		if q.Name != atomiccommit.PropNoneInDoubt {
			props = append(props, q)
		}
	}
	m, err := model.New(proto, cfg, proto.Workload(), props)
	if err != nil {
		t.Fatal(err)
	}
	l, err := model.NewLasso(m)
	if err != nil {
		t.Fatal(err)
	}
	lp, err := l.Properties()
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(l, lp, explore.Options{Workers: 1, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "" || l.Overflow() != nil {
		t.Fatalf("stopped by %q, %v", res.Stopped, l.Overflow())
	}
	return res
}

// Without faults, on fair lassos (every message delivered, every armed
// timer fired, every vote cast), a prepared participant always decides,
// and with all yes votes the outcome is commit unless the coordinator's
// vote timeout fired first. Lasso figures pinned.
func TestWithoutFaultsEveryPreparedParticipantDecides(t *testing.T) {
	res := checkLive(t, atomiccommit.Params{Participants: 2, Queries: 1}, model.Config{})
	if res.Status != explore.OK {
		t.Fatalf("%v: %v", res.Status, res.Violations)
	}
	if got := [3]int64{res.Stats.States, res.Stats.Transitions, int64(res.Stats.MaxDepth)}; got != [3]int64{18_638, 40_695, 14} {
		t.Errorf("got %v states, transitions, depth; pinned 18,638, 40,695, 14", got)
	}
}

// The course's blocking, as liveness: the coordinator crashes for good
// after p1 voted yes; p1 is prepared and, fairly, stays so for ever: its
// one query goes to a coordinator that is gone, then it only waits.
func TestACoordinatorCrashLeavesAPreparedParticipantWaitingForEver(t *testing.T) {
	res := checkLive(t, atomiccommit.Params{Participants: 2, Queries: 1}, model.Config{Crashes: 1})
	got := map[string]int{}
	for _, v := range res.Violations {
		got[v.Property] = v.Path.Len()
	}
	if want := map[string]int{atomiccommit.PropPreparedDecides: 10, atomiccommit.PropAllYesCommits: 10}; len(got) != len(want) || got[atomiccommit.PropPreparedDecides] != 10 || got[atomiccommit.PropAllYesCommits] != 10 {
		t.Errorf("violations %v, want %v", got, want)
	}
	if got := [3]int64{res.Stats.States, res.Stats.Transitions, int64(res.Stats.MaxDepth)}; got != [3]int64{42_590, 93_530, 16} {
		t.Errorf("got %v states, transitions, depth; pinned 42,590, 93,530, 16", got)
	}
	modeltest.WantTrace(t, res, atomiccommit.PropPreparedDecides,
		"request n0 begin", "deliver n0→n1 Prepare", "deliver n0→n2 Prepare", "choose n1 VoteYes", "deliver n1→n0 VoteYes",
		"fire n1 decision-timeout", "deliver n1→n0 Query", "choose n2 VoteNo", "crash n0",
		"deliver n2→n0 VoteNo (lost: n0 is down) ⟲ loop begins")
}
