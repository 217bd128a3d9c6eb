package model_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
)

func check(t *testing.T, cfg model.Config, props ...spec.Property[pingState, pingMsg]) explore.Result[model.World[pingState, pingMsg], model.Action] {
	t.Helper()
	m, err := model.New[pingState, pingMsg](ping{n: 2}, cfg, pingWork(), props)
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1, MaxStates: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPingReliableIsOK(t *testing.T) {
	res := check(t, model.Config{}, gotPong, pongAtQuiescence)
	if res.Status != explore.Violated || res.Violation.Property != "answers-at-most-2" && res.Status != explore.OK {
		// fall through to the detailed message below
	}
	if res.Status != explore.OK {
		t.Fatalf("status %v: %+v", res.Status, res.Violation)
	}
	t.Logf("states %d transitions %d depth %d", res.Stats.States, res.Stats.Transitions, res.Stats.MaxDepth)
}

func TestPingDropBreaksNothingButRetriesMultiply(t *testing.T) {
	res := check(t, model.Config{Drops: 1}, gotPong, pongAtQuiescence, answersBounded)
	if res.Status != explore.Violated || res.Violation.Property != "answers-at-most-2" {
		t.Fatalf("status %v %+v", res.Status, res.Violation)
	}
	t.Logf("%s", res.Violation.Path)
}

func TestPingCrashStopLosesPong(t *testing.T) {
	res := check(t, model.Config{Crashes: 1, CrashMode: model.CrashStop}, gotPong, pongAtQuiescence)
	if res.Status != explore.OK {
		t.Fatalf("status %v: %+v", res.Status, res.Violation)
	}
	res = check(t, model.Config{Crashes: 1, CrashMode: model.CrashRecover}, gotPong, pongAtQuiescence, observedOnce)
	t.Logf("recover: %v %d states; %v", res.Status, res.Stats.States, res.Violation)
	if res.Violation != nil {
		t.Log(res.Violation.Path.String())
		if !strings.Contains(res.Violation.Reason, "") {
			t.Fail()
		}
	}
}
