package impl_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// echo is a small protocol for the driver's own tests. Node 0 is a
// server holding a counter (persisted) and a volatile count of requests
// it served since it last started; a request "add d" to any node is
// forwarded to node 0, which adds d, observes the new total and sends it
// back to the node the request came through, which observes the reply.
// A node that has a forwarded request outstanding retries it on its
// "retry" timer.
type echo struct{ n int }

type echoState struct {
	ID      spec.NodeID
	Total   int // node 0, persisted
	Served  int // node 0, volatile
	Pending int // a forwarding node: the amount waiting for its reply (0: none)
	Seq     int // a forwarding node: the current request's id, persisted
}

type echoMsg struct {
	Kind  string // "add" (request), "fwd", "ack", "total" (observed at 0), "reply" (observed)
	Seq   int
	Delta int
	Total int
	Node  spec.NodeID // "reply": the node that replied
}

const retryTimer spec.Timer = 0

func (p echo) Nodes() int                    { return p.n }
func (p echo) Init(id spec.NodeID) echoState { return echoState{ID: id} }
func (p echo) Crash(s echoState) echoState   { return echoState{ID: s.ID, Total: s.Total, Seq: s.Seq} }

func (p echo) Step(s echoState, in spec.Input[echoMsg]) (echoState, []spec.Output[echoMsg]) {
	switch in.Kind {
	case spec.Request:
		if s.ID == 0 {
			s.Total += in.Msg.Delta
			s.Served++
			return s, []spec.Output[echoMsg]{spec.Emit(echoMsg{Kind: "reply", Seq: in.Msg.Seq, Total: s.Total, Node: 0})}
		}
		s.Seq++
		s.Pending = in.Msg.Delta
		return s, []spec.Output[echoMsg]{
			spec.SendTo(0, echoMsg{Kind: "fwd", Seq: s.Seq, Delta: in.Msg.Delta}),
			spec.SetTimerOut[echoMsg](retryTimer),
		}
	case spec.Fire:
		if s.Pending != 0 {
			return s, []spec.Output[echoMsg]{
				spec.SendTo(0, echoMsg{Kind: "fwd", Seq: s.Seq, Delta: s.Pending}),
				spec.SetTimerOut[echoMsg](retryTimer),
			}
		}
	case spec.Receive:
		switch in.Msg.Kind {
		case "fwd":
			s.Total += in.Msg.Delta
			s.Served++
			return s, []spec.Output[echoMsg]{
				spec.Emit(echoMsg{Kind: "total", Total: s.Total}),
				spec.SendTo(in.From, echoMsg{Kind: "ack", Seq: in.Msg.Seq, Total: s.Total}),
			}
		case "ack":
			if s.Pending != 0 && in.Msg.Seq == s.Seq {
				s.Pending = 0
				return s, []spec.Output[echoMsg]{
					spec.Emit(echoMsg{Kind: "reply", Seq: s.Seq, Total: in.Msg.Total, Node: s.ID}),
					spec.CancelTimerOut[echoMsg](retryTimer),
				}
			}
		}
	}
	return s, nil
}

func (p echo) AppendState(b []byte, s echoState) []byte {
	return fmt.Appendf(b, "%d/%d/%d/%d/%d;", s.ID, s.Total, s.Served, s.Pending, s.Seq)
}
func (p echo) AppendMsg(b []byte, m echoMsg) []byte {
	return fmt.Appendf(b, "%s/%d/%d/%d/%d;", m.Kind, m.Seq, m.Delta, m.Total, m.Node)
}
func (p echo) FormatState(s echoState) string {
	return fmt.Sprintf("total=%d served=%d pending=%d seq=%d", s.Total, s.Served, s.Pending, s.Seq)
}
func (p echo) FormatMsg(m echoMsg) string {
	return fmt.Sprintf("%s(seq=%d delta=%d total=%d)", m.Kind, m.Seq, m.Delta, m.Total)
}
func (p echo) TimerName(t spec.Timer) string { return "retry" }

// echoReplies: a request's reply is the "reply" observation at the node it
// went to (keyed by the node: one request at a time per node).
var echoReplies = impl.Replies[echoMsg]{
	Key: func(req echoMsg) uint64 { return uint64(req.Node) },
	Reply: func(node spec.NodeID, obs echoMsg) (uint64, bool) {
		return uint64(node), obs.Kind == "reply"
	},
}

func startEcho(t *testing.T, n int, cfg impl.Config[echoState, echoMsg]) *impl.Cluster[echoState, echoMsg] {
	t.Helper()
	cfg.Protocol = echo{n}
	if cfg.Replies.Key == nil {
		cfg.Replies = echoReplies
	}
	if cfg.Timers == nil {
		cfg.Timers = map[string]impl.TimerSpec{"retry": {Base: 2 * time.Millisecond, Jitter: time.Millisecond}}
	}
	cfg.Record = true
	c, err := impl.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	return c
}

// stop stops c and requires its run to replay.
func stop[S, M any](t *testing.T, c *impl.Cluster[S, M]) *impl.Run[S, M] {
	t.Helper()
	run, err := c.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if run.Err != nil {
		t.Fatalf("runtime failed: %v", run.Err)
	}
	if err := run.Replay(); err != nil {
		t.Fatalf("seed %d: %v", run.Seed, err)
	}
	return run
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
