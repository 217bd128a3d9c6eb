package traces_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distsys/distsys/traces"
)

// richSample has every kind of event the diagrams draw, on three nodes:
// n0 starts by sending m1 to n1 and m2 to n2 and setting a timer; n1 is
// asked to go and sends m3 to n0 and m5 to n2; the network duplicates m1
// (n1 receives it twice), drops m2; n2 crashes; n0's timer fires and
// sends m4 to n2, never delivered; m5 is lost at the down n2; n2
// recovers; the system stabilises; n0 receives m3 and crashes half-way.
// n1's state holds characters that HTML and Mermaid treat specially.
func richSample() *traces.Trace {
	t := &traces.Trace{
		Format: traces.FormatName, Version: traces.Version,
		Protocol: "rich", Params: map[string]int{"n": 3}, Mutant: "oops",
		Model: &traces.Model{Network: "unordered", Dups: 1, Drops: 1, Crashes: 2, CrashMode: "recover", Text: "network unordered, drops ≤ 1, dups ≤ 1"},
		Nodes: []string{"n0", "n1", "n2"},
		Events: []traces.Event{
			{ID: 0, Kind: traces.KindStart, Node: 0, Peer: -1, Cause: -1, Sends: []traces.Send{{To: 1, Message: "m1"}, {To: 2, Message: "m2"}}, Timers: []string{"+tick"}, State: "s0"},
			{ID: 1, Kind: traces.KindStart, Node: 1, Peer: -1, Cause: -1, State: "idle"},
			{ID: 2, Kind: traces.KindStart, Node: 2, Peer: -1, Cause: -1, State: "idle"},
			{ID: 3, Step: 1, Action: "request n1 go", Kind: traces.KindRequest, Node: 1, Peer: -1, Message: "go", Cause: -1, Sends: []traces.Send{{To: 0, Message: "m3"}, {To: 2, Message: "m5"}}, Observations: []string{"went"}, State: "asked"},
			{ID: 4, Step: 2, Action: "duplicate n0→n1 m1", Kind: traces.KindDuplicate, Node: 1, Peer: 0, Message: "m1", Cause: 0, Fault: true},
			{ID: 5, Step: 3, Action: "deliver n0→n1 m1", Kind: traces.KindReceive, Node: 1, Peer: 0, Message: "m1", Cause: 0, State: "got <m1> & #1; more"},
			{ID: 6, Step: 4, Action: "deliver n0→n1 m1", Kind: traces.KindReceive, Node: 1, Peer: 0, Message: "m1", Cause: 0, State: "got <m1> & #1; more"},
			{ID: 7, Step: 5, Action: "drop n0→n2 m2", Kind: traces.KindDrop, Node: 2, Peer: 0, Message: "m2", Cause: 0, Fault: true},
			{ID: 8, Step: 6, Action: "crash n2", Kind: traces.KindCrash, Node: 2, Peer: -1, Cause: -1, Fault: true, State: "idle"},
			{ID: 9, Step: 7, Action: "fire n0 tick", Kind: traces.KindTimer, Node: 0, Peer: -1, Message: "tick", Cause: -1, Sends: []traces.Send{{To: 2, Message: "m4"}}, Timers: []string{"-tick"}, State: "ticked"},
			{ID: 10, Step: 8, Action: "deliver n1→n2 m5", Kind: traces.KindLost, Node: 2, Peer: 1, Message: "m5", Cause: 3},
			{ID: 11, Step: 9, Action: "recover n2", Kind: traces.KindRecover, Node: 2, Peer: -1, Cause: -1, State: "back"},
			{ID: 12, Step: 10, Action: "stabilize", Kind: traces.KindStabilize, Node: -1, Peer: -1, Cause: -1},
			{ID: 13, Step: 11, Action: "deliver n1→n0 m3 ✗ n0 crashes", Kind: traces.KindReceive, Node: 0, Peer: 1, Message: "m3", Cause: 3, Crashed: true, State: "done"},
		},
		Violation: &traces.Violation{Property: "p", Kind: "always", Reason: "a < b & c"},
	}
	t.Stamp()
	return t
}

func TestLayoutOfTheSampleIsExact(t *testing.T) {
	send := func(to int, m string) []traces.Send { return []traces.Send{{To: to, Message: m}} }
	want := &traces.Layout{
		Title: "ping n=2 tries=1",
		Model: "network unordered, reliable",
		Lanes: []traces.Lane{{Name: "n0"}, {Name: "n1"}},
		Rows: []traces.Row{
			{Step: 0, Marks: []int{0, 1}},
			{Step: 1, Action: "deliver n0→n1 m1", Marks: []int{2}},
			{Step: 2, Action: "duplicate n1→n0 m2", Fault: true, Marks: []int{3}},
			{Step: 3, Action: "deliver n1→n0 m2", Marks: []int{4}},
		},
		Marks: []traces.Mark{
			{Event: 0, Step: 0, Kind: "start", Lane: 0, Peer: -1, Label: "start", Sends: send(1, "m1"), State: "sent", Changed: true, Lamport: 1, Vector: []int{1, 0}},
			{Event: 1, Step: 0, Kind: "start", Lane: 1, Peer: -1, Label: "start", State: "idle", Changed: true, Lamport: 1, Vector: []int{0, 1}},
			{Event: 2, Step: 1, Kind: "receive", Lane: 1, Peer: 0, Label: "receive m1", Action: "deliver n0→n1 m1", Message: "m1", Sends: send(0, "m2"), State: "answered", Changed: true, Lamport: 2, Vector: []int{1, 2}},
			{Event: 3, Step: 2, Kind: "duplicate", Lane: 0, Peer: 1, OnLink: true, Label: "duplicate m2", Action: "duplicate n1→n0 m2", Message: "m2", Fault: true},
			{Event: 4, Step: 3, Kind: "receive", Lane: 0, Peer: 1, Label: "receive m2", Action: "deliver n1→n0 m2", Message: "m2", Observations: []string{"got m2"}, State: "done", Changed: true, Lamport: 3, Vector: []int{2, 2}, Violating: true},
		},
		Arrows: []traces.Arrow{
			{From: 0, To: 2, FromLane: 0, ToLane: 1, FromStep: 0, ToStep: 1, Message: "m1", Fate: traces.FateDelivered, Duplicated: -1},
			{From: 2, To: 4, FromLane: 1, ToLane: 0, FromStep: 1, ToStep: 3, Message: "m2", Fate: traces.FateDelivered, Duplicated: -1},
			// The network's copy of m2 is never delivered.
			{From: 2, To: -1, FromLane: 1, ToLane: 0, FromStep: 1, ToStep: 4, Message: "m2", Fate: traces.FateInFlight, Copy: true, Duplicated: 3},
		},
		Violation: &traces.Broken{Property: "p", Kind: "always", Reason: "because", Step: 3},
	}
	if d := cmp.Diff(want, sample().Layout()); d != "" {
		t.Fatalf("layout (-want +got):\n%s", d)
	}
}

// TestLayoutFollowsEveryMessage: each copy of each message becomes one
// arrow from its send to what ended it (delivery, duplicate delivery,
// drop, loss at a down node), or runs on to the end in flight; crashes
// and recoveries make the lanes' down spans.
func TestLayoutFollowsEveryMessage(t *testing.T) {
	l := richSample().Layout()
	want := []traces.Arrow{
		{From: 0, To: 5, FromLane: 0, ToLane: 1, FromStep: 0, ToStep: 3, Message: "m1", Fate: traces.FateDelivered, Duplicated: -1},
		{From: 0, To: 6, FromLane: 0, ToLane: 1, FromStep: 0, ToStep: 4, Message: "m1", Fate: traces.FateDelivered, Copy: true, Duplicated: 4},
		{From: 0, To: 7, FromLane: 0, ToLane: 2, FromStep: 0, ToStep: 5, Message: "m2", Fate: traces.FateDropped, Duplicated: -1},
		{From: 3, To: 10, FromLane: 1, ToLane: 2, FromStep: 1, ToStep: 8, Message: "m5", Fate: traces.FateLost, Duplicated: -1},
		{From: 3, To: 13, FromLane: 1, ToLane: 0, FromStep: 1, ToStep: 11, Message: "m3", Fate: traces.FateDelivered, Duplicated: -1},
		{From: 9, To: -1, FromLane: 0, ToLane: 2, FromStep: 7, ToStep: 12, Message: "m4", Fate: traces.FateInFlight, Duplicated: -1},
	}
	if d := cmp.Diff(want, l.Arrows); d != "" {
		t.Errorf("arrows (-want +got):\n%s", d)
	}
	wantLanes := []traces.Lane{
		{Name: "n0", Down: []traces.Span{{From: 11, To: 12}}}, // crashed mid-step, never back
		{Name: "n1"},
		{Name: "n2", Down: []traces.Span{{From: 6, To: 9}}},
	}
	if d := cmp.Diff(wantLanes, l.Lanes); d != "" {
		t.Errorf("lanes (-want +got):\n%s", d)
	}
	type placed struct {
		Kind                          string
		Lane, Peer                    int
		OnLink                        bool
		Label                         string
		Changed, Violating, HasClocks bool
	}
	var got []placed
	for _, m := range l.Marks {
		got = append(got, placed{m.Kind, m.Lane, m.Peer, m.OnLink, m.Label, m.Changed, m.Violating, m.Vector != nil})
	}
	wantMarks := []placed{
		{"start", 0, -1, false, "start", true, false, true},
		{"start", 1, -1, false, "start", true, false, true},
		{"start", 2, -1, false, "start", true, false, true},
		{"request", 1, -1, false, "request go", true, false, true},
		{"duplicate", 1, 0, true, "duplicate m1", false, false, false},
		{"receive", 1, 0, false, "receive m1", true, false, true},
		{"receive", 1, 0, false, "receive m1", false, false, true}, // the copy changes nothing
		{"drop", 2, 0, true, "drop m2", false, false, false},
		{"crash", 2, -1, false, "crash", false, false, true},
		{"timer", 0, -1, false, "timer tick", true, false, true},
		{"lost", 2, 1, false, "lost m5", false, false, false},
		{"recover", 2, -1, false, "recover", true, false, true},
		{"stabilize", -1, -1, false, "stabilize", false, false, false},
		{"receive", 0, 1, false, "receive m3", true, true, true},
	}
	if d := cmp.Diff(wantMarks, got); d != "" {
		t.Errorf("marks (-want +got):\n%s", d)
	}
	if v := l.Violation; v == nil || v.Step != 11 || len(l.Rows) != 12 {
		t.Errorf("violation %+v with %d rows, want it at step 11 of 0..11", v, len(l.Rows))
	}
}

// TestLayoutOfAnUnmatchedReceiveStillDrawsIt: a receive whose cause sent
// no such message (a hand-edited or runtime trace) gets an arrow from the
// cause with the received message.
func TestLayoutOfAnUnmatchedReceiveStillDrawsIt(t *testing.T) {
	tr := sample()
	tr.Events[4].Message = "m9"
	got := tr.Layout().Arrows[1]
	want := traces.Arrow{From: 2, To: 4, FromLane: 1, ToLane: 0, FromStep: 1, ToStep: 3, Message: "m9", Fate: traces.FateDelivered, Duplicated: -1}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
}
