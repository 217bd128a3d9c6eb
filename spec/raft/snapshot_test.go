package raft_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/spec/spectest"
)

// Snapshots on (Raft paper, section 7): every property holds, across
// snapshots, in the exhausted space, and a follower installs a leader's
// snapshot (snapshot-installed reached). One candidate keeps the default
// set fast; two candidates, with -tags long.
func TestSnapshotsPinned(t *testing.T) {
	cases := []struct {
		name      string
		p         raft.Params
		cfg       model.Config
		states    int64
		unreached []string
		slow      bool
	}{
		{"1 candidate, term 2, 2 requests, snapshot every entry, fifo, 1 crash-recovery",
			raft.Params{N: 3, MaxTerm: 2, Candidates: 1, Requests: 2, SnapshotEvery: 1}, recovery, 49_819,
			[]string{raft.ReachLeaderReplaced}, false},
		{"2 candidates, term 2, 2 requests, snapshot every entry, fifo",
			raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 2, SnapshotEvery: 1}, fifo, 803_846,
			[]string{raft.ReachLeaderReplaced}, true},
		// The default bounds with a snapshot after every entry: every
		// sometimes property is reached, a snapshot installed included.
		{"default with snapshot every entry: 2 candidates, term 2, 1 request, fifo, 1 crash-recovery",
			raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 1, SnapshotEvery: 1}, recovery, 1_741_312, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.slow && !long {
				t.Skip("large: run with go test -tags long")
			}
			m, res := check(t, c.p, c.cfg, explore.Options{KeepGoing: true})
			modeltest.WantVerdict(t, m, res, nil, c.unreached...)
			if res.Stats.States != c.states {
				t.Errorf("%d states, want %d", res.Stats.States, c.states)
			}
		})
	}
}

// Each snapshot mutant is caught, breaking the property its Mutants entry
// names, under the settings its Shows gives.
func TestSnapshotMutantsAreCaught(t *testing.T) {
	cases := []struct {
		mutant string
		p      raft.Params
		cfg    model.Config
		opts   explore.Options
		breaks string
		steps  int
		slow   bool
	}{
		{"snapshot-uncommitted", raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 1, SnapshotEvery: 1}, fifo,
			explore.Options{}, raft.PropLeaderCompleteness, 7, false},
		{"snapshot-rollback", raft.Params{N: 3, MaxTerm: 1, Candidates: 1, Requests: 2, SnapshotEvery: 1}, unordered,
			explore.Options{}, raft.PropCommitMonotonic, 16, false},
		{"snapshot-keep-suffix", raft.Params{N: 3, MaxTerm: 2, Candidates: 2, Requests: 3, MaxBeats: 1, SnapshotEvery: 1}, unordered,
			explore.Options{Strategy: explore.Random, Seed: 6, MaxDepth: 30}, raft.PropLogTermsMonotonic, 30, false},
	}
	for _, c := range cases {
		t.Run(c.mutant, func(t *testing.T) {
			if c.slow && !long {
				t.Skip("seconds of random walks: run with go test -tags long")
			}
			p := c.p
			p.Mutant = c.mutant
			opts := c.opts
			opts.Workers = 1
			m, res := check(t, p, c.cfg, opts)
			if n := len(modeltest.WantViolated(t, m, res, c.breaks)); n != c.steps {
				t.Errorf("%s violated in %d steps, want %d", c.breaks, n, c.steps)
			}
		})
	}
}

// follower is node 1 of three with the given log (terms), commitLength
// and term, under p.
func follower(p raft.Params, term, commit int32, terms ...int32) (*raft.Protocol, raft.State) {
	proto, err := raft.New(p)
	if err != nil {
		panic(err)
	}
	s := proto.Init(1)
	s.Term, s.Commit = term, commit
	for i, t := range terms {
		s.Log = s.Log.Append(raft.Entry{Term: t, Val: int32(i + 1)})
	}
	return proto, s
}

// snapshotOf is the snapshot the leader holds of log entries es.
func snapshotOf(es ...raft.Entry) raft.Snapshot {
	s := raft.State{Log: raft.LogOf(es...), Commit: int32(len(es))}
	return raft.Snapshot{Index: int32(len(es)), Term: es[len(es)-1].Term, Digest: s.DigestAt(int32(len(es)))}
}

func install(p *raft.Protocol, s raft.State, snap raft.Snapshot, commit int32) (raft.State, []spec.Output[raft.Msg]) {
	m := raft.Msg{Kind: raft.InstallSnapshot, From: 0, Term: s.Term, PrefixLen: snap.Index, PrefixTer: snap.Term, Commit: commit, Snap: &snap}
	return p.Step(s, spec.Input[raft.Msg]{Kind: spec.Receive, From: 0, Msg: m})
}

func ack(t *testing.T, outs []spec.Output[raft.Msg]) raft.Msg {
	t.Helper()
	for _, o := range outs {
		if o.Kind == spec.Send && o.Msg.Kind == raft.LogResponse {
			return o.Msg
		}
	}
	t.Fatalf("no LogResponse in %v", outs)
	return raft.Msg{}
}

func installed(outs []spec.Output[raft.Msg]) bool {
	for _, o := range outs {
		if o.Kind == spec.Observe && o.Msg.Kind == raft.Installed {
			return true
		}
	}
	return false
}

// Reference: Raft paper, section 7, InstallSnapshot receiver rules 6 and
// 7: a follower whose entry at the snapshot's index has another term
// discards its whole log; one that holds that entry keeps what follows.
func TestFollowerInstallingASnapshotDiscardsAConflictingLogAndKeepsAConsistentSuffix(t *testing.T) {
	p := raft.Params{N: 3, MaxTerm: 3, Candidates: 3, SnapshotEvery: 1}
	snap := snapshotOf(raft.Entry{Term: 2, Val: 9})

	proto, s := follower(p, 2, 0, 1, 1) // [v1@t1 v2@t1]: index 1 has term 1, the snapshot's term 2
	s, outs := install(proto, s, snap, 1)
	if s.Log.Len() != 0 || s.Snap != snap || s.Commit != 1 || !installed(outs) {
		t.Errorf("conflicting log: %s, want the snapshot alone, commit 1, installed", proto.FormatState(s))
	}
	if a := ack(t, outs); !a.Granted || a.Ack != 1 {
		t.Errorf("acknowledges %s, want ack=1", proto.FormatMsg(a))
	}

	proto, s = follower(p, 2, 0, 2, 2) // [v1@t2 v2@t2]
	s.Log = raft.LogOf(raft.Entry{Term: 2, Val: 9}, raft.Entry{Term: 2, Val: 10})
	s, _ = install(proto, s, snap, 1)
	if s.Log.Len() != 1 || s.Log.At(0) != (raft.Entry{Term: 2, Val: 10}) || s.Len() != 2 || s.Commit != 1 {
		t.Errorf("consistent log: %s, want the snapshot then [v10@t2], commit 1", proto.FormatState(s))
	}

	p.Mutant = "snapshot-keep-suffix"
	proto, s = follower(p, 2, 0, 1, 1)
	s, _ = install(proto, s, snap, 1)
	if s.Log.Len() != 1 {
		t.Errorf("the mutant: %s, want the conflicting v2@t1 kept", proto.FormatState(s))
	}
}

// A snapshot the follower's commitLength already covers changes nothing
// (it would roll the commit back), and is acknowledged; the
// snapshot-rollback mutant installs it.
func TestStaleSnapshotDoesNotRollTheCommitBack(t *testing.T) {
	p := raft.Params{N: 3, MaxTerm: 3, Candidates: 3, SnapshotEvery: 4}
	snap := snapshotOf(raft.Entry{Term: 1, Val: 1})
	proto, s := follower(p, 1, 2, 1, 1, 1)
	after, outs := install(proto, s, snap, 1)
	if after.Commit != 2 || after.Log.Len() != 3 || after.Snap.Index != 0 || installed(outs) {
		t.Errorf("%s, want it unchanged (commit 2, three entries)", proto.FormatState(after))
	}
	if a := ack(t, outs); !a.Granted || a.Ack != 1 {
		t.Errorf("acknowledges %s, want ack=1", proto.FormatMsg(a))
	}
	p.Mutant = "snapshot-rollback"
	proto, s = follower(p, 1, 2, 1, 1, 1)
	after, _ = install(proto, s, snap, 1)
	if after.Commit != 1 {
		t.Errorf("the mutant: %s, want commit rolled back to 1", proto.FormatState(after))
	}
}

// A node compacts once SnapshotEvery committed entries are past its
// snapshot; a leader sends its snapshot to a follower whose sentLength is
// below it, and the follower, once installed, takes the rest by
// LogRequests. The digest of the whole log is the same whether computed
// from the snapshot or from the entries.
func TestLeaderSendsItsSnapshotToAFollowerBehindIt(t *testing.T) {
	rp := raft.RuntimeParams(3)
	rp.SnapshotEvery = 4
	p, err := raft.New(rp)
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, p: p, nodes: []raft.State{p.Init(0), p.Init(1), p.Init(2)}}
	c.step(0, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Election})
	c.deliver(0, 1, 0)
	c.deliver(1, 0, 0) // n0 leads term 1 with n1's vote; n2 hears nothing
	var all []raft.Entry
	for v := int32(1); v <= 10; v++ {
		c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: v}})
		all = append(all, raft.Entry{Term: 1, Val: v})
		for c.has(0, 1) {
			c.deliver(0, 1, 0)
		}
		for c.has(1, 0) {
			c.deliver(1, 0, 0)
		}
	}
	leader := c.nodes[0]
	if leader.Commit != 10 || leader.Snap.Index != 8 || leader.Log.Len() != 2 {
		t.Fatalf("leader %s, want commit 10, a snapshot of 8 entries and 2 after it", p.FormatState(leader))
	}
	if want := (raft.State{Log: raft.LogOf(all...)}).DigestAt(10); leader.DigestAt(10) != want {
		t.Errorf("digest through the snapshot %x, from the entries %x", leader.DigestAt(10), want)
	}
	c.sent, c.from = nil, nil // n2 lost every message so far
	c.step(0, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Heartbeat})
	// n2's sentLength is still 0, below the snapshot.
	if m := c.deliver(0, 2, 0); m.Kind != raft.InstallSnapshot {
		t.Fatalf("n0 sends n2 %s, want InstallSnapshot", p.FormatMsg(m))
	}
	c.deliver(2, 0, 0) // acknowledged: sentLength 8
	c.sent, c.from = nil, nil
	c.step(0, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Heartbeat})
	c.deliver(0, 2, 0) // the entries after the snapshot
	f := c.nodes[2]
	if f.Snap != leader.Snap || f.Len() != 10 || f.Commit != 10 || f.DigestAt(10) != leader.DigestAt(10) {
		t.Errorf("n2 %s, want the leader's snapshot and the two entries after it, committed", p.FormatState(f))
	}
}

// has reports whether a message from → to is waiting.
func (c *cluster) has(from, to int) bool {
	for i, o := range c.sent {
		if c.from[i] == from && int(o.To) == to {
			return true
		}
	}
	return false
}

// The persisted state stays bounded however long the history: 10,000
// requests on a three-node cluster with a snapshot every 100 entries
// leave each node's persisted log at most 100 entries, where without
// snapshots it holds all 10,000. A restarted node keeps its snapshot and
// the suffix after it (Crash).
func TestPersistedLogStaysBounded(t *testing.T) {
	for _, every := range []int{0, 100} {
		rp := raft.RuntimeParams(3)
		rp.SnapshotEvery = every
		p, err := raft.New(rp)
		if err != nil {
			t.Fatal(err)
		}
		c := &cluster{t: t, p: p, nodes: []raft.State{p.Init(0), p.Init(1), p.Init(2)}}
		c.step(0, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Election})
		c.deliver(0, 1, 0)
		c.deliver(1, 0, 0)
		longest := 0
		for v := int32(1); v <= 10_000; v++ {
			c.step(0, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: v}})
			for len(c.sent) > 0 {
				o := c.sent[0]
				c.deliver(c.from[0], int(o.To), 0)
			}
			for _, s := range c.nodes {
				longest = max(longest, p.Crash(s).Log.Len())
			}
		}
		for i, s := range c.nodes {
			if s.Len() != 10_000 {
				t.Errorf("snapshot every %d: n%d holds %d entries, want 10,000", every, i, s.Len())
			}
		}
		want := 10_000
		if every > 0 {
			want = every
		}
		if longest != want {
			t.Errorf("snapshot every %d: the longest persisted log held %d entries, want %d", every, longest, want)
		}
		r := p.Crash(c.nodes[1])
		if every > 0 && (r.Snap != c.nodes[1].Snap || r.Len() != 10_000) {
			t.Errorf("a restarted node has %s, want the snapshot and the suffix", p.FormatState(r))
		}
	}
}

// Step stays pure with snapshots on: compaction, InstallSnapshot and its
// installation change nothing they were given, and the encodings of the
// states and messages they make stay injective.
func TestStepIsPureWithSnapshots(t *testing.T) {
	p, err := raft.New(raft.Params{N: 3, MaxTerm: 3, Candidates: 3, Requests: 3, MaxBeats: 2, SnapshotEvery: 1})
	if err != nil {
		t.Fatal(err)
	}
	spectest.Pure(t, p, p.Workload(), 60)
}
