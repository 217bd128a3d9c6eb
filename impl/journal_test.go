package impl_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
)

// runJournalled runs one incarnation of the echo protocol on two nodes,
// both local, each step journalled to path and the state kept in dir, and
// sends one request through node 1.
func runJournalled(t *testing.T, dir, path string, delta int) {
	t.Helper()
	p := echo{2}
	j, err := impl.OpenJournal(path, p)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	c, err := impl.Start(impl.Config[echoState, echoMsg]{
		Protocol: p, Replies: echoReplies, OnEvent: j.Record,
		Stores: impl.DiskStores(dir, p, impl.JSONCodec[echoState]{}, nil),
		Timers: map[string]impl.TimerSpec{"retry": {Base: 20 * time.Millisecond}},
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
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	runJournalled(t, dir, path, 2)
	// A kill in the middle of a line.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(`{"seq":99,"input":{"Kin`))
	f.Close()
	runJournalled(t, dir, path, 3)
	p := echo{2}
	rep, err := impl.ReplayJournal(path, p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Incarnations != 2 || rep.Torn != 1 || rep.Steps < 10 {
		t.Fatalf("report %+v: want 2 incarnations, 1 torn line, at least 10 steps", rep)
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
	if _, err := impl.ReplayJournal(path, p); err == nil || !strings.Contains(err.Error(), "differ") {
		t.Fatalf("a changed output replayed: %v", err)
	}
}

// TestJournalCatchesAStoreThatLostState: a second incarnation whose store
// gives back a state the first never reached is caught.
func TestJournalCatchesAStoreThatLostState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	runJournalled(t, dir, path, 2)
	runJournalled(t, dir, path, 3)
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
	if err == nil || !strings.Contains(err.Error(), "neither") {
		t.Fatalf("a store that gave back a state never reached passed: %v", err)
	}
}
