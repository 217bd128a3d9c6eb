package raft_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// Pipelining and batching explored with every safety property: state
// counts pinned, and the sometimes properties reached where the
// configuration allows them.
func TestPipelineAndBatchPinned(t *testing.T) {
	noReplacement := []string{raft.ReachLeaderReplaced}
	pipe := func(p raft.Params, w int, batch bool) raft.Params { p.Pipeline, p.Batch = w, batch; return p }
	one := raft.Params{N: 3, MaxTerm: 1, Candidates: 1, Requests: 2, MaxBeats: 1}
	two := raft.Params{N: 2, MaxTerm: 2, Candidates: 2, Requests: 2, MaxBeats: 1}
	cases := []struct {
		name      string
		p         raft.Params
		cfg       model.Config
		states    int64
		unreached []string
		slow      bool
	}{
		{"pipeline 1, 3 nodes, term 1, 2 requests, 1 beat, unordered", pipe(one, 1, false), unordered, 506934, noReplacement, true},
		{"pipeline 1, batch, 3 nodes, term 1, 2 requests, 1 beat, fifo, 1 drop, 1 dup", pipe(one, 1, true), model.Config{Network: model.FIFO, Drops: 1, Dups: 1}, 1385023, noReplacement, true},
		{"pipeline 1, batch, 3 nodes, term 1, 2 requests, 1 beat, fifo", pipe(one, 1, true), fifo, 16996, noReplacement, false},
		{"pipeline 1, 2 nodes, 2 candidates, term 2, 2 requests, 1 beat, fifo, 1 crash-recovery", pipe(two, 1, false), recovery, 39628, nil, false},
		{"pipeline 2, batch, 2 nodes, 2 candidates, term 2, 2 requests, 1 beat, fifo, 1 crash-recovery", pipe(two, 2, true), recovery, 76814, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.slow && !long {
				t.Skip("large: run with go test -tags long")
			}
			m, res := check(t, c.p, c.cfg, explore.Options{KeepGoing: true})
			modeltest.WantVerdict(t, m, res, nil, withoutSnapshots(c.unreached)...)
			if res.Stats.States != c.states {
				t.Errorf("%d states, want %d", res.Stats.States, c.states)
			}
		})
	}
}

// A pipelining leader that takes an entry as acknowledged once it sends it
// commits the entry before any follower holds it; the other candidate,
// elected with the third node's vote, leads without it.
func TestPipelineAckOnSendIsCaught(t *testing.T) {
	p := raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 1, Pipeline: 2, Mutant: "pipeline-ack-on-send"}
	m, res := check(t, p, fifo, explore.Options{Workers: 1})
	if n := len(modeltest.WantViolated(t, m, res, raft.PropLeaderCompleteness)); n != 7 {
		t.Errorf("%s violated in %d steps, want %d", raft.PropLeaderCompleteness, n, 7)
	}
}

// The mutant needs pipelining: without it New refuses it.
func TestPipelineMutantNeedsPipelining(t *testing.T) {
	if _, err := raft.New(raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 1, Mutant: "pipeline-ack-on-send"}); err == nil {
		t.Fatal("pipeline-ack-on-send accepted with Pipeline 0")
	}
	if _, err := raft.New(raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Pipeline: -1}); err == nil {
		t.Fatal("Pipeline -1 accepted")
	}
}

// entriesSent feeds k client requests to a leader of term 1 whose
// followers acknowledged nothing (none answers), then fires Flush once
// when batching, and counts the entries its LogRequests carry and the
// LogRequests.
func entriesSent(t *testing.T, p raft.Params, k int) (entries, requests int) {
	t.Helper()
	proto, err := raft.New(p)
	if err != nil {
		t.Fatal(err)
	}
	s := proto.Init(0)
	s.Term, s.VotedFor, s.Role, s.Leader = 1, 0, raft.Leader, 0
	count := func(o []spec.Output[raft.Msg]) {
		for _, x := range o {
			if x.Kind == spec.Send && x.Msg.Kind == raft.LogRequest {
				entries += x.Msg.Suffix.Len()
				requests++
			}
		}
	}
	for v := 1; v <= k; v++ {
		var o []spec.Output[raft.Msg]
		s, o = proto.Step(s, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int32(v)}})
		count(o)
	}
	if p.Batch {
		_, o := proto.Step(s, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Flush})
		count(o)
	}
	return entries, requests
}

// k requests in flight cost the course's leader k(k+1)/2 entries per
// follower (each LogRequest carries the whole unacknowledged suffix); a
// pipelining leader sends each entry once, and with batching one
// LogRequest per follower carries them all.
func TestPipelineSendsEachEntryOnce(t *testing.T) {
	const k = 6
	base := raft.RuntimeParams(3)
	cases := []struct {
		name              string
		pipeline          int
		batch             bool
		entries, requests int
	}{
		{"course", 0, false, 2 * k * (k + 1) / 2, 2 * k},
		{"pipelined", 8, false, 2 * k, 2 * k},
		{"pipelined, window 4", 4, false, 2 * 4, 2 * 4},
		{"batching", 0, true, 2 * k, 2},
		{"pipelined and batching", 8, true, 2 * k, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base
			p.Pipeline, p.Batch = c.pipeline, c.batch
			entries, requests := entriesSent(t, p, k)
			if entries != c.entries || requests != c.requests {
				t.Errorf("%d entries in %d LogRequests, want %d in %d", entries, requests, c.entries, c.requests)
			}
		})
	}
}

// A follower that accepts a pipelined LogRequest past a gap in its log
// (the request before it lost) acknowledges entries it lacks: its log and
// the leader's share an entry of one term at one index and differ before
// it.
func TestPipelineAcceptGapIsCaught(t *testing.T) {
	p := raft.Params{N: 3, MaxTerm: 1, Candidates: 1, Requests: 2, MaxBeats: 1, Pipeline: 1, Mutant: "pipeline-accept-gap"}
	m, res := check(t, p, model.Config{Network: model.FIFO, Drops: 1}, explore.Options{Workers: 1})
	if n := len(modeltest.WantViolated(t, m, res, raft.PropLogMatching)); n != 11 {
		t.Errorf("%s violated in %d steps, want %d", raft.PropLogMatching, n, 11)
	}
}
