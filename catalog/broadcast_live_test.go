package catalog_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
)

// Validity and agreement as the course states them (4.2: "if a correct
// node delivers m, every correct node eventually does"), checked as
// leads-to properties on fair lassos (-live 1): each row is one search
// that keeps going, with the shortest lasso of each violated liveness
// property (its length in steps), replayed to the same violation, and
// the pinned figures of the search.
func TestBroadcastLiveness(t *testing.T) {
	e, err := catalog.Lookup("broadcast")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flags    string
		violated map[string]int
		status   explore.Status
		states   int64
		trans    int64
		depth    int
	}{
		// Eager reliable broadcast keeps both, a sender crashing
		// half-way included: a node that has the message relays it.
		{"-algo eager -b0 1 -b1 0 -crashes 1 -crash-mid-step", map[string]int{}, explore.OK, 71, 120, 5},
		// Without relaying it is direct fan-out, and the classic: the
		// sender crashes after one send, one correct node has the
		// message and the other never gets it — the execution stops
		// there, fairly (nothing is left in flight).
		{"-algo eager -b0 1 -b1 0 -crashes 1 -crash-mid-step -mutant eager-no-relay", map[string]int{"eventual-agreement": 2}, explore.Violated, 43, 60, 4},
		{"-algo besteffort -b0 1 -b1 0 -crashes 1 -crash-mid-step", map[string]int{"eventual-agreement": 2}, explore.Violated, 43, 60, 4},
		// Best-effort broadcast never resends: a message lost is lost
		// for good, though the loss was the only fault (the other copy
		// is delivered, then nothing is owed).
		{"-algo besteffort -b0 1 -b1 0 -drops 1", map[string]int{"eventual-validity": 3, "eventual-agreement": 3}, explore.Violated, 20, 25, 3},
		// Fan-out resends on its timer, which fairness makes fire: one
		// loss is made good.
		{"-algo fanout -b0 1 -b1 0 -drops 1", map[string]int{}, explore.OK, 282, 527, 8},
	} {
		t.Run(c.flags, func(t *testing.T) {
			r, err := e.DefaultRun()
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Apply("-live 1 "+c.flags, &r); err != nil {
				t.Fatal(err)
			}
			r.Options.Workers, r.Options.KeepGoing = 1, true
			rep, err := e.Check(r)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status != c.status {
				t.Errorf("status %v, want %v", rep.Status, c.status)
			}
			got := map[string]int{}
			for _, v := range rep.Verdicts {
				if !v.Violated {
					continue
				}
				got[v.Property] = len(v.Trace.Steps())
				if v.Kind != "leads-to" {
					t.Errorf("%s: kind %s, want leads-to", v.Property, v.Kind)
				}
				if loopMarks(v.Trace.Steps()) != 1 {
					t.Errorf("%s: %d steps mark where the loop begins, want 1", v.Property, loopMarks(v.Trace.Steps()))
				}
				again, err := catalog.Replay(v.Trace)
				if err != nil || !again.Violated || again.Property != v.Property || again.Reason != v.Reason {
					t.Errorf("%s: the counterexample replays to %+v, %v", v.Property, again, err)
				}
			}
			if !maps.Equal(got, c.violated) {
				t.Errorf("violated %v, want %v", got, c.violated)
			}
			// Keeping going, a check on lassos evaluates every liveness
			// property, promised or not.
			for _, p := range []string{"eventual-validity", "eventual-agreement"} {
				if rep.Omits(p) {
					t.Errorf("%s left out: %+v", p, rep.Omitted)
				}
			}
			t.Logf("%s: %v, %d states, %d transitions, depth %d, %v", c.flags, rep.Status, rep.Stats.States, rep.Stats.Transitions, rep.Stats.MaxDepth, rep.Stats.Elapsed)
			if rep.Stats.States != c.states || rep.Stats.Transitions != c.trans || rep.Stats.MaxDepth != c.depth {
				t.Errorf("got %d states, %d transitions, depth %d; pinned %d, %d, %d",
					rep.Stats.States, rep.Stats.Transitions, rep.Stats.MaxDepth, c.states, c.trans, c.depth)
			}
		})
	}
}

// Every algorithm that promises validity (and agreement, from reliable
// broadcast up) keeps their liveness forms under the system model it
// assumes (broadcast.LevelOf): each node 0 and 1 broadcasts once (fan-out
// has only node 0 broadcast, its timers and acknowledgements multiply),
// and the check on lassos is OK — every property it chose holds and every
// good path is reached — with these pinned figures.
func TestBroadcastLivenessUnderAssumedModels(t *testing.T) {
	e, err := catalog.Lookup("broadcast")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flags  string
		states int64
		trans  int64
	}{
		{"-algo besteffort -b0 1 -b1 1", 258, 381},
		{"-algo fanout -b0 1 -b1 0 -drops 1", 282, 527},
		{"-algo eager -b0 1 -b1 1 -crashes 1 -crash-mid-step", 5004, 10687},
		{"-algo fifo -b0 1 -b1 1 -crashes 1 -crash-mid-step", 5004, 10687},
		{"-algo causal -b0 1 -b1 1 -crashes 1 -crash-mid-step", 4598, 9695},
		{"-algo sequencer -b0 1 -b1 1", 406, 664},
		{"-algo lamport -b0 1 -b1 1 -network fifo", 134977, 270681},
		{"-algo fifo-total -b0 1 -b1 1", 406, 664},
	} {
		t.Run(c.flags, func(t *testing.T) {
			r, err := e.DefaultRun()
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Apply("-live 1 "+c.flags, &r); err != nil {
				t.Fatal(err)
			}
			r.Options.Workers = 1
			rep, err := e.Check(r)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Status != explore.OK {
				t.Fatalf("%v: %s (%s) %s", rep.Status, rep.Property, rep.Kind, rep.Reason)
			}
			if !slices.Contains(rep.Evaluated, "eventual-validity") || rep.Omits("eventual-validity") {
				t.Errorf("eventual-validity not evaluated: %v", rep.Evaluated)
			}
			if rep.Stats.States != c.states || rep.Stats.Transitions != c.trans {
				t.Errorf("got %d states, %d transitions; pinned %d, %d", rep.Stats.States, rep.Stats.Transitions, c.states, c.trans)
			}
		})
	}
}
