package impl_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// runJournalled runs one incarnation of the echo protocol on two nodes,
// both local, each step journalled to path and the state kept in dir, and
// sends one request through node 1.
//
// With marked, each save is marked in the journal (JournalStore) and the
// cluster commits in groups (Config.GroupCommit).
func runJournalled(t *testing.T, dir, path string, delta int, marked bool) {
	t.Helper()
	p := echo{2}
	j, err := impl.OpenJournal(path, p, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	stores := impl.DiskStores(dir, p, impl.JSONCodec[echoState]{}, nil)
	if marked {
		disk := stores
		stores = func(node spec.NodeID) (impl.Store[echoState], error) {
			st, err := disk(node)
			if err != nil {
				return nil, err
			}
			return impl.JournalStore(st, j, node), nil
		}
	}
	c, err := impl.Start(impl.Config[echoState, echoMsg]{
		Protocol: p, Replies: echoReplies, OnEvent: j.Record, Stores: stores, GroupCommit: marked,
		Timers: map[string]impl.TimerSpec{"retry": {Base: 2 * time.Second}}, // slower than any reply: each add once
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Client(0).Call(ctx, 1, echoMsg{Kind: "add", Delta: delta, Node: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := j.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestJournalReplaysAcrossIncarnations: two incarnations, the second
// recovering from the first's store, replay through Step; a torn last
// line is skipped; a changed output is caught.
func TestJournalReplaysAcrossIncarnations(t *testing.T) {
	for _, marked := range []bool{false, true} {
		t.Run(fmt.Sprintf("marked=%v", marked), func(t *testing.T) { testJournalReplays(t, marked) })
	}
}

func testJournalReplays(t *testing.T, marked bool) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	runJournalled(t, dir, path, 2, marked)
	// A kill in the middle of a line.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(`{"seq":99,"input":{"Kin`))
	f.Close()
	runJournalled(t, dir, path, 3, marked)
	p := echo{2}
	rep, err := impl.ReplayJournal(path, p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Incarnations != 2 || rep.Torn != 1 || rep.Steps < 10 || marked != (rep.Saves > 0) {
		t.Fatalf("report %+v: want 2 incarnations, 1 torn line, at least 10 steps, saves marked: %v", rep, marked)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The server's reply total 5 after 2+3 is in the journal; say 6 instead.
	bad := bytes.Replace(data, []byte(`"Total":5`), []byte(`"Total":6`), 1)
	if bytes.Equal(bad, data) {
		t.Fatal("the journal holds no total of 5")
	}
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := impl.ReplayJournal(path, p); err == nil || !strings.Contains(err.Error(), "the replayed outputs hash to") {
		t.Fatalf("a changed output replayed: %v", err)
	}
}

// TestJournalCatchesAStoreThatLostState: a second incarnation whose store
// gives back a state the first never reached is caught.
func TestJournalCatchesAStoreThatLostState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	runJournalled(t, dir, path, 2, true)
	runJournalled(t, dir, path, 3, true)
	// Let the second incarnation claim to have loaded a total of 7.
	data, _ := os.ReadFile(path)
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, `"loaded"`) && strings.Contains(l, `"ID":0`) {
			l = strings.Replace(l, `"Total":2`, `"Total":7`, 1)
		}
		out = append(out, l)
	}
	os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644)
	_, err := impl.ReplayJournal(path, echo{2})
	if err == nil || !strings.Contains(err.Error(), "no state it reached since its last save") {
		t.Fatalf("a store that gave back a state never reached passed: %v", err)
	}
}

// TestGroupCommitReplaysAndRecovers: with Config.GroupCommit, requests
// through every node, the server crashed and restarted between them, the
// run still replays through Step and each restart loads what Crash kept.
func TestGroupCommitReplaysAndRecovers(t *testing.T) {
	c := startEcho(t, 3, impl.Config[echoState, echoMsg]{GroupCommit: true,
		Timers: map[string]impl.TimerSpec{"retry": {Base: 200 * time.Millisecond}}})
	for round := range 3 {
		for _, node := range []spec.NodeID{1, 2} {
			if _, err := c.Client(int(node)).Call(ctxFor(t, 5*time.Second), node, echoMsg{Kind: "add", Delta: int(node), Node: node}); err != nil {
				t.Fatalf("round %d, node %d: %v", round, node, err)
			}
		}
		if err := c.Crash(0); err != nil {
			t.Fatal(err)
		}
		if err := c.Restart(0); err != nil {
			t.Fatal(err)
		}
	}
	run := stop(t, c)
	if run.Stats.Crashes != 3 || run.Stats.Requests != 6 {
		t.Fatalf("stats %v: want 3 crashes and 6 requests", run.Stats)
	}
}
