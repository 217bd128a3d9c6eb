package detector_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/detector"
	"github.com/distsys/distsys/spec/spectest"
)

var (
	partialCrash = model.Config{PartialSync: true, Crashes: 1}
	partial      = model.Config{PartialSync: true}
	async        = model.Config{}
	asyncCrash   = model.Config{Crashes: 1}
)

// verdictRows: each row is one exhaustive search of the model (pinned),
// the properties of states and steps it violates (with the length of the
// shortest counterexample), the liveness properties a fair cycle violates
// (by the oracle), and the sometimes properties it must reach.
var verdictRows = []struct {
	name    string
	mutant  string
	cfg     model.Config
	safety  map[string]int
	live    []string
	reached []string
	want    pinned
}{
	// Reference: course 2.4, "an eventually perfect detector exists under
	// partial synchrony": after stabilisation a node is suspected iff it
	// has crashed.
	{"partial-sync+crash", "", partialCrash, nil, nil,
		[]string{detector.PropFalseSuspicion, detector.PropSuspicionWithdrawn, detector.PropCrashSuspected}, pinned{984, 2781, 15}},
	{"partial-sync", "", partial, nil, nil,
		[]string{detector.PropFalseSuspicion, detector.PropSuspicionWithdrawn}, pinned{200, 629, 13}},
	// Reference: course 2.4, "none exists under asynchrony": every timeout
	// may fire before the ack, round after round, so a correct node is
	// suspected again and again for ever. Completeness still holds.
	{"async", "", async, nil, []string{detector.PropEventualAccuracy},
		[]string{detector.PropFalseSuspicion, detector.PropSuspicionWithdrawn}, pinned{100, 361, 12}},
	{"async+crash", "", asyncCrash, nil, []string{detector.PropEventualAccuracy},
		[]string{detector.PropFalseSuspicion, detector.PropSuspicionWithdrawn, detector.PropCrashSuspected}, pinned{492, 1401, 14}},
	{"sticky-suspicion", "sticky-suspicion", partialCrash, nil, []string{detector.PropEventualAccuracy},
		[]string{detector.PropFalseSuspicion, detector.PropCrashSuspected}, pinned{328, 901, 8}},
	{"no-timeout", "no-timeout", partialCrash, nil, []string{detector.PropCompleteness},
		nil, pinned{82, 226, 6}},
	{"no-next-ping", "no-next-ping", partialCrash, map[string]int{detector.PropAccurateAfterGST: 7}, []string{detector.PropEventualAccuracy},
		[]string{detector.PropFalseSuspicion, detector.PropSuspicionWithdrawn, detector.PropCrashSuspected}, pinned{386, 954, 6}},
}

func TestVerdictsUnderEachTimingModel(t *testing.T) {
	t.Parallel()
	for _, row := range verdictRows {
		t.Run(row.name, func(t *testing.T) {
			p := detector.DefaultParams()
			p.Mutant = row.mutant
			m, res := check(t, p, row.cfg)
			wantVerdict(t, m, res, row.safety, row.reached...)
			if got := liveViolations(m); !slices.Equal(got, row.live) {
				t.Errorf("fair cycles violate %v, want %v", got, row.live)
			}
			wantPinned(t, res, row.want)
		})
	}
}

// Every mutant breaks the property it names (and is in verdictRows).
func TestMutantsAreCaught(t *testing.T) {
	for _, mu := range detector.Mutants {
		found := false
		for _, row := range verdictRows {
			if row.mutant != mu.Name {
				continue
			}
			found = true
			if _, ok := row.safety[mu.Breaks]; !ok && !slices.Contains(row.live, mu.Breaks) {
				t.Errorf("mutant %s: row does not break %s", mu.Name, mu.Breaks)
			}
		}
		if !found {
			t.Errorf("mutant %s has no verdict row", mu.Name)
		}
	}
}

func TestStepIsPure(t *testing.T) {
	t.Parallel()
	params := []detector.Params{{N: 2}, {N: 3}}
	for _, m := range detector.Mutants {
		params = append(params, detector.Params{N: 3, Mutant: m.Name})
	}
	for _, p := range params {
		proto, err := detector.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 40)
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, c := range []struct {
		p     detector.Params
		field string
	}{
		{detector.Params{N: 1}, "N = 1"},
		{detector.Params{N: detector.MaxNodes + 1}, "N = 4"},
		{detector.Params{N: 2, Mutant: "no-such"}, `Mutant = "no-such"`},
	} {
		if _, err := detector.New(c.p); err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", c.p, err, c.field)
		}
	}
}

func TestMutantsBreakKnownProperties(t *testing.T) {
	names := map[string]bool{}
	for _, p := range detector.Properties() {
		names[p.Name] = p.Kind != spec.Sometimes
	}
	for _, m := range detector.Mutants {
		if m.Doc == "" || !names[m.Breaks] {
			t.Errorf("mutant %+v: no doc, or breaks an unknown or sometimes property", m)
		}
	}
}

// steps feeds inputs to one node of the default detector.
func steps(t *testing.T, mutant string, me spec.NodeID, ins ...spec.Input[detector.Msg]) detector.State {
	t.Helper()
	proto, err := detector.New(detector.Params{N: 2, Mutant: mutant})
	if err != nil {
		t.Fatal(err)
	}
	s := proto.Init(me)
	for _, in := range ins {
		s, _ = proto.Step(s, in)
	}
	return s
}

var (
	start  = spec.Input[detector.Msg]{Kind: spec.Start}
	check1 = spec.Input[detector.Msg]{Kind: spec.Fire, Timer: 1}
	ack1   = spec.Input[detector.Msg]{Kind: spec.Receive, From: 1, Msg: detector.Msg{Ack: true}}
)

// Reference: course 2.4, Cx "a slow node is suspected": the timeout fires
// before the ack; the late ack withdraws the suspicion (and a sticky
// detector keeps it).
func TestLateAckWithdrawsSuspicion(t *testing.T) {
	s := steps(t, "", 0, start, check1)
	if !s.Suspects(1) {
		t.Fatal("a check without an ack does not suspect")
	}
	s = steps(t, "", 0, start, check1, ack1)
	if s.Suspects(1) || !s.Watch[1].Corrected {
		t.Errorf("after the late ack: %+v, want trusted and corrected", s.Watch[1])
	}
	if s = steps(t, "sticky-suspicion", 0, start, check1, ack1, check1); !s.Suspects(1) {
		t.Errorf("sticky-suspicion withdrew its suspicion: %+v", s.Watch[1])
	}
}

// A crashed peer never answers again: every check keeps it suspected, and
// the node keeps waiting without piling up pings.
func TestSilentPeerStaysSuspected(t *testing.T) {
	proto, _ := detector.New(detector.DefaultParams())
	s, _ := proto.Step(proto.Init(0), start)
	for i := range 3 {
		var outs []spec.Output[detector.Msg]
		s, outs = proto.Step(s, check1)
		if !s.Suspects(1) || len(outs) != 1 || outs[0].Kind != spec.SetTimer {
			t.Fatalf("check %d: %+v, outputs %v; want suspected, the timer armed again and no ping", i+1, s.Watch[1], outs)
		}
	}
}

func TestFormatState(t *testing.T) {
	proto, _ := detector.New(detector.Params{N: 3})
	s, _ := proto.Step(proto.Init(0), start)
	s, _ = proto.Step(s, spec.Input[detector.Msg]{Kind: spec.Fire, Timer: 2})
	s, _ = proto.Step(s, spec.Input[detector.Msg]{Kind: spec.Receive, From: 2, Msg: detector.Msg{Ack: true}})
	s, _ = proto.Step(s, check1)
	got := proto.FormatState(s)
	want := "suspects n1 (waiting); trusts n2 (acked, corrected a suspicion)"
	if got != want {
		t.Errorf("FormatState = %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%v %v %s", detector.Msg{}, detector.Msg{Ack: true}, proto.TimerName(2)); got != "Ping Ack check-n2" {
		t.Errorf("names: %q", got)
	}
}
