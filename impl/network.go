package impl

import (
	"container/heap"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distsys/distsys/spec"
)

// network is the simulated network. The fate of each message — lost,
// copied, how long each copy takes — is drawn when it is sent, on the
// sender's goroutine, from the stream of (link, message number on the
// link); a partition cuts it if it separates sender and receiver at that
// moment. A message without delay goes straight into the receiver's inbox;
// a delayed one waits in the scheduler.
type network[S, M any] struct {
	c     *Cluster[S, M]
	cfg   Network
	plain bool // no loss, no copies, no delay
	part  atomic.Pointer[[]uint8]
	drop  atomic.Int64  // messages still to lose (Cluster.DropNext)
	sched *scheduler[M] // nil without delays
}

// link is one direction between two nodes, owned by the sender.
type link struct {
	k    uint64    // messages sent so far: the key of the next draw
	last time.Time // FIFO: when the last message is due
}

func newNetwork[S, M any](c *Cluster[S, M], cfg Network) *network[S, M] {
	net := &network[S, M]{c: c, cfg: cfg, plain: cfg.Loss == 0 && cfg.Dup == 0 && cfg.Delay.none()}
	if !cfg.Delay.none() && c.sim == nil {
		net.sched = newScheduler(func(to spec.NodeID, e envelope[M]) { net.deliver(to, e) })
	}
	return net
}

// send carries out a Send output of node from: step seq, output send.
func (net *network[S, M]) send(from *node[S, M], to spec.NodeID, m M, seq uint64, send int32) {
	c := net.c
	e := envelope[M]{from: from.id, msg: m, cause: seq, send: send}
	var r stream
	l := &from.links[to]
	if !net.plain {
		r = newStream(c.seed, streamLink, uint64(from.id), uint64(to), l.k)
		l.k++
	}
	if net.drop.Load() > 0 {
		if net.drop.Add(-1) >= 0 {
			from.st.Dropped++
			if c.record {
				from.netEvent(DropEvent, to, e, false)
			}
			return
		}
		net.drop.Add(1)
	}
	if p := net.part.Load(); p != nil && (*p)[from.id] != (*p)[to] {
		from.st.Cut++
		if c.record {
			from.netEvent(DropEvent, to, e, true)
		}
		return
	}
	if net.plain {
		c.work.Add(1)
		net.deliver(to, e)
		return
	}
	if r.float() < net.cfg.Loss {
		from.st.Dropped++
		if c.record {
			from.netEvent(DropEvent, to, e, false)
		}
		return
	}
	copies := 1
	if r.float() < net.cfg.Dup {
		copies = 2
		from.st.Duplicated++
		if c.record {
			from.netEvent(DuplicateEvent, to, e, false)
		}
	}
	c.work.Add(int64(copies))
	for k := range copies {
		e.copy = k > 0
		if net.cfg.Delay.none() {
			net.deliver(to, e)
			continue
		}
		at := c.now().Add(net.cfg.Delay.draw(&r))
		if net.cfg.FIFO {
			if at.Before(l.last) {
				at = l.last
			}
			l.last = at
		}
		if c.sim != nil {
			c.sim.push(simEvent[M]{at: at, kind: simDeliver, node: to, env: e})
		} else {
			net.sched.add(at, to, e)
		}
	}
}

// deliver puts e into to's inbox, or records it lost if to is down.
func (net *network[S, M]) deliver(to spec.NodeID, e envelope[M]) {
	c := net.c
	if c.sim != nil {
		c.sim.push(simEvent[M]{at: c.sim.now, kind: simDeliver, node: to, env: e})
		return
	}
	if c.tr != nil && c.nodes[to].remote {
		c.tr.Send(e.from, to, e.msg, Tag{Seq: e.cause, Send: e.send}) // gone from this process
		c.work.Add(-1)
		return
	}
	if c.nodes[to].inbox.push(e) {
		return
	}
	c.lost(to, e)
	c.work.Add(-1)
}

// netEvent records what the network did to a message n sent.
func (n *node[S, M]) netEvent(k EventKind, to spec.NodeID, e envelope[M], partition bool) {
	c := n.c
	n.record(Event[S, M]{
		Seq: c.seq.Add(1), At: c.since(), Kind: k, Node: to,
		Input: spec.Input[M]{Kind: spec.Receive, From: e.from, Msg: e.msg},
		Cause: e.cause, Send: int(e.send), Partition: partition,
	})
}

// scheduler holds delayed messages until they are due, on its own
// goroutine.
type scheduler[M any] struct {
	mu      sync.Mutex
	q       pending[M]
	n       uint64 // messages added: keeps equal due times in order
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	deliver func(spec.NodeID, envelope[M])
}

type delayed[M any] struct {
	at  time.Time
	n   uint64
	to  spec.NodeID
	env envelope[M]
}

type pending[M any] []delayed[M]

func (p pending[M]) Len() int { return len(p) }
func (p pending[M]) Less(i, j int) bool {
	if !p[i].at.Equal(p[j].at) {
		return p[i].at.Before(p[j].at)
	}
	return p[i].n < p[j].n
}
func (p pending[M]) Swap(i, j int) { p[i], p[j] = p[j], p[i] }
func (p *pending[M]) Push(x any)   { *p = append(*p, x.(delayed[M])) }
func (p *pending[M]) Pop() any {
	old := *p
	x := old[len(old)-1]
	old[len(old)-1] = delayed[M]{}
	*p = old[:len(old)-1]
	return x
}

func newScheduler[M any](deliver func(spec.NodeID, envelope[M])) *scheduler[M] {
	s := &scheduler[M]{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}), deliver: deliver}
	go s.run()
	return s
}

func (s *scheduler[M]) add(at time.Time, to spec.NodeID, e envelope[M]) {
	s.mu.Lock()
	s.n++
	heap.Push(&s.q, delayed[M]{at: at, n: s.n, to: to, env: e})
	first := s.q[0].n == s.n
	s.mu.Unlock()
	if first {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

func (s *scheduler[M]) run() {
	defer close(s.done)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	var due []delayed[M]
	for {
		s.mu.Lock()
		now := time.Now()
		for len(s.q) > 0 && !s.q[0].at.After(now) {
			due = append(due, heap.Pop(&s.q).(delayed[M]))
		}
		next := time.Hour
		if len(s.q) > 0 {
			next = s.q[0].at.Sub(now)
		}
		s.mu.Unlock()
		for i := range due {
			s.deliver(due[i].to, due[i].env)
		}
		clear(due)
		due = due[:0]
		t.Reset(next)
		select {
		case <-s.stop:
			return
		case <-s.wake:
		case <-t.C:
		}
	}
}

// close stops the scheduler and returns how many messages it still held.
func (s *scheduler[M]) close() int {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.q)
}
