package main

import (
	"encoding/binary"
	"fmt"
	"sync"
)

// ProposalSize is the size of every proposal in bytes.
const ProposalSize = 16

// Keys is the key space of the replicated store. It is small and fixed so
// that the store, and the snapshot each implementation takes of it to
// compact its log, have the same constant size for every implementation.
const Keys = 1024

// proposal builds the 16-byte command "put(key, val)" of request id: bytes
// 0-7 the request id (client << 40 | sequence number), 8-11 the key, 12-15
// the value. The id lets the leader tell a waiting client that its own
// request was applied.
func proposal(client, seq int) []byte {
	b := make([]byte, ProposalSize)
	id := uint64(client)<<40 | uint64(seq)
	binary.LittleEndian.PutUint64(b[0:8], id)
	binary.LittleEndian.PutUint32(b[8:12], uint32(seq*131+client)%Keys)
	binary.LittleEndian.PutUint32(b[12:16], uint32(seq))
	return b
}

// requestID is the id of a proposal; clientOf its client.
func requestID(p []byte) uint64 { return binary.LittleEndian.Uint64(p[0:8]) }

func clientOf(id uint64) int { return int(id >> 40) }

// store is the replicated state machine: one value per key, and how many
// commands it applied. Every node of every implementation applies every
// committed proposal to its own store.
type store struct {
	mu      sync.Mutex // the hashicorp FSM is read by its snapshot goroutine
	vals    [Keys]uint32
	applied uint64
}

// apply runs one 16-byte command.
func (s *store) apply(p []byte) error {
	if len(p) != ProposalSize {
		return fmt.Errorf("command of %d bytes, want %d", len(p), ProposalSize)
	}
	s.mu.Lock()
	s.vals[binary.LittleEndian.Uint32(p[8:12])%Keys] = binary.LittleEndian.Uint32(p[12:16])
	s.applied++
	s.mu.Unlock()
	return nil
}

// snapshot encodes the store: what each implementation keeps in place of
// the log entries it compacts away.
func (s *store) snapshot() []byte {
	b := make([]byte, 8+4*Keys)
	s.mu.Lock()
	binary.LittleEndian.PutUint64(b, s.applied)
	for i, v := range s.vals {
		binary.LittleEndian.PutUint32(b[8+4*i:], v)
	}
	s.mu.Unlock()
	return b
}

// restore replaces the store with a snapshot.
func (s *store) restore(b []byte) error {
	if len(b) != 8+4*Keys {
		return fmt.Errorf("snapshot of %d bytes, want %d", len(b), 8+4*Keys)
	}
	s.mu.Lock()
	s.applied = binary.LittleEndian.Uint64(b)
	for i := range s.vals {
		s.vals[i] = binary.LittleEndian.Uint32(b[8+4*i:])
	}
	s.mu.Unlock()
	return nil
}

// count is how many commands the store applied.
func (s *store) count() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied
}

// mailbox is a node's unbounded inbox. put never blocks (so two nodes
// sending to each other cannot deadlock, and nothing is dropped); the
// owner's loop wakes on ready and takes everything queued at once.
// Messages are Go values: nothing is serialised.
type mailbox[T any] struct {
	mu    sync.Mutex
	q     []T
	ready chan struct{}
}

func newMailbox[T any]() *mailbox[T] { return &mailbox[T]{ready: make(chan struct{}, 1)} }

func (m *mailbox[T]) put(v T) {
	m.mu.Lock()
	m.q = append(m.q, v)
	m.mu.Unlock()
	select {
	case m.ready <- struct{}{}:
	default:
	}
}

// take returns everything queued and keeps spare (emptied) as the next
// queue, so that two slices alternate and a steady state allocates nothing.
func (m *mailbox[T]) take(spare []T) []T {
	clear(spare)
	m.mu.Lock()
	q := m.q
	m.q = spare[:0]
	m.mu.Unlock()
	return q
}
