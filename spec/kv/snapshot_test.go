package kv_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/spec/spectest"
)

// With a snapshot after every committed entry the store stays
// linearizable and exactly-once, and every sometimes property is reached
// (three nodes, one candidate up to term 1, no heartbeat, FIFO links;
// with a crash, two nodes and a heartbeat; three nodes in
// TestSnapshotsSurviveACrash, -tags long): the
// store a follower takes from an installed snapshot (reached where a
// third node can lag behind the two that commit), or rebuilds from its
// own snapshot after a crash, answers as the log would.
func TestSnapshotsKeepTheStoreLinearizable(t *testing.T) {
	crash := model.Config{Network: model.FIFO, Crashes: 1, CrashMode: model.CrashRecover}
	for _, c := range []struct {
		scenario string
		n        int
		cfg      model.Config
		states   int64
	}{
		{"basic", 3, fifo, 30_489},
		{"retry", 3, fifo, 27_745},
		{"basic", 2, crash, 13_590},
	} {
		p := scenario(c.scenario, "")
		p.Raft.N, p.Raft.SnapshotEvery, p.Raft.MaxBeats = c.n, 1, 0
		if c.cfg.Crashes > 0 {
			p.Raft.MaxBeats = 1
		}
		var extra []spec.Property[kv.State, kv.Msg]
		if c.n > 2 {
			extra = append(extra, installedSnapshot)
		}
		m, res := check(t, p, c.cfg, extra...)
		modeltest.WantVerdict(t, m, res, nil)
		if res.Stats.States != c.states {
			t.Errorf("%s on %d nodes under %v: %d states, want %d", c.scenario, c.n, c.cfg, res.Stats.States, c.states)
		}
	}
}

// installedSnapshot is reached when a follower installs a leader's
// snapshot, taking its store from it.
var installedSnapshot = spec.Property[kv.State, kv.Msg]{Name: "snapshot-installed", Kind: spec.Sometimes, Needs: spec.NeedsHistory,
	Reach: func(v spec.View[kv.State, kv.Msg]) bool {
		for _, e := range v.History() {
			if e.Obs.Raft.Kind == raft.Installed {
				return true
			}
		}
		return false
	}}

// A restarted node loads its snapshot, then applies the committed entries
// after it: its store is the one it had.
func TestRestartLoadsTheSnapshotThenTheSuffix(t *testing.T) {
	p := scenario("cas", "")
	p.Raft = raft.RuntimeParams(3)
	p.Raft.SnapshotEvery = 2
	proto, err := kv.New(p)
	if err != nil {
		t.Fatal(err)
	}
	s := proto.Init(0)
	s, _ = proto.Step(s, spec.Input[kv.Msg]{Kind: spec.Fire, Timer: raft.Election})
	for _, from := range []int8{1, 2} {
		s, _ = proto.Step(s, spec.Input[kv.Msg]{Kind: spec.Receive, From: spec.NodeID(from),
			Msg: kv.Msg{Raft: raft.Msg{Kind: raft.VoteResponse, From: from, Term: 1, Granted: true}}})
	}
	for id := int8(1); id <= 3; id++ {
		s, _ = proto.Step(s, spec.Input[kv.Msg]{Kind: spec.Request, Msg: kv.Msg{KV: kv.Request, ID: id}})
		s, _ = proto.Step(s, spec.Input[kv.Msg]{Kind: spec.Receive, From: 1,
			Msg: kv.Msg{Raft: raft.Msg{Kind: raft.LogResponse, From: 1, Term: 1, Granted: true, Ack: int32(id)}}})
	}
	if s.Raft.Commit != 3 || s.Raft.Snap.Index != 2 || s.Store[0] != 2 {
		t.Fatalf("%s, want 3 committed, a snapshot of 2, k0 = 2", proto.FormatState(s))
	}
	r, _ := proto.Step(proto.Crash(s), spec.Input[kv.Msg]{Kind: spec.Recover})
	if r.Store != s.Store || r.Applied != s.Applied || r.Results != s.Results {
		t.Errorf("restarted: %s applied %b results %v, want %s applied %b results %v",
			proto.FormatState(r), r.Applied, r.Results, proto.FormatState(s), s.Applied, s.Results)
	}
}

// Step stays pure with run-time commands and snapshots: applying a
// command copies the maps it changes, and the store's encodings, the
// Table's included, stay injective.
func TestStepIsPureWithCommandsAndSnapshots(t *testing.T) {
	p := scenario("basic", "")
	p.Raft = raft.Params{N: 3, MaxTerm: 2, Candidates: 2, MaxBeats: 2, SnapshotEvery: 2}
	proto, err := kv.New(p)
	if err != nil {
		t.Fatal(err)
	}
	var work []spec.WorkItem[kv.Msg]
	for i, c := range []kv.Command{
		{Client: 1, Seq: 1, Kind: kv.Put, Key: 5, A: 50},
		{Client: 2, Seq: 1, Kind: kv.Cas, Key: 5, A: 50, B: 60},
		{Client: 1, Seq: 2, Kind: kv.Get, Key: 5},
		{Client: 1, Seq: 2, Kind: kv.Get, Key: 5}, // a retry
	} {
		work = append(work, spec.WorkItem[kv.Msg]{Node: spec.NodeID(i % 3), Choices: []kv.Msg{{KV: kv.Request, Cmd: c.Encode()}}})
	}
	spectest.Pure(t, proto, append(work, proto.Workload()...), 60)
}
