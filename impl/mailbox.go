package impl

import (
	"sync"

	"github.com/distsys/distsys/spec"
)

// envelope is an input waiting at a node: a message or a client request.
type envelope[M any] struct {
	request bool
	from    spec.NodeID
	msg     M
	// cause is the sequence number of the step that sent the message (0
	// when not recording), send which of its outputs it is; copy marks a
	// copy the network made.
	cause uint64
	send  int32
	copy  bool
	// origin is, for a message from another process, that process's
	// incarnation (Transport): cause and send are then its step's.
	origin uint64
}

// mailbox is a node's unbounded inbox: senders never block (two nodes
// sending to each other cannot deadlock), and the node takes everything
// waiting at once, swapping buffers, so a steady flow allocates nothing.
type mailbox[M any] struct {
	mu     sync.Mutex
	q      []envelope[M]
	closed bool
	ready  chan struct{} // one token: something is waiting
}

func newMailbox[M any]() *mailbox[M] {
	return &mailbox[M]{ready: make(chan struct{}, 1)}
}

// push adds e, or reports false if the node is down.
func (b *mailbox[M]) push(e envelope[M]) bool {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return false
	}
	b.q = append(b.q, e)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
	return true
}

// take returns everything waiting, handing spare (emptied) to the mailbox
// as its next buffer.
func (b *mailbox[M]) take(spare []envelope[M]) []envelope[M] {
	b.mu.Lock()
	q := b.q
	b.q = spare[:0]
	b.mu.Unlock()
	return q
}

// close refuses further pushes and returns what was waiting.
func (b *mailbox[M]) close() []envelope[M] {
	b.mu.Lock()
	q := b.q
	b.q, b.closed = nil, true
	b.mu.Unlock()
	select {
	case <-b.ready:
	default:
	}
	return q
}

// open accepts pushes again.
func (b *mailbox[M]) open() {
	b.mu.Lock()
	b.closed = false
	b.mu.Unlock()
}
