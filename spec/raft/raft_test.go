package raft_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/spec/spectest"
)

type result = explore.Result[*model.World[raft.State, raft.Msg], model.Action]

var (
	fifo      = model.Config{Network: model.FIFO}
	recovery  = model.Config{Network: model.FIFO, Crashes: 1, CrashMode: model.CrashRecover}
	unordered = model.Config{}
)

// check explores p under cfg with every property, keeping going after a
// violation if opts says so, and replays every counterexample by its
// labels to the same violation.
func check(t *testing.T, p raft.Params, cfg model.Config, opts explore.Options) result {
	t.Helper()
	proto, err := raft.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m, res := modeltest.Check(t, proto, cfg, proto.Workload(), raft.Properties(), opts)
	modeltest.Verdicts(t, m, res)
	return res
}

func TestStepIsPure(t *testing.T) {
	p, _ := raft.New(raft.Params{N: 3, MaxTerm: 3, Candidates: 3, Requests: 2, MaxBeats: 1})
	spectest.Pure(t, p, p.Workload(), 40)
}

// Pinned exhaustive explorations of the correct protocol: no safety
// property is violated, with the distinct states each bound gives (three
// nodes; a change of count is reviewed like a golden diff).
func TestPinnedBounds(t *testing.T) {
	cases := []struct {
		name   string
		p      raft.Params
		cfg    model.Config
		states int64
		slow   bool
	}{
		{"1 candidate, term 2, 1 request, unordered", raft.Params{N: 3, MaxTerm: 2, Candidates: 1, Requests: 1}, unordered, 34766, false},
		{"2 candidates, term 2, 1 request, fifo", raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 1}, fifo, 104441, false},
		{"2 candidates, term 2, no request, unordered", raft.Params{N: 3, MaxTerm: 2, Candidates: 2}, unordered, 370331, true},
		{"2 candidates, term 2, 1 request, fifo, 1 drop", raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 1}, model.Config{Network: model.FIFO, Drops: 1}, 502726, true},
		{"default: 2 candidates, term 2, 1 request, fifo, 1 crash-recovery", raft.DefaultParams(), recovery, 1741260, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.slow && !long {
				t.Skip("large: run with go test -tags long")
			}
			res := check(t, c.p, c.cfg, explore.Options{KeepGoing: true})
			if len(res.Violations) > 0 || res.Stopped != "" {
				t.Fatalf("%d violations (first %s: %s), stopped %q", len(res.Violations), res.Violations[0].Property, res.Violations[0].Reason, res.Stopped)
			}
			if res.Stats.States != c.states {
				t.Errorf("%d states, want %d", res.Stats.States, c.states)
			}
			if c.cfg == recovery {
				// With a crash, every sometimes property is reached: a
				// leader is elected, an entry is committed on every node,
				// a crashed leader is replaced.
				for _, w := range res.Sometimes {
					if !w.Reached {
						t.Errorf("%s never reached", w.Property)
					}
				}
			}
		})
	}
}

// Each mutant of course 6.2's list is caught, breaking the named property,
// by a breadth-first search (shortest counterexample) on three nodes; the
// Figure 8 bug is too deep for that and is found by seeded random
// simulation.
func TestMutantsAreCaught(t *testing.T) {
	cases := []struct {
		mutant string
		p      raft.Params
		cfg    model.Config
		opts   explore.Options
		breaks string
		steps  int
	}{
		{"floor-half-quorum", raft.DefaultParams(), recovery, explore.Options{}, raft.PropElectionSafety, 2},
		{"volatile-vote", raft.DefaultParams(), recovery, explore.Options{}, raft.PropOneVote, 5},
		{"vote-without-logok", raft.DefaultParams(), recovery, explore.Options{}, raft.PropLeaderCompleteness, 10},
		{"no-ack-guard", raft.DefaultParams(), model.Config{Network: model.FIFO, Dups: 1}, explore.Options{}, raft.PropAckMonotonic, 10},
		{"no-term-check", raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 2, MaxBeats: 1}, fifo, explore.Options{}, raft.PropStateMachine, 13},
		{"commit-any-term", raft.Params{N: 3, MaxTerm: 4, Candidates: 2, Requests: 3, MaxBeats: 1}, fifo,
			explore.Options{Strategy: explore.Random, Seed: 1, MaxDepth: 60}, raft.PropLeaderCompleteness, 58},
		{"unbounded-hint", raft.Params{N: 3, MaxTerm: 3, Candidates: 3, Requests: 3, MaxBeats: 1}, unordered,
			explore.Options{Strategy: explore.Random, Seed: 1, MaxDepth: 50}, raft.PropSentBacksOff, 26},
	}
	for _, c := range cases {
		t.Run(c.mutant, func(t *testing.T) {
			p := c.p
			p.Mutant = c.mutant
			opts := c.opts
			opts.Workers = 1
			res := check(t, p, c.cfg, opts)
			v := res.Violation
			if res.Status != explore.Violated || v.Property != c.breaks || v.Path.Len() != c.steps {
				t.Fatalf("%v %+v, want %s violated in %d steps", res.Status, v, c.breaks, c.steps)
			}
		})
	}
}

// Without persisting votedFor, a node votes twice in one term — and two
// leaders of one term follow: the election-safety counterexample the
// course names, found by keeping going after the first violation.
func TestVolatileVoteMakesTwoLeaders(t *testing.T) {
	p := raft.DefaultParams()
	p.Mutant, p.Requests = "volatile-vote", 0
	res := check(t, p, recovery, explore.Options{KeepGoing: true, MaxStates: 200_000})
	got := map[string]int{}
	for _, v := range res.Violations {
		got[v.Property] = v.Path.Len()
	}
	if got[raft.PropOneVote] != 5 || got[raft.PropElectionSafety] != 8 {
		t.Fatalf("violations %v", got)
	}
}

// long is set by long_test.go when the tests are built with -tags long.
var long bool
