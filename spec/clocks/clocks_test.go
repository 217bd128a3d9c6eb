package clocks_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/clocks"
	"github.com/distsys/distsys/spec/spectest"
)

func mustNew(t *testing.T, p clocks.Params) *clocks.Protocol {
	t.Helper()
	proto, err := clocks.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return proto
}

func request(m clocks.Msg) spec.Input[clocks.Msg] {
	return spec.Input[clocks.Msg]{Kind: spec.Request, Msg: m}
}

func receive(from spec.NodeID, m clocks.Msg) spec.Input[clocks.Msg] {
	return spec.Input[clocks.Msg]{Kind: spec.Receive, From: from, Msg: m}
}

func vc(vs ...uint32) spec.VClock { return spec.VClock(vs) }

// observed returns the single observation among outs, failing otherwise.
func observed(t *testing.T, outs []spec.Output[clocks.Msg]) clocks.Msg {
	t.Helper()
	var obs []clocks.Msg
	for _, o := range outs {
		if o.Kind == spec.Observe {
			obs = append(obs, o.Msg)
		}
	}
	if len(obs) != 1 {
		t.Fatalf("%d observations in %v, want exactly 1", len(obs), outs)
	}
	return obs[0]
}

// TestStepFollowsTheCourseRules walks three nodes through local events,
// sends and receives by hand (reference: course 4.1) and checks every
// timestamp and output.
func TestStepFollowsTheCourseRules(t *testing.T) {
	p := mustNew(t, clocks.Params{N: 3, Events: 4})
	n0, n1, n2 := p.Init(0), p.Init(1), p.Init(2)

	n0, outs := p.Step(n0, request(clocks.Msg{Kind: clocks.DoLocal}))
	if got, want := p.FormatMsg(observed(t, outs)), "n0 local L=1 V=⟨1,0,0⟩"; got != want {
		t.Fatalf("n0 local: %q, want %q", got, want)
	}
	n0, outs = p.Step(n0, request(clocks.Msg{Kind: clocks.DoSend, Peer: 1}))
	if len(outs) != 2 || outs[0].Kind != spec.Send || outs[0].To != 1 {
		t.Fatalf("n0 send: outputs %v, want a send to n1 and an observation", outs)
	}
	toN1 := outs[0].Msg
	if got, want := p.FormatMsg(toN1), "L=2 V=⟨2,0,0⟩"; got != want {
		t.Fatalf("n0's message: %q, want %q", got, want)
	}
	if got, want := p.FormatMsg(observed(t, outs)), "n0 send→n1 L=2 V=⟨2,0,0⟩"; got != want {
		t.Fatalf("n0 send: %q, want %q", got, want)
	}

	for range 3 {
		n1, _ = p.Step(n1, request(clocks.Msg{Kind: clocks.DoLocal}))
	}
	// n1 is ahead in L (3 > 2): max(3, 2)+1 = 4; V = max(⟨0,3,0⟩, ⟨2,0,0⟩) then tick.
	n1, outs = p.Step(n1, receive(0, toN1))
	if got, want := p.FormatMsg(observed(t, outs)), "n1 receive←n0 L=4 V=⟨2,4,0⟩"; got != want {
		t.Fatalf("n1 receive: %q, want %q", got, want)
	}
	n1, outs = p.Step(n1, request(clocks.Msg{Kind: clocks.DoSend, Peer: 2}))
	toN2 := outs[0].Msg

	// n2 is behind (L=0): max(0, 5)+1 = 6, and it learns n0's entry through n1.
	n2, outs = p.Step(n2, receive(1, toN2))
	if got, want := p.FormatMsg(observed(t, outs)), "n2 receive←n1 L=6 V=⟨2,5,1⟩"; got != want {
		t.Fatalf("n2 receive: %q, want %q", got, want)
	}
	if got, want := p.FormatState(n2), "L=6 V=⟨2,5,1⟩"; got != want {
		t.Fatalf("n2's state: %q, want %q", got, want)
	}
	if got, want := p.FormatState(n0), "L=2 V=⟨2,0,0⟩"; got != want {
		t.Fatalf("n0's state: %q, want %q", got, want)
	}
}

// TestReceiveRuleOfEachMutant applies one receive, the stamp L'=5
// V'=⟨3,0,2⟩ arriving at n1 in state L=2 V=⟨0,2,0⟩, under each variant.
func TestReceiveRuleOfEachMutant(t *testing.T) {
	want := map[string]string{
		"":                       "L=6 V=⟨3,3,2⟩",
		"lamport-no-max":         "L=3 V=⟨3,3,2⟩",
		"receive-no-increment":   "L=5 V=⟨3,2,2⟩",
		"vector-overwrite":       "L=6 V=⟨3,1,2⟩",
		"lamport-local-no-tick":  "L=6 V=⟨3,3,2⟩",
		"vector-receive-no-tick": "L=6 V=⟨3,2,2⟩",
	}
	if len(want) != len(clocks.Mutants)+1 {
		t.Fatalf("table covers %d variants, want every mutant and the correct protocol", len(want))
	}
	for mutant, w := range want {
		p := mustNew(t, clocks.Params{N: 3, Events: 2, Mutant: mutant})
		s := clocks.State{ID: 1, L: 2, V: vc(0, 2, 0)}
		next, outs := p.Step(s, receive(0, clocks.Msg{Kind: clocks.Stamp, L: 5, V: vc(3, 0, 2)}))
		if got := p.FormatState(next); got != w {
			t.Errorf("mutant %q: %s, want %s", mutant, got, w)
		}
		if obs := observed(t, outs); obs.Kind != clocks.ReceiveEvent || obs.L != next.L || !obs.V.Equal(next.V) {
			t.Errorf("mutant %q: observed %s, want the receive at the new state", mutant, p.FormatMsg(obs))
		}
	}
}

// TestLocalEventOfLamportLocalNoTick checks that the mutant leaves L alone
// on a local event but still ticks the vector.
func TestLocalEventOfLamportLocalNoTick(t *testing.T) {
	p := mustNew(t, clocks.Params{N: 2, Events: 2, Mutant: "lamport-local-no-tick"})
	s, _ := p.Step(p.Init(0), request(clocks.Msg{Kind: clocks.DoLocal}))
	if got, want := p.FormatState(s), "L=0 V=⟨1,0⟩"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

func TestStepIsPure(t *testing.T) {
	p := mustNew(t, clocks.Params{N: 3, Events: 3})
	spectest.Pure[clocks.State, clocks.Msg](t, p, p.Workload(), 40)
}

// TestClocksSurviveACrash: the counters are persisted (course 2.3), so
// Crash keeps them and Recover changes nothing.
func TestClocksSurviveACrash(t *testing.T) {
	p := mustNew(t, clocks.Params{N: 2, Events: 1})
	s := clocks.State{ID: 1, L: 4, V: vc(2, 3)}
	c := p.Crash(s)
	if !bytes.Equal(p.AppendState(nil, c), p.AppendState(nil, s)) {
		t.Fatalf("Crash(%s) = %s, want it unchanged", p.FormatState(s), p.FormatState(c))
	}
	r, outs := p.Step(c, spec.Input[clocks.Msg]{Kind: spec.Recover})
	if len(outs) != 0 || !bytes.Equal(p.AppendState(nil, r), p.AppendState(nil, s)) {
		t.Fatalf("Recover gave %s and %v, want no change", p.FormatState(r), outs)
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, tc := range []struct {
		p     clocks.Params
		field string
	}{
		{clocks.Params{N: 1, Events: 2}, "N = 1"},
		{clocks.Params{N: 7, Events: 2}, "N = 7"},
		{clocks.Params{N: 2, Events: 0}, "Events = 0"},
		{clocks.Params{N: 2, Events: 9}, "Events = 9"},
		{clocks.Params{N: 2, Events: 2, Mutant: "no-such"}, `Mutant = "no-such"`},
	} {
		_, err := clocks.New(tc.p)
		if err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tc.p, err, tc.field)
		}
	}
	for _, m := range clocks.Mutants {
		if _, err := clocks.New(clocks.Params{N: 2, Events: 1, Mutant: m.Name}); err != nil {
			t.Errorf("mutant %s: %v", m.Name, err)
		}
	}
	if _, err := clocks.New(clocks.DefaultParams()); err != nil {
		t.Errorf("DefaultParams: %v", err)
	}
}

// TestWorkloadOffersLocalAndEverySend: each node gets Events items, each
// choosing a local event or a send to any other node.
func TestWorkloadOffersLocalAndEverySend(t *testing.T) {
	p := mustNew(t, clocks.Params{N: 3, Events: 2})
	work := p.Workload()
	if len(work) != 6 {
		t.Fatalf("%d work items, want 6", len(work))
	}
	for _, w := range work {
		var got []string
		for _, c := range w.Choices {
			got = append(got, p.FormatMsg(c))
		}
		want := map[spec.NodeID]string{0: "local send→n1 send→n2", 1: "local send→n0 send→n2", 2: "local send→n0 send→n1"}[w.Node]
		if strings.Join(got, " ") != want {
			t.Errorf("n%d choices %v, want %s", w.Node, got, want)
		}
	}
}

// TestEncodingSeparatesWhatDiffers checks that messages and states that
// differ in one field encode differently.
func TestEncodingSeparatesWhatDiffers(t *testing.T) {
	p := mustNew(t, clocks.Params{N: 2, Events: 1})
	msgs := []clocks.Msg{
		{Kind: clocks.DoLocal},
		{Kind: clocks.DoSend, Peer: 1},
		{Kind: clocks.Stamp, L: 1, V: vc(1, 0)},
		{Kind: clocks.Stamp, L: 1, V: vc(0, 1)},
		{Kind: clocks.SendEvent, Node: 0, Peer: 1, L: 1, V: vc(1, 0)},
		{Kind: clocks.ReceiveEvent, Node: 1, Peer: 0, L: 2, V: vc(1, 1)},
		{Kind: clocks.LocalEvent, Node: 1, L: 2, V: vc(1, 1)},
	}
	seen := map[string]int{}
	for i, m := range msgs {
		k := string(p.AppendMsg(nil, m))
		if j, ok := seen[k]; ok {
			t.Errorf("%s and %s encode alike", p.FormatMsg(msgs[j]), p.FormatMsg(m))
		}
		seen[k] = i
	}
	a := p.AppendState(nil, clocks.State{ID: 0, L: 1, V: vc(1, 0)})
	b := p.AppendState(nil, clocks.State{ID: 0, L: 2, V: vc(1, 0)})
	if bytes.Equal(a, b) {
		t.Error("states differing in L encode alike")
	}
}
