package protocols_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
	"github.com/distsys/distsys/traces"
)

// staleReadAfterRead plays course 7.2's Cx1 on the register, the faults
// placed by partitions on a network that delays every message by d, on a
// simulated cluster (virtual time: the schedule is exact): a write
// reaches replica 0 only (replicas 1 and 2 are cut off); reader A reads
// replicas 0 and 1 and returns the new value, but its repair of replica
// 1 is cut; then reader B, cut off with replicas 1 and 2, reads the old
// value — after A returned the new one. It returns the client history's
// check and the run.
func staleReadAfterRead(t *testing.T, writeBack bool) (protocols.LinResult, *impl.Run[quorum.State, quorum.Msg]) {
	t.Helper()
	const d = 10 * time.Millisecond
	p, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Readers: 2, WriteBack: writeBack})
	tg := protocols.QuorumTarget(p, nil)
	c, err := impl.Start(impl.Config[quorum.State, quorum.Msg]{
		Protocol: tg.Protocol, Seed: 1, Replies: tg.Replies, Record: true, Simulate: true,
		Network: impl.Network{Delay: impl.Delay{Dist: "fixed", Min: d}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r1, r2, a, b := spec.NodeID(1), spec.NodeID(2), p.Reader(0), p.Reader(1)
	var calls []*impl.Pending[quorum.Msg]
	call := func(client int, node spec.NodeID, req quorum.Msg) {
		pc, err := c.Client(client).Submit(node, req)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, pc)
	}
	c.Partition([]spec.NodeID{r1, r2})
	call(0, p.Writer(), quorum.Msg{Kind: quorum.WriteReq, Val: 1}) // reaches replica 0 only
	c.Advance(3 * d)
	c.Partition([]spec.NodeID{r2})
	call(1, a, quorum.Msg{Kind: quorum.ReadReq, ID: 1}) // replicas 0 and 1 answer at 4d
	c.Advance(d + d/2)
	c.Partition([]spec.NodeID{r1, r2}) // A's repair (or write-back) of replica 1, sent at 5d, is cut
	c.Advance(d + d/2)
	c.Partition([]spec.NodeID{r1, r2, b})
	call(2, b, quorum.Msg{Kind: quorum.ReadReq, ID: 2}) // only replicas 1 and 2 answer
	c.Advance(4 * d)
	for _, pc := range calls {
		pc.Abandon()
	}
	run, err := c.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Replay(); err != nil {
		t.Fatal(err)
	}
	return protocols.CheckHistory(tg.Linearizable, run.Ops, 5*time.Second), run
}

// Reference: course 7.2, Cx1, and 5.2 ("even r+w > n is not
// linearizable"). Without write-back the register returns the old value
// to a read that starts after another read returned the new one; porcupine
// finds no linearization, and its own visualisation is written next to
// the run's space-time diagram.
func TestQuorumReadRepairWithoutWriteBackIsNotLinearizable(t *testing.T) {
	t.Parallel()
	lin, run := staleReadAfterRead(t, false)
	if lin.Result != porcupine.Illegal {
		for _, op := range run.Ops {
			t.Logf("%+v", op)
		}
		t.Fatalf("porcupine says %s, want %s", lin.Result, porcupine.Illegal)
	}
	var got []string
	for _, op := range run.Ops {
		if op.OK && op.Req.Kind == quorum.ReadReq {
			got = append(got, string(rune('0'+op.Reply.Val)))
		}
	}
	if strings.Join(got, ",") != "1,0" {
		t.Errorf("reads returned %v, want A 1 then B 0", got)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "porcupine.html"), lin.HTML, 0o644); err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	tr := run.Trace(impl.TraceHeader{Protocol: "quorum", Violation: &traces.Violation{Property: "linearizable", Kind: "history", Reason: "read 2 returned 0 after read 1 returned 1"}})
	if err := tr.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := traces.WriteHTML(&page, tr); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(lin.HTML, []byte("<html")) || page.Len() == 0 {
		t.Error("the visualisations are empty")
	}
}

// The same schedule with write-back: reader A cannot return 1 before a
// write quorum holds it, and the cut leaves only replica 0 to acknowledge,
// so A's read never returns; B's 0 is then linearizable (the write has not
// taken effect as far as any completed read knows).
func TestQuorumWithWriteBackStaysLinearizable(t *testing.T) {
	t.Parallel()
	lin, run := staleReadAfterRead(t, true)
	if lin.Result != porcupine.Ok {
		t.Fatalf("porcupine says %s, want %s", lin.Result, porcupine.Ok)
	}
	for _, op := range run.Ops {
		if op.Req.Kind == quorum.ReadReq && op.Req.ID == 1 && op.OK {
			t.Errorf("reader A returned %d without a write quorum holding it", op.Reply.Val)
		}
	}
}
