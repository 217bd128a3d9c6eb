package impl

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/distsys/distsys/spec"
)

// errSimulated: a blocking call on a simulated cluster.
var errSimulated = errors.New("impl: the cluster is simulated (Config.Simulate): use Client.Submit and Cluster.Advance, not a blocking Call")

// simulator runs a cluster in virtual time on the caller's goroutine: the
// nodes have no goroutines; deliveries and timers are events in one queue
// ordered by virtual time (ties by the order they were queued), and
// Advance processes them. With nothing left to real time and goroutine
// scheduling, a run is decided entirely by the seed and the calls made on
// the cluster: the same calls with the same seed give the same run, event
// for event.
type simulator[S, M any] struct {
	now time.Time
	q   simQueue[M]
	n   uint64
}

const (
	simDeliver uint8 = iota
	simTimer
	simIdle // the node's idle timers (TimerSpec.Idle) fire
)

type simEvent[M any] struct {
	at   time.Time
	n    uint64
	kind uint8
	node spec.NodeID
	env  envelope[M]
	gen  uint64 // simTimer, simIdle: the node's timer (idle) generation it was set in
}

type simQueue[M any] []simEvent[M]

func (q simQueue[M]) Len() int { return len(q) }
func (q simQueue[M]) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].n < q[j].n
}
func (q simQueue[M]) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue[M]) Push(x any)   { *q = append(*q, x.(simEvent[M])) }
func (q *simQueue[M]) Pop() any {
	old := *q
	x := old[len(old)-1]
	old[len(old)-1] = simEvent[M]{}
	*q = old[:len(old)-1]
	return x
}

func (s *simulator[S, M]) push(e simEvent[M]) {
	s.n++
	e.n = s.n
	heap.Push(&s.q, e)
}

// now is the cluster's clock: virtual when simulated.
func (c *Cluster[S, M]) now() time.Time {
	if c.sim != nil {
		return c.sim.now
	}
	return time.Now()
}

// Simulated reports that the cluster runs in virtual time.
func (c *Cluster[S, M]) Simulated() bool { return c.sim != nil }

// Advance runs a simulated cluster for d of virtual time: every delivery
// and timer due by then happens, in order.
func (c *Cluster[S, M]) Advance(d time.Duration) error {
	if c.sim == nil {
		return errors.New("impl: Advance needs a simulated cluster (Config.Simulate)")
	}
	c.ctl.Lock()
	defer c.ctl.Unlock()
	if c.stopped {
		return ErrStopped
	}
	target := c.sim.now.Add(d)
	for len(c.sim.q) > 0 && !c.sim.q[0].at.After(target) {
		c.simNext()
	}
	c.sim.now = target
	return c.failure()
}

// simSettle processes events until the cluster is quiescent or ctx ends.
func (c *Cluster[S, M]) simSettle(ctx context.Context) bool {
	c.ctl.Lock()
	defer c.ctl.Unlock()
	for k := 0; !c.Quiescent(); k++ {
		if len(c.sim.q) == 0 || k%1024 == 0 && ctx.Err() != nil {
			return c.Quiescent()
		}
		c.simNext()
	}
	return true
}

// simNext processes the next event. Under c.ctl.
func (c *Cluster[S, M]) simNext() {
	e := heap.Pop(&c.sim.q).(simEvent[M])
	if e.at.After(c.sim.now) {
		c.sim.now = e.at
	}
	n := c.nodes[e.node]
	switch e.kind {
	case simDeliver:
		if !n.up || n.failed {
			if !e.env.request {
				c.lost(e.node, e.env)
			}
			c.work.Add(-1)
			return
		}
		n.receive(&e.env)
		n.resetTimer()
	case simTimer:
		if !n.up || n.failed || e.gen != n.timerGen {
			return // a timer since reset, cancelled or lost in a crash
		}
		n.tmAt = time.Time{}
		n.fireDue()
		n.resetTimer()
	case simIdle:
		if e.gen != n.idleGen {
			return // queued before the node's timers were cleared (a crash)
		}
		if n.up && !n.failed {
			n.fireIdle()
			n.resetTimer()
		}
		n.idleSet = false
	}
}

// Pending is a request submitted with Client.Submit: its reply arrives
// while the cluster runs (Advance, for a simulated one).
type Pending[M any] struct {
	mu      sync.Mutex
	op      Op[M]
	done    bool
	unwait  func() bool
	record  func(Op[M])
	since   func() time.Duration
	request func(spec.NodeID, M) error
}

// Resend sends the request again — the same request, so the same request
// id — to node, and goes on waiting for a reply to either copy: a client
// that retries elsewhere. The client history keeps one operation.
func (p *Pending[M]) Resend(node spec.NodeID) error {
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return nil
	}
	p.op.Tries++
	p.op.Node = node
	req := p.op.Req
	p.mu.Unlock()
	return p.request(node, req)
}

// Reply returns the reply, if it has come, and the node that gave it.
func (p *Pending[M]) Reply() (M, spec.NodeID, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.op.Reply, p.op.Node, p.done
}

// Abandon gives up waiting: if no reply has come, the operation's outcome
// is unknown from now on, and it is recorded so in the client history.
func (p *Pending[M]) Abandon() {
	if !p.unwait() {
		return // replied (or abandoned) already
	}
	p.mu.Lock()
	op := p.op
	p.mu.Unlock()
	op.Return = p.since()
	p.record(op)
}

// Submit sends req to node without waiting: the reply (Config.Replies)
// completes the returned Pending and the operation enters the client
// history then, or with an unknown outcome if it is abandoned first. It is
// how a simulated cluster is called; it works on a running one too.
func (cl *Client[S, M]) Submit(node spec.NodeID, req M) (*Pending[M], error) {
	c := cl.c
	if c.replies.Key == nil || c.replies.Reply == nil {
		return nil, errNoReplies
	}
	key := c.replies.Key(req)
	p := &Pending[M]{since: c.since, record: func(op Op[M]) { c.addOp(op, true) }, request: c.Request,
		op: Op[M]{Client: cl.id, Node: node, Req: req, Tries: 1, Call: c.since()}}
	// The callback runs under c.waitMu, on the node's goroutine (or the
	// simulator's), once: observe removes the waiter before calling it.
	w := &waiter[M]{fn: func(r reply[M]) {
		p.mu.Lock()
		p.done = true
		p.op.Reply, p.op.Node, p.op.OK, p.op.Return = r.obs, r.node, true, c.since()
		op := p.op
		p.mu.Unlock()
		c.addOp(op, true)
	}}
	p.unwait = func() bool { return c.unwait(key, w) }
	c.waitMu.Lock()
	if c.waiters[key] != nil {
		c.waitMu.Unlock()
		return nil, fmt.Errorf("reply key %d: %w", key, ErrKeyBusy)
	}
	c.waiters[key] = w
	c.waitMu.Unlock()
	if err := c.Request(node, req); err != nil {
		c.unwait(key, w)
		return nil, err
	}
	return p, nil
}
