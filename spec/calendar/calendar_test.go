package calendar_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/calendar"
	"github.com/distsys/distsys/spec/spectest"
)

type world = *model.World[calendar.State, calendar.Msg]

func check(t *testing.T, p calendar.Params, cfg model.Config) (*model.Model[calendar.State, calendar.Msg], explore.Result[world, model.Action]) {
	t.Helper()
	proto, err := calendar.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, cfg, proto.Workload(), calendar.Properties(), explore.Options{Workers: 1, KeepGoing: true})
}

func params(lww calendar.Granularity, edits ...int) calendar.Params {
	p := calendar.DefaultParams()
	p.LWW = lww
	if len(edits) > 0 {
		p.Nodes = len(edits)
		p.Edits = [calendar.MaxNodes]int{}
		copy(p.Edits[:], edits)
	}
	return p
}

// Per-field LWW (the op-based LWW map) keeps every property: replicas
// that applied the same updates agree, all converge, and no acknowledged
// edit is lost, also when an update is delivered twice. Figures pinned.
func TestPerFieldLWWMapIsStronglyEventuallyConsistent(t *testing.T) {
	for _, c := range []struct {
		p    calendar.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{params(calendar.PerField), model.Config{}, modeltest.Pinned{States: 41, Transitions: 49, Depth: 4}},
		{params(calendar.PerField, 2, 1), model.Config{}, modeltest.Pinned{States: 233, Transitions: 369, Depth: 6}},
		{params(calendar.PerField, 1, 1, 1), model.Config{}, modeltest.Pinned{States: 3_225, Transitions: 8_479, Depth: 9}},
		{params(calendar.PerField), model.Config{Dups: 1}, modeltest.Pinned{States: 145, Transitions: 213, Depth: 6}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// The calendar anomaly (course 7.3): under last writer wins on the whole
// entry, n0 edits the title and n1 the time concurrently; n1's entry has
// the later timestamp and wins whole, so n0's acknowledged title is gone
// from both. The replicas still agree (sec and convergence hold).
func TestWholeEntryLWWLosesAConcurrentEditOfAnotherField(t *testing.T) {
	m, res := check(t, params(calendar.WholeEntry), model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{calendar.PropNoLostEdit: 4})
	modeltest.WantTrace(t, res, calendar.PropNoLostEdit,
		"request n0 edit title", "request n1 edit time",
		"deliver n1→n0 entry w1.1 title=- time=w1.1", "deliver n0→n1 entry w0.1 title=w0.1 time=-")
	modeltest.WantPinned(t, res, modeltest.Pinned{States: 41, Transitions: 49, Depth: 4})
}

// Without the node id breaking ties, two concurrent edits of the title
// carry the same counter; each replica keeps its own, so two replicas
// that applied the same two updates differ.
func TestTimestampsWithoutTiebreakDoNotCommute(t *testing.T) {
	p := params(calendar.PerField)
	p.Mutant = "no-tiebreak"
	m, res := check(t, p, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{calendar.PropSEC: 4, calendar.PropConvergence: 4, calendar.PropNoLostEdit: 4})
	modeltest.WantTrace(t, res, calendar.PropSEC,
		"request n0 edit title", "request n1 edit title", "deliver n1→n0 set title=w1.1", "deliver n0→n1 set title=w0.1")
}

// Non-unique timestamps (the counter alone), a tie replacing: each
// replica keeps the edit it got last, so the two that applied the same
// updates differ — and sec's verdict does not hang on which of the two
// edits a replica happens to keep.
func TestNonUniqueTimestampsDoNotCommute(t *testing.T) {
	p := params(calendar.PerField)
	p.Mutant = "replace-on-tie"
	m, res := check(t, p, model.Config{})
	modeltest.WantVerdict(t, m, res, map[string]int{calendar.PropSEC: 4, calendar.PropConvergence: 4, calendar.PropNoLostEdit: 4})
	modeltest.WantTrace(t, res, calendar.PropSEC,
		"request n0 edit title", "request n1 edit title", "deliver n1→n0 set title=w1.1", "deliver n0→n1 set title=w0.1")
}

// Any two deliveries commute (course 8.1), shown directly: from every
// state one update can leave, delivering any two updates in either order
// (and the second again) gives the same entry, under per-field LWW
// and under whole-entry LWW alike. Without the tie-break they do not.
func TestAnyTwoDeliveriesCommute(t *testing.T) {
	for _, g := range calendar.Granularities() {
		cases, bad := commuteFailures(t, g, "")
		if cases != 6*6*6 || bad != "" {
			t.Fatalf("%s: %d cases, want %d; %s", g, cases, 6*6*6, bad)
		}
		for _, mu := range calendar.Mutants {
			if _, bad := commuteFailures(t, g, mu.Name); bad == "" {
				t.Fatalf("%s, %s: every pair of deliveries commutes, want a pair that does not", g, mu.Name)
			}
		}
	}
}

// commuteFailures delivers every ordered pair of updates, in both orders,
// after every update, to node 2 and returns the number of cases and the
// first whose orders disagree ("" if none).
func commuteFailures(t *testing.T, g calendar.Granularity, mutant string) (int, string) {
	p := params(g, 2, 2, 2)
	p.Mutant = mutant
	proto, err := calendar.New(p)
	if err != nil {
		t.Fatal(err)
	}
	var updates []calendar.Msg
	for c := uint8(1); c <= 2; c++ {
		for n := range uint8(3) {
			// Timestamps are unique: one update per (counter, node).
			f := (c + n) % 2
			u := calendar.Msg{Kind: calendar.Update, Field: f, Stamp: calendar.Stamp{C: c, Node: n}, ID: uint8(calendar.EditID(spec.NodeID(n), int(c-1)))}
			u.Fields[f] = u.Stamp
			if g == calendar.WholeEntry {
				u.Fields[1-f] = calendar.Stamp{C: c - 1, Node: (n + 1) % 3}
			}
			updates = append(updates, u)
		}
	}
	deliver := func(s calendar.State, us ...calendar.Msg) calendar.State {
		for _, u := range us {
			s, _ = proto.Step(s, spec.Input[calendar.Msg]{Kind: spec.Receive, From: spec.NodeID(u.Stamp.Node), Msg: u})
		}
		return s
	}
	cases := 0
	for _, base := range updates {
		s := deliver(proto.Init(2), base)
		for _, a := range updates {
			for _, b := range updates {
				cases++
				ab := deliver(s, a, b)
				for _, other := range []calendar.State{deliver(s, b, a), deliver(s, a, b, b)} {
					if ab.Fields != other.Fields || ab.Entry != other.Entry || ab.Applied != other.Applied {
						return cases, fmt.Sprintf("after %v, %v then %v gives %s; the other order (or b again) %s", base.Stamp, a.Stamp, b.Stamp, proto.FormatState(ab), proto.FormatState(other))
					}
				}
			}
		}
	}
	return cases, ""
}

// Step is deterministic and never mutates its argument.
func TestStepIsPure(t *testing.T) {
	for _, g := range calendar.Granularities() {
		proto, err := calendar.New(params(g, 2, 2, 1))
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 20)
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for _, p := range []calendar.Params{
		{Nodes: 1, Fields: 2},
		{Nodes: 4, Fields: 2},
		{Nodes: 2, Fields: 0},
		{Nodes: 2, Fields: 2, Edits: [calendar.MaxNodes]int{3}},
		{Nodes: 2, Fields: 2, Edits: [calendar.MaxNodes]int{1, 1, 1}},
		{Nodes: 2, Fields: 2, Mutant: "nope"},
	} {
		if _, err := calendar.New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}
