package protocols_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/raft"
)

// measured wraps a node's store and keeps the largest persisted state it
// was asked to save: its Raft log's entries (past the snapshot) and its
// size as the DiskStore's codec writes it.
type measured struct {
	impl.Store[kv.State]
	mu      *sync.Mutex
	entries *int
	bytes   *int
}

func (m measured) Save(s kv.State) error {
	size := 0
	if s.Raft.Log.Len() <= 1000 { // beyond, encoding every state would cost more than the run
		data, err := json.Marshal(s)
		if err != nil {
			return err
		}
		size = len(data)
	}
	m.mu.Lock()
	*m.entries = max(*m.entries, s.Raft.Log.Len())
	*m.bytes = max(*m.bytes, size)
	m.mu.Unlock()
	return m.Store.Save(s)
}

// commandCluster starts the store on three nodes, with a snapshot every
// `every` entries, keeping state in stores (wrapped to be measured).
func commandCluster(t *testing.T, every int, stores func(spec.NodeID) (impl.Store[kv.State], error), record bool) (*impl.Cluster[kv.State, kv.Msg], *kv.Protocol, *int, *int) {
	t.Helper()
	rp := raft.RuntimeParams(3)
	rp.SnapshotEvery = every
	p, err := kv.New(kv.Params{Raft: rp, Scenario: "basic"})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu             sync.Mutex
		entries, bytes int
	)
	c, err := impl.Start(impl.Config[kv.State, kv.Msg]{
		Protocol: p, Seed: 1, Timers: protocols.RaftTimers, Record: record,
		Stores: func(n spec.NodeID) (impl.Store[kv.State], error) {
			s, err := stores(n)
			return measured{s, &mu, &entries, &bytes}, err
		},
		Replies: impl.Replies[kv.Msg]{
			Key: func(req kv.Msg) uint64 { c, _ := kv.DecodeCommand(req.Cmd); return c.ID() },
			Reply: func(_ spec.NodeID, obs kv.Msg) (uint64, bool) {
				c, ok := kv.DecodeCommand(obs.Cmd)
				return c.ID(), ok && obs.KV == kv.Replied
			},
			Leader: func(_ spec.NodeID, obs kv.Msg) (spec.NodeID, bool) {
				return spec.NodeID(obs.Raft.From), obs.Raft.Kind == raft.BecameLeader
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, p, &entries, &bytes
}

// do runs client's seq-th command and returns its result.
func do(t *testing.T, ctx context.Context, c *impl.Cluster[kv.State, kv.Msg], client int, cmd kv.Command) int32 {
	t.Helper()
	cmd.Client = uint32(client)
	r, _, err := c.Client(client).Retry(ctx, 0, kv.Msg{KV: kv.Request, Cmd: cmd.Encode()}, impl.RetryPolicy{PerTry: 300 * time.Millisecond})
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return r.Value
}

// 400 puts on the store with a snapshot every 25 entries (10,000 and 100
// with -tags long; put(k mod 8, k)): no node ever persists more log
// entries past its snapshot than that, and a persisted state stays under 12 KiB (as
// JSON, the DiskStore's codec), where without snapshots the log grows to
// every put and the last state past 30 bytes a put.
// The map and the dedup table are in the snapshot; reads see every put.
func TestKVSnapshotsBoundThePersistedStateOverALongRun(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of puts, twice")
	}
	puts, snap := int32(400), 25
	if longRuns {
		puts, snap = 10_000, 100
	}
	for _, every := range []int{0, snap} {
		mem := impl.MemStores[kv.State](3)
		c, _, entries, bytes := commandCluster(t, every, mem, false)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		for k := int32(1); k <= puts; k++ {
			do(t, ctx, c, 0, kv.Command{Seq: uint32(k), Kind: kv.Put, Key: k % 8, A: k})
		}
		for key := int32(0); key < 8; key++ {
			if v := do(t, ctx, c, 1, kv.Command{Seq: uint32(key + 1), Kind: kv.Get, Key: key}); v != puts-(puts-key)%8 {
				t.Errorf("snapshot every %d: get(%d) = %d", every, key, v)
			}
		}
		cancel()
		if _, err := c.Stop(); err != nil {
			t.Fatal(err)
		}
		for n := range 3 {
			st, _ := mem(spec.NodeID(n))
			s, _, _ := st.Load()
			data, _ := json.Marshal(s)
			*bytes = max(*bytes, len(data))
		}
		t.Logf("snapshot every %d: at most %d log entries and %d bytes persisted", every, *entries, *bytes)
		switch {
		case every > 0 && (*entries > every || *bytes > 12<<10):
			t.Errorf("snapshot every %d: a node persisted %d log entries, %d bytes; want at most %d entries and 12 KiB", every, *entries, *bytes, every)
		case every == 0 && (*entries < int(puts) || *bytes < int(puts)*30):
			t.Errorf("no snapshots: at most %d entries, %d bytes persisted; want the whole log", *entries, *bytes)
		}
	}
}

// A cluster restarted from its data directories answers from what it
// persisted: each node loads its snapshot, then applies the committed
// entries after it. Every node's run replays through Step, and the
// store's properties hold on it.
func TestKVRestartsFromItsSnapshotOnDisk(t *testing.T) {
	dir := t.TempDir()
	rp := raft.RuntimeParams(3)
	rp.SnapshotEvery = 16
	p0, err := kv.New(kv.Params{Raft: rp, Scenario: "basic"})
	if err != nil {
		t.Fatal(err)
	}
	disk := impl.DiskStores(dir, spec.Protocol[kv.State, kv.Msg](p0), impl.JSONCodec[kv.State]{}, t.Logf)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()

	start := time.Now()
	c, p, _, _ := commandCluster(t, 16, disk, true)
	for k := int32(1); k <= 200; k++ {
		do(t, ctx, c, 0, kv.Command{Seq: uint32(k), Kind: kv.Put, Key: k % 4, A: k})
	}
	first, err := c.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Replay(); err != nil {
		t.Fatal(err)
	}
	for _, v := range first.Check(kv.Properties(p)) {
		if v.Outcome == impl.Violated {
			t.Errorf("first run: %+v", v)
		}
	}
	last := map[spec.NodeID]kv.State{}
	for _, e := range first.Events {
		if e.Kind == impl.StepEvent {
			last[e.Node] = e.State
		}
	}
	for n, s := range last {
		if s.Raft.Snap.Index == 0 || s.Raft.Log.Len() > 16 {
			t.Errorf("n%d ended with %s, want a snapshot and at most 16 entries after it", n, p.FormatState(s))
		}
	}

	t.Logf("first run: 200 puts in %v", time.Since(start))
	c, _, _, _ = commandCluster(t, 16, disk, true)
	// Client 1 has sent nothing yet; client 0's next put is its 201st.
	if v := do(t, ctx, c, 1, kv.Command{Seq: 1, Kind: kv.Get, Key: 0}); v != 200 {
		t.Errorf("get(0) after the restart = %d, want 200", v)
	}
	if v := do(t, ctx, c, 1, kv.Command{Seq: 2, Kind: kv.Cas, Key: 3, A: 199, B: -1}); v != 1 {
		t.Errorf("cas(3, 199→-1) after the restart = %d, want 1 (swapped)", v)
	}
	// A retry of an operation applied before the restart is recognised
	// by the dedup table the snapshot kept: the put is not applied again.
	if v := do(t, ctx, c, 0, kv.Command{Seq: 200, Kind: kv.Put, Key: 0, A: 200}); v != 0 {
		t.Errorf("retried put answered %d", v)
	}
	if v := do(t, ctx, c, 1, kv.Command{Seq: 3, Kind: kv.Get, Key: 3}); v != -1 {
		t.Errorf("get(3) = %d, want -1", v)
	}
	second, err := c.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Replay(); err != nil {
		t.Fatal(err)
	}
	for _, e := range second.Events {
		if e.Kind == impl.StepEvent && e.Input.Kind == spec.Start && e.Loaded.Raft.Snap.Index == 0 {
			t.Errorf("n%d restarted without its snapshot: %s", e.Node, p.FormatState(e.State))
		}
	}
}
