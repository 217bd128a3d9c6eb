package impl

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distsys/distsys/spec"
)

// maxTimers is the number of distinct timers a node may use, as in the
// model.
const maxTimers = 64

// maxChoices bounds the choices a node makes in a row, after one input:
// a protocol that always offers a choice would otherwise never stop.
const maxChoices = 1 << 12

// node is one node: its goroutine, inbox, timers, state and store. The
// fields below the line belong to the node's goroutine while it runs, and
// to the controller (Start, Crash, Restart, Stop) while it does not.
type node[S, M any] struct {
	c     *Cluster[S, M]
	id    spec.NodeID
	inbox *mailbox[M]
	tm    *time.Timer

	up      bool // under c.ctl
	remote  bool // runs in another process (Config.Local): never up here
	stopReq atomic.Bool
	stop    chan struct{}
	done    chan struct{}

	// ---- owned by the running goroutine ----
	state    S
	store    Store[S]
	spare    []envelope[M]
	leftover []envelope[M] // taken from the inbox but not handled when stopped
	slots    [maxTimers]timerSlot
	armed    int        // timers armed now
	counted  int        // timers armed as counted in c.work
	tmAt     time.Time  // what tm is set for (zero: stopped)
	dirty    bool       // a timer changed since tm was set
	timerGen uint64     // simulated: bumped whenever the timer is set anew
	idleGen  uint64     // simulated: bumped when the node's timers are cleared
	idleSet  bool       // simulated: an idle event is queued for this node
	timerK   uint64     // timers set so far: key of the jitter draw
	chooseK  uint64     // choices made so far
	links    []link     // this node's outgoing links
	evMu     sync.Mutex // events: appended by the node, read by Snapshot
	events   []Event[S, M]
	st       Stats
	failed   bool
	// Group commit (Config.GroupCommit): while a batch from the inbox is
	// handled, steps' outputs wait in deferred until one save covers them.
	deferring bool
	deferred  []deferredStep[M]
}

// deferredStep is a step whose outputs wait for the batch's save.
type deferredStep[M any] struct {
	seq  uint64
	outs []spec.Output[M]
}

// record appends an event to the node's record.
func (n *node[S, M]) record(e Event[S, M]) {
	if n.c.onEvent != nil {
		n.c.onEvent(e)
	}
	if !n.c.keep {
		return
	}
	n.evMu.Lock()
	n.events = append(n.events, e)
	n.evMu.Unlock()
}

type timerSlot struct {
	armed bool
	at    time.Time
}

// run is the node's goroutine: it selects on its inbox, its timer and
// stop. A restarted node first handles first (Recover).
func (n *node[S, M]) run(first *spec.Input[M], loaded S) {
	defer close(n.done)
	if first != nil {
		n.handle(*first, nil, loaded)
		n.c.work.Add(-1)
	}
	n.fireIdle() // set by the first step, or by Start's
	n.resetTimer()
	for !n.failed {
		select {
		case <-n.stop:
			return
		case <-n.inbox.ready:
			n.handleBatch()
			if n.idleArmed() {
				// Before an idle timer fires, the node yields once: the
				// goroutines its outputs woke (clients answered, say)
				// run, and what they send now joins the batch.
				runtime.Gosched()
				select {
				case <-n.inbox.ready:
					n.handleBatch()
				default:
				}
			}
			n.fireIdle()
			n.resetTimer()
		case <-n.tm.C:
			n.tmAt = time.Time{}
			n.fireDue()
			n.fireIdle()
			n.resetTimer()
		}
	}
}

// handleBatch takes everything waiting in the inbox and handles it, in
// order (with Config.GroupCommit, under one save).
func (n *node[S, M]) handleBatch() {
	batch := n.inbox.take(n.spare)
	if n.c.groupCommit {
		n.c.work.Add(1) // the batch's deferred outputs
		n.deferring = true
	}
	for i := range batch {
		if n.stopReq.Load() || n.failed {
			n.leftover = append(n.leftover, batch[i:]...)
			break
		}
		n.receive(&batch[i])
	}
	if n.c.groupCommit {
		n.flush()
		n.c.work.Add(-1)
	}
	clear(batch)
	n.spare = batch[:0]
}

// idleArmed reports that an idle timer is armed.
func (n *node[S, M]) idleArmed() bool {
	if !n.c.hasIdle {
		return false
	}
	for i := range n.slots {
		if n.slots[i].armed && n.c.timers[i].Idle {
			return true
		}
	}
	return false
}

// receive handles a message or a request taken from the inbox.
func (n *node[S, M]) receive(e *envelope[M]) {
	in := spec.Input[M]{Kind: spec.Receive, From: e.from, Msg: e.msg}
	if e.request {
		in = spec.Input[M]{Kind: spec.Request, Msg: e.msg}
		n.st.Requests++
	} else {
		n.st.Delivered++
	}
	var zero S
	n.handle(in, e, zero)
	n.c.work.Add(-1) // the input is handled: released after its effects are counted
}

// fireDue fires every timer that is due, earliest first (idle timers
// excepted: fireIdle fires them).
func (n *node[S, M]) fireDue() {
	var zero S
	for !n.stopReq.Load() && !n.failed {
		now := n.c.now()
		t := -1
		for i := range n.slots {
			s := &n.slots[i]
			if s.armed && !n.c.timers[i].Idle && !s.at.After(now) && (t < 0 || s.at.Before(n.slots[t].at)) {
				t = i
			}
		}
		if t < 0 {
			return
		}
		// A fired timer is no longer set; the unit it held in c.work is
		// released when the step publishes its timer count.
		n.slots[t].armed = false
		n.armed--
		n.dirty = true
		n.st.Fired++
		n.handle(spec.Input[M]{Kind: spec.Fire, Timer: spec.Timer(t)}, nil, zero)
	}
}

// fireIdle fires the armed idle timers (TimerSpec.Idle), lowest timer
// first, until none is armed: the node has handled every input it took
// from its inbox, and the timers that waited for that fire now. A timer
// that its own firing arms again fires again, up to maxChoices times in a
// row; then the node fails, as the protocol would never let it rest.
func (n *node[S, M]) fireIdle() {
	if !n.c.hasIdle {
		return
	}
	var zero S
	for k := 0; !n.stopReq.Load() && !n.failed; k++ {
		t := -1
		for i := range n.slots {
			if n.slots[i].armed && n.c.timers[i].Idle {
				t = i
				break
			}
		}
		if t < 0 {
			return
		}
		if k == maxChoices {
			n.fail(fmt.Errorf("node %d: %d idle timers fired in a row: the protocol never stops arming one", n.id, k))
			return
		}
		n.slots[t].armed = false
		n.armed--
		n.dirty = true
		n.st.Fired++
		n.handle(spec.Input[M]{Kind: spec.Fire, Timer: spec.Timer(t)}, nil, zero)
	}
}

// handle runs one input through Step, then the choices the protocol offers
// after it.
func (n *node[S, M]) handle(in spec.Input[M], e *envelope[M], loaded S) {
	n.step(in, e, loaded)
	ch := n.c.chooser
	if ch == nil {
		return
	}
	for k := 0; !n.failed; k++ {
		choices := ch.Choices(n.state)
		if len(choices) == 0 {
			return
		}
		if k == maxChoices {
			n.fail(fmt.Errorf("node %d: %d choices in a row: the protocol never stops offering one", n.id, k))
			return
		}
		r := newStream(n.c.seed, streamChoice, uint64(n.id), 0, n.chooseK)
		n.chooseK++
		n.step(spec.Input[M]{Kind: spec.Choose, Msg: choices[r.intn(len(choices))]}, nil, loaded)
	}
}

// step applies one input: Step, then the persisted part made durable, then
// the outputs carried out (messages, timers, observations), in order.
func (n *node[S, M]) step(in spec.Input[M], e *envelope[M], loaded S) {
	c := n.c
	s, outs := c.proto.Step(n.state, in)
	n.state = s
	n.st.Steps++
	var seq uint64
	// The step is recorded before its state is saved: a process killed
	// in between leaves a record one step ahead of its store, never behind.
	if c.record {
		seq = c.seq.Add(1)
		ev := Event[S, M]{Seq: seq, At: c.since(), Kind: StepEvent, Node: n.id, Input: in, Outputs: outs, State: s}
		if in.Kind == spec.Recover {
			ev.Loaded = loaded
		}
		if e != nil && !e.request {
			ev.Cause, ev.Send, ev.Copy, ev.Origin = e.cause, int(e.send), e.copy, e.origin
		}
		n.record(ev)
	}
	if n.deferring {
		n.deferred = append(n.deferred, deferredStep[M]{seq, outs})
		return
	}
	if err := n.store.Save(c.proto.Crash(s)); err != nil {
		n.fail(fmt.Errorf("node %d: store: %w", n.id, err))
		return
	}
	n.perform(seq, outs)
}

// flush ends a group commit: one save of the persisted state covers the
// batch's steps, then their outputs happen, in order. A crash between
// two of them is a crash after the batch's last input whose later sends
// the network lost.
func (n *node[S, M]) flush() {
	n.deferring = false
	if len(n.deferred) == 0 || n.failed {
		n.deferred = n.deferred[:0]
		return
	}
	if err := n.store.Save(n.c.proto.Crash(n.state)); err != nil {
		n.fail(fmt.Errorf("node %d: store: %w", n.id, err))
		return
	}
	for i := range n.deferred {
		n.perform(n.deferred[i].seq, n.deferred[i].outs)
		n.deferred[i] = deferredStep[M]{}
	}
	n.deferred = n.deferred[:0]
}

// perform carries out a step's outputs (step seq): messages, timers,
// observations.
func (n *node[S, M]) perform(seq uint64, outs []spec.Output[M]) {
	c := n.c
	for i := range outs {
		o := &outs[i]
		switch o.Kind {
		case spec.Send:
			if o.To < 0 || int(o.To) >= c.n {
				panic(fmt.Sprintf("impl: node %d sends to node %d of %d", n.id, o.To, c.n))
			}
			n.st.Sent++
			c.net.send(n, o.To, o.Msg, seq, int32(i))
		case spec.SetTimer:
			n.arm(o.Timer)
		case spec.CancelTimer:
			n.disarm(o.Timer)
		case spec.Observe:
			c.observe(n.id, o.Msg)
		default:
			panic(fmt.Sprintf("impl: node %d returned output of unknown kind %d", n.id, o.Kind))
		}
	}
	if d := n.armed - n.counted; d != 0 {
		c.work.Add(int64(d))
		n.counted = n.armed
	}
}

// arm (re)sets timer t for its configured duration plus a jitter drawn
// from the seed; an idle timer (TimerSpec.Idle) waits for fireIdle
// instead, which a simulated node is sent as an event at the present
// instant.
func (n *node[S, M]) arm(t spec.Timer) {
	if int(t) >= maxTimers {
		panic(fmt.Sprintf("impl: node %d sets timer %d, want < %d", n.id, t, maxTimers))
	}
	d := n.c.timers[t]
	if d.Idle {
		n.timerK++
		s := &n.slots[t]
		if !s.armed {
			s.armed = true
			n.armed++
		}
		s.at = n.c.now()
		if sim := n.c.sim; sim != nil && !n.idleSet {
			n.idleSet = true
			sim.push(simEvent[M]{at: sim.now, kind: simIdle, node: n.id, gen: n.idleGen})
		}
		return
	}
	dur := d.Base
	if d.Jitter > 0 {
		r := newStream(n.c.seed, streamTimer, uint64(n.id), uint64(t), n.timerK)
		dur += time.Duration(r.intn(int(d.Jitter)))
	}
	n.timerK++
	s := &n.slots[t]
	if !s.armed {
		s.armed = true
		n.armed++
	}
	s.at = n.c.now().Add(dur)
	n.dirty = true
}

// disarm cancels timer t.
func (n *node[S, M]) disarm(t spec.Timer) {
	if int(t) >= maxTimers {
		panic(fmt.Sprintf("impl: node %d cancels timer %d, want < %d", n.id, t, maxTimers))
	}
	if s := &n.slots[t]; s.armed {
		s.armed = false
		n.armed--
		n.dirty = true
	}
}

// resetTimer points the node's one time.Timer at its earliest timer.
func (n *node[S, M]) resetTimer() {
	if !n.dirty {
		return
	}
	n.dirty = false
	var at time.Time
	for i := range n.slots {
		if s := &n.slots[i]; s.armed && !n.c.timers[i].Idle && (at.IsZero() || s.at.Before(at)) {
			at = s.at
		}
	}
	if at.Equal(n.tmAt) {
		return
	}
	n.tmAt = at
	if sim := n.c.sim; sim != nil {
		n.timerGen++ // the events queued for earlier settings are stale
		if !at.IsZero() {
			sim.push(simEvent[M]{at: at, kind: simTimer, node: n.id, gen: n.timerGen})
		}
		return
	}
	if at.IsZero() {
		n.tm.Stop()
		return
	}
	n.tm.Reset(time.Until(at))
}

// clearTimers disarms every timer (the node crashed) and returns how many
// were counted in c.work.
func (n *node[S, M]) clearTimers() int {
	counted := n.counted
	n.slots = [maxTimers]timerSlot{}
	n.armed, n.counted, n.dirty = 0, 0, false
	n.tm.Stop()
	n.tmAt = time.Time{}
	n.timerGen++
	n.idleGen++
	n.idleSet = false
	return counted
}

// fail stops the node for good: the runtime itself failed (a store could
// not save), so the step's outputs must not happen.
func (n *node[S, M]) fail(err error) {
	n.failed = true
	n.c.fail(err)
}
