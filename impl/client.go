package impl

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/distsys/distsys/spec"
)

// waiter is a request waiting for its reply: on ch (Call, pooled) or by
// fn (Submit).
type waiter[M any] struct {
	ch chan reply[M]
	fn func(reply[M])
}

type reply[M any] struct {
	obs  M
	node spec.NodeID
}

var errNoReplies = errors.New("impl: Config.Replies is not set: the cluster cannot tell a reply")

// ErrKeyBusy: another call is already waiting for a reply with this key.
var ErrKeyBusy = errors.New("another call waits for a reply with the same key")

// observe dispatches an observation of node: to the hook, to the call
// waiting for it as a reply, to the leader hint.
func (c *Cluster[S, M]) observe(node spec.NodeID, obs M) {
	if c.onObs != nil {
		c.onObs(node, obs)
	}
	if c.replies.Reply != nil {
		if key, ok := c.replies.Reply(node, obs); ok {
			c.waitMu.Lock()
			if w := c.waiters[key]; w != nil {
				delete(c.waiters, key)
				if w.fn != nil {
					w.fn(reply[M]{obs, node})
				} else {
					w.ch <- reply[M]{obs, node}
				}
			}
			c.waitMu.Unlock()
		}
	}
	if c.replies.Leader != nil {
		if l, ok := c.replies.Leader(node, obs); ok {
			c.leader.Store(int64(l))
		}
	}
}

// Leader returns the node last observed to lead (Replies.Leader), if any.
func (c *Cluster[S, M]) Leader() (spec.NodeID, bool) {
	l := c.leader.Load()
	return spec.NodeID(l), l >= 0
}

var waiterPool sync.Pool

// call sends req to node and waits for its reply.
func (c *Cluster[S, M]) call(ctx context.Context, node spec.NodeID, req M) (M, spec.NodeID, error) {
	var zero M
	if c.replies.Key == nil || c.replies.Reply == nil {
		return zero, node, errNoReplies
	}
	if c.sim != nil {
		return zero, node, errSimulated
	}
	key := c.replies.Key(req)
	w, _ := waiterPool.Get().(*waiter[M])
	if w == nil {
		w = &waiter[M]{ch: make(chan reply[M], 1)}
	}
	c.waitMu.Lock()
	if c.waiters[key] != nil {
		c.waitMu.Unlock()
		waiterPool.Put(w)
		return zero, node, fmt.Errorf("reply key %d: %w", key, ErrKeyBusy)
	}
	c.waiters[key] = w
	c.waitMu.Unlock()
	if err := c.Request(node, req); err != nil {
		c.unwait(key, w)
		return zero, node, err
	}
	select {
	case r := <-w.ch:
		waiterPool.Put(w)
		return r.obs, r.node, nil
	case <-ctx.Done():
	case <-c.halt:
	}
	if !c.unwait(key, w) {
		// The reply came as the wait ended: take it.
		r := <-w.ch
		waiterPool.Put(w)
		return r.obs, r.node, nil
	}
	if ctx.Err() != nil {
		return zero, node, fmt.Errorf("node %d: %w", node, errors.Join(ErrTimeout, ctx.Err()))
	}
	return zero, node, ErrStopped
}

// unwait removes w's registration and reports whether it was still there
// (no reply was sent to it). A waiter with a reply in its channel is not
// pooled by its caller until the reply is taken.
func (c *Cluster[S, M]) unwait(key uint64, w *waiter[M]) bool {
	c.waitMu.Lock()
	defer c.waitMu.Unlock()
	if c.waiters[key] == w {
		delete(c.waiters, key)
		if w.fn == nil {
			waiterPool.Put(w)
		}
		return true
	}
	return false
}

// Client issues requests and records them as operations of the run's
// client history (with Config.Record), under its id.
type Client[S, M any] struct {
	c  *Cluster[S, M]
	id int
}

// Client returns the client with the given id (for histories: a client
// issues one operation at a time).
func (c *Cluster[S, M]) Client(id int) *Client[S, M] { return &Client[S, M]{c: c, id: id} }

// Call sends req to node and waits for its reply (Config.Replies), until
// ctx ends: then the error wraps ErrTimeout, and the operation's outcome
// is unknown.
func (cl *Client[S, M]) Call(ctx context.Context, node spec.NodeID, req M) (M, error) {
	start := cl.c.since()
	r, from, err := cl.c.call(ctx, node, req)
	cl.c.addOp(Op[M]{Client: cl.id, Node: from, Req: req, Reply: r, OK: err == nil, Tries: 1, Call: start, Return: cl.c.since()}, reached(err))
	return r, err
}

// RetryPolicy says how Client.Retry retries a request.
type RetryPolicy struct {
	// PerTry is how long one try waits for the reply.
	PerTry time.Duration
	// Tries bounds the tries (0: until the context ends).
	Tries int
	// Nodes are the nodes to try, in turn (nil: all).
	Nodes []spec.NodeID

	_ struct{}
}

// Retry sends req — the same request, so the same request id, each time —
// to the last node observed to lead (Replies.Leader), or else to first,
// and, each time a try times out or finds its node down, to the leader if
// a new one was observed, or else to the next node; until a reply comes,
// the tries are used up or ctx ends. It returns the reply and the node
// that gave it. The client history holds one operation for all the tries.
func (cl *Client[S, M]) Retry(ctx context.Context, first spec.NodeID, req M, p RetryPolicy) (M, spec.NodeID, error) {
	c := cl.c
	nodes := p.Nodes
	if nodes == nil {
		nodes = make([]spec.NodeID, c.n)
		for i := range nodes {
			nodes[i] = spec.NodeID(i)
		}
	}
	if len(nodes) == 0 || p.PerTry <= 0 {
		var zero M
		return zero, first, errors.New("impl: Retry needs nodes and a positive PerTry")
	}
	start := c.since()
	node, tried := first, spec.NodeID(-1)
	if l, ok := c.Leader(); ok && contains(nodes, l) {
		node = l
	}
	var (
		r     M
		err   error
		tries int
		sent  bool
	)
	for p.Tries == 0 || tries < p.Tries {
		tries++
		tctx, cancel := context.WithTimeout(ctx, p.PerTry)
		r, node, err = c.call(tctx, node, req)
		cancel()
		sent = sent || reached(err)
		if err == nil || ctx.Err() != nil || errors.Is(err, ErrStopped) || errors.Is(err, ErrKeyBusy) || errors.Is(err, errNoReplies) || errors.Is(err, errSimulated) {
			break
		}
		if errors.Is(err, ErrDown) {
			// Give a crashed cluster a moment rather than spinning.
			select {
			case <-ctx.Done():
			case <-time.After(p.PerTry / 4):
			}
		}
		tried = node
		if l, ok := c.Leader(); ok && l != tried && contains(nodes, l) {
			node = l
		} else {
			node = nodes[(index(nodes, tried)+1)%len(nodes)]
		}
	}
	c.addOp(Op[M]{Client: cl.id, Node: node, Req: req, Reply: r, OK: err == nil, Tries: tries, Call: start, Return: c.since()}, sent)
	return r, node, err
}

func contains(nodes []spec.NodeID, x spec.NodeID) bool { return index(nodes, x) >= 0 }

func index(nodes []spec.NodeID, x spec.NodeID) int {
	for i, n := range nodes {
		if n == x {
			return i
		}
	}
	return -1
}

// reached reports that a call's request reached a node: it was answered,
// or it is unknown whether it took effect. A call refused outright (the
// node was down, another call had its key) never reached the system.
func reached(err error) bool {
	return err == nil || errors.Is(err, ErrTimeout) || errors.Is(err, ErrStopped)
}

// addOp records an operation whose request reached the system in the
// client history (with Config.Record).
func (c *Cluster[S, M]) addOp(op Op[M], sent bool) {
	if !c.keep || !sent {
		return
	}
	c.opsMu.Lock()
	c.ops = append(c.ops, op)
	c.opsMu.Unlock()
}
