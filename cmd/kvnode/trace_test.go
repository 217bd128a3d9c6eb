package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/traces"
)

// TestTraceMergesTheNodesJournals: three node processes, a few writes, a
// follower killed with kill -9 and restarted; kvnode trace merges their
// journals into one trace that loads and validates, holds every node's
// steps, the crash and the recovery, and links receipts to their sends —
// a receipt's Lamport time above its send's.
func TestTraceMergesTheNodesJournals(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes for a few seconds")
	}
	t.Parallel()
	h := newHarness(t, 3, 1, "-election", "150ms", "-jitter", "150ms", "-heartbeat", "30ms")
	k, _ := newKVClient(h.http, "", time.Second)
	put := func(key string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, _, err := k.do(ctx, "put", key, "v", ""); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
	}
	put("a")
	follower := (k.leader + 1) % 3
	h.kill(follower)
	put("b")
	h.start(follower)
	time.Sleep(300 * time.Millisecond)
	put("c")
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "trace.json")
	var stdout, stderr bytes.Buffer
	args := []string{"trace", "-o", out}
	for i := range 3 {
		args = append(args, h.dataDir(i))
	}
	if code := run(args, &stdout, &stderr); code != exitOK {
		t.Fatalf("kvnode trace: exit %d: %s", code, stderr.String())
	}
	tr, err := traces.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Validate(); err != nil {
		t.Fatal(err)
	}
	nodes := map[int]bool{}
	var crashes, recovers, receipts, linked int
	for _, e := range tr.Events {
		nodes[e.Node] = true
		switch e.Kind {
		case traces.KindCrash:
			crashes++
		case traces.KindRecover:
			recovers++
		case traces.KindReceive:
			receipts++
			if e.Cause < 0 {
				continue
			}
			c := tr.Events[e.Cause]
			sent := false
			for _, s := range c.Sends {
				sent = sent || s.To == e.Node && s.Message == e.Message
			}
			if c.Node != e.Peer || !sent || c.Lamport >= e.Lamport {
				t.Fatalf("event %d (%s) names event %d (%s) as its send", e.ID, e.Action, c.ID, c.Action)
			}
			linked++
		}
	}
	if len(nodes) != 3 || crashes != 1 || recovers != 1 || receipts == 0 || linked*10 < receipts*9 {
		t.Fatalf("trace: nodes %v, %d crashes, %d recoveries, %d of %d receipts linked to their sends", nodes, crashes, recovers, linked, receipts)
	}
	if !strings.Contains(stdout.String(), fmt.Sprintf("%d events of 3 node processes", len(tr.Events))) {
		t.Fatalf("kvnode trace printed %q", stdout.String())
	}
}
