package impl

import (
	"sync"

	"github.com/distsys/distsys/spec"
)

// Store keeps one node's persisted state: what Protocol.Crash returns.
// The driver saves the persisted part after every step, before it carries
// out any of the step's outputs, and loads it when the node restarts.
type Store[S any] interface {
	// Load returns the last state saved, or ok = false if none was.
	Load() (s S, ok bool, err error)
	// Save makes s durable before it returns. It may skip a state equal
	// to the last one saved.
	Save(s S) error
	// Close releases the store; the node reopens it when it restarts.
	Close() error
}

// MemStore keeps the persisted state in memory: it survives a node's
// crash but not the process. Saving is one assignment, with no encoding.
// Its zero value is ready to use.
type MemStore[S any] struct {
	mu    sync.Mutex
	s     S
	saved bool
}

// Load returns the last state saved.
func (m *MemStore[S]) Load() (S, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.s, m.saved, nil
}

// Save keeps s.
func (m *MemStore[S]) Save(s S) error {
	m.mu.Lock()
	m.s, m.saved = s, true
	m.mu.Unlock()
	return nil
}

// Close does nothing: the state stays for the next Load.
func (m *MemStore[S]) Close() error { return nil }

// MemStores returns a Config.Stores that gives each node its own MemStore,
// the same one at every restart.
func MemStores[S any](n int) func(node spec.NodeID) (Store[S], error) {
	stores := make([]MemStore[S], n)
	return func(node spec.NodeID) (Store[S], error) { return &stores[node], nil }
}
