package traces_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/distsys/distsys/traces"
)

// sample is a two-node exchange: n0 starts and sends m1; n1 receives it and
// answers m2; the network drops a copy; n0 receives m2.
func sample() *traces.Trace {
	t := &traces.Trace{
		Format: traces.FormatName, Version: traces.Version,
		Protocol: "ping", Params: map[string]int{"n": 2, "tries": 1},
		Model: &traces.Model{Network: "unordered", CrashMode: "stop", Text: "network unordered, reliable"},
		Nodes: []string{"n0", "n1"},
		Events: []traces.Event{
			{ID: 0, Step: 0, Kind: traces.KindStart, Node: 0, Peer: -1, Cause: -1, Sends: []traces.Send{{To: 1, Message: "m1"}}, State: "sent"},
			{ID: 1, Step: 0, Kind: traces.KindStart, Node: 1, Peer: -1, Cause: -1, State: "idle"},
			{ID: 2, Step: 1, Action: "deliver n0→n1 m1", Kind: traces.KindReceive, Node: 1, Peer: 0, Message: "m1", Cause: 0, Sends: []traces.Send{{To: 0, Message: "m2"}}, State: "answered"},
			{ID: 3, Step: 2, Action: "duplicate n1→n0 m2", Edge: 1, Kind: traces.KindDuplicate, Node: 0, Peer: 1, Message: "m2", Cause: 2, Fault: true},
			{ID: 4, Step: 3, Action: "deliver n1→n0 m2", Kind: traces.KindReceive, Node: 0, Peer: 1, Message: "m2", Cause: 2, Observations: []string{"got m2"}, State: "done"},
		},
		Violation: &traces.Violation{Property: "p", Kind: "always", Reason: "because"},
	}
	t.Stamp()
	return t
}

func TestStampFollowsTheCourseClockRules(t *testing.T) {
	tr := sample()
	want := []struct {
		l int
		v []int
	}{{1, []int{1, 0}}, {1, []int{0, 1}}, {2, []int{1, 2}}, {0, nil}, {3, []int{2, 2}}}
	for i, w := range want {
		e := tr.Events[i]
		if e.Lamport != w.l || !cmp.Equal(e.Vector, w.v) {
			t.Errorf("event %d: L=%d V=%v, want L=%d V=%v", i, e.Lamport, e.Vector, w.l, w.v)
		}
	}
}

func TestWriteThenLoadIsIdentity(t *testing.T) {
	var b bytes.Buffer
	if err := traces.Write(&b, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := traces.Load(&b)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(sample(), got); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
}

func TestLoadNamesWhatIsWrong(t *testing.T) {
	var good bytes.Buffer
	traces.Write(&good, sample())
	edit := func(old, new string) string { return strings.Replace(good.String(), old, new, 1) }
	cases := map[string]struct{ in, want string }{
		"empty":         {"", "empty file"},
		"syntax":        {"{\n\"format\": \"distsys-trace\",\n\"version\" 1}", "line 3: malformed JSON"},
		"truncated":     {good.String()[:200], "truncated JSON"},
		"type":          {edit(`"version": 1`, `"version": "one"`), `field "version": want int`},
		"unknown field": {edit(`"protocol"`, `"protocl"`), `unknown field "protocl"`},
		"format":        {edit(`"distsys-trace"`, `"other"`), `field "format" is "other"`},
		"version":       {edit(`"version": 1`, `"version": 2`), `this build reads version 1`},
		"kind":          {edit(`"kind": "duplicate"`, `"kind": "teleport"`), `events[3]: field "kind": unknown kind "teleport"`},
		"node":          {edit(`"node": 1`, `"node": 7`), `events[1]: field "node" is 7`},
		"cause":         {edit(`"cause": 2`, `"cause": 9`), `events[3]: field "cause" is 9`},
		"id":            {edit(`"id": 4`, `"id": 5`), `events[4]: field "id" is 5, want 4`},
		"trailing":      {good.String() + "{}", "unexpected data after the trace"},
	}
	for name, c := range cases {
		_, err := traces.Load(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, c.want)
		}
	}
}

func TestTextRendering(t *testing.T) {
	var b strings.Builder
	if err := traces.WriteText(&b, sample()); err != nil {
		t.Fatal(err)
	}
	want := `ping n=2 tries=1
model: network unordered, reliable
  0. n0 starts → send m1 to n1
  1. deliver n0→n1 m1 → send m2 to n0
     n1: answered
  2. duplicate n1→n0 m2 [fault]
  3. deliver n1→n0 m2 → observe got m2
     n0: done
violated: p (always): because
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Fatalf("text (-want +got):\n%s", d)
	}
}
