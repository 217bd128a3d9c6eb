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

// fan is a three-node test protocol for choices and mid-step crashes: on a
// request node 0 delivers a value and either sends it to both others
// (broadcast) or, if picky, offers a choice of one peer to send it to; a
// receiver delivers it.
type fan struct{ picky bool }

type fanState struct {
	id        spec.NodeID
	delivered bool
	choosing  bool // picky: a peer is still to be chosen
}

// fanMsg kinds: 'v' the value, 'r' the request, 'd' delivered
// (observation), 'c' the choice of peer to.
type fanMsg struct {
	kind byte
	to   spec.NodeID
}

func (f fan) Nodes() int                          { return 3 }
func (f fan) Init(id spec.NodeID) fanState        { return fanState{id: id} }
func (f fan) Crash(s fanState) fanState           { return s }
func (f fan) TimerName(spec.Timer) string         { return "none" }
func (f fan) FormatState(s fanState) string       { return fmt.Sprintf("%+v", s) }
func (f fan) AppendMsg(b []byte, m fanMsg) []byte { return append(b, m.kind, byte(m.to)) }
func (f fan) FormatMsg(m fanMsg) string {
	if m.kind == 'c' {
		return fmt.Sprintf("send-to-n%d", m.to)
	}
	return string(m.kind)
}
func (f fan) AppendState(b []byte, s fanState) []byte {
	return append(b, byte(s.id), byte(spec.AppendBool(nil, s.delivered)[0]), byte(spec.AppendBool(nil, s.choosing)[0]))
}

func (f fan) Step(s fanState, in spec.Input[fanMsg]) (fanState, []spec.Output[fanMsg]) {
	deliver := spec.Emit(fanMsg{kind: 'd'})
	switch in.Kind {
	case spec.Request:
		s.delivered = true
		if f.picky {
			s.choosing = true
			return s, []spec.Output[fanMsg]{deliver}
		}
		return s, []spec.Output[fanMsg]{deliver, spec.SendTo(1, fanMsg{kind: 'v'}), spec.SendTo(2, fanMsg{kind: 'v'})}
	case spec.Choose:
		s.choosing = false
		return s, []spec.Output[fanMsg]{spec.SendTo(in.Msg.to, fanMsg{kind: 'v'})}
	case spec.Receive:
		if !s.delivered {
			s.delivered = true
			return s, []spec.Output[fanMsg]{deliver}
		}
	}
	return s, nil
}

// Choices offers the peers a picky node 0 may send to.
func (f fan) Choices(s fanState) []fanMsg {
	if !s.choosing {
		return nil
	}
	return []fanMsg{{kind: 'c', to: 1}, {kind: 'c', to: 2}}
}

var fanWork = []spec.WorkItem[fanMsg]{{Node: 0, Choices: []fanMsg{{kind: 'r'}}}}

// agreement: at quiescence, if one correct node delivered, all did.
var agreement = spec.Property[fanState, fanMsg]{
	Name: "agreement", Kind: spec.AtQuiescence,
	State: func(v spec.View[fanState, fanMsg]) error {
		var got, missing []string
		for i := range v.Nodes() {
			id := spec.NodeID(i)
			if !v.Correct(id) {
				continue
			}
			if v.State(id).delivered {
				got = append(got, fmt.Sprint("n", i))
			} else {
				missing = append(missing, fmt.Sprint("n", i))
			}
		}
		if len(got) > 0 && len(missing) > 0 {
			return errors.New(strings.Join(got, ",") + " delivered, " + strings.Join(missing, ",") + " never did")
		}
		return nil
	},
}

// peerDelivered: some peer of node 0 delivers the value (the path
// agreement speaks of happens).
var peerDelivered = spec.Property[fanState, fanMsg]{
	Name: "peer-delivered", Kind: spec.Sometimes,
	Reach: func(v spec.View[fanState, fanMsg]) bool { return v.State(1).delivered || v.State(2).delivered },
}

func checkFan(t *testing.T, f fan, cfg model.Config) checked[fanState, fanMsg] {
	t.Helper()
	m, err := model.New[fanState, fanMsg](f, cfg, fanWork, []spec.Property[fanState, fanMsg]{agreement, peerDelivered})
	if err != nil {
		t.Fatal(err)
	}
	res, err := explore.Check(m, m.Properties(), explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return checked[fanState, fanMsg]{m, res}
}

// A crash between two atomic steps cannot split a fan-out; a crash in the
// middle of the step can: the course's sender that crashes mid-fan-out.
func TestCrashMidStepSplitsAFanOut(t *testing.T) {
	res := checkFan(t, fan{}, model.Config{Crashes: 1})
	pinned(t, "crash between steps", res, explore.OK, "", 24)
	res = checkFan(t, fan{}, model.Config{Crashes: 1, CrashMidStep: true})
	pinned(t, "crash mid-step", res, explore.Violated, "agreement", 22)
	want := []string{"request n0 r ✗ n0 crashes after 1 send", "deliver n0→n1 v"}
	var got []string
	for _, s := range res.Violation.Path.Steps {
		got = append(got, s.Label)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("counterexample %q, want %q", got, want)
	}
	if !res.Violation.Path.Steps[0].Fault {
		t.Error("a step cut short by a crash is not marked as a fault")
	}
}

// The checker tries every choice a Chooser offers; choosing is an ordinary
// (non-fault) step, so a world with a choice pending is not quiescent.
func TestEveryChoiceIsTried(t *testing.T) {
	res := checkFan(t, fan{picky: true}, model.Config{})
	pinned(t, "picky", res, explore.Violated, "agreement", 6)
	labels := res.Violation.Path.String()
	if !strings.Contains(labels, "choose n0 send-to-n") {
		t.Errorf("counterexample without a choice:\n%s", labels)
	}
}

func TestFanStepIsPure(t *testing.T) {
	spectestPure(t, fan{picky: true})
}
