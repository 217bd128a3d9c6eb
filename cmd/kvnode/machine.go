package main

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/distsys/distsys/spec/raft"
)

// Command is a client operation as it travels in a Raft log entry (the
// entry's Cmd, in JSON). Client and Seq are its request id: a client
// numbers its operations 1, 2, … and sends a retry with the same id, so
// that the machine applies an operation once however many copies reach
// the log.
type Command struct {
	Client string `json:"client"`
	Seq    uint64 `json:"seq"`
	// Op is "put", "get" or "cas".
	Op  string `json:"op"`
	Key string `json:"key"`
	// Value is what put and cas store.
	Value string `json:"value,omitempty"`
	// Old is what cas expects to find ("" for a key that holds nothing).
	Old string `json:"old,omitempty"`
}

// Result is what an operation returned.
type Result struct {
	// Value is the key's value after the operation.
	Value string `json:"value"`
	// Found says the key held a value before the operation (get, cas).
	Found bool `json:"found"`
	// OK is false for a cas that found another value than Old.
	OK bool `json:"ok"`
	// Index is the log index of the entry that applied it.
	Index int32 `json:"index"`
}

// machine is the replicated state machine every node applies the
// committed log to, in log order: a map of keys to values, and per client
// the last request applied and its result, for exactly-once retries. It
// is rebuilt from the committed log when a node restarts.
type machine struct {
	mu       sync.Mutex
	kv       map[string]string
	sessions map[string]session
	applied  int32 // log entries applied
}

type session struct {
	seq uint64
	res Result
}

func newMachine() *machine {
	return &machine{kv: map[string]string{}, sessions: map[string]session{}}
}

// apply applies entry index (from 1) holding cmd, and returns the
// operation and its result. A copy of a request already applied gets the
// first copy's result and changes nothing; an older request of the same
// client (a copy that reached the log after the client moved on) changes
// nothing either. An entry that is not a command (garbage proposed by
// hand) changes nothing.
func (m *machine) apply(index int32, cmd string) (Command, Result, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if index <= m.applied {
		return Command{}, Result{}, false // delivered again after a rebuild
	}
	m.applied = index
	var c Command
	if json.Unmarshal([]byte(cmd), &c) != nil || c.Client == "" || c.Seq == 0 {
		return c, Result{}, false
	}
	if s, ok := m.sessions[c.Client]; ok && c.Seq <= s.seq {
		if c.Seq == s.seq {
			return c, s.res, true
		}
		return c, Result{}, false
	}
	old, found := m.kv[c.Key]
	r := Result{Value: old, Found: found, OK: true, Index: index}
	switch c.Op {
	case "put":
		m.kv[c.Key], r.Value = c.Value, c.Value
	case "cas":
		if old == c.Old {
			m.kv[c.Key], r.Value = c.Value, c.Value
		} else {
			r.OK = false
		}
	case "get":
	default:
		r.OK = false
	}
	m.sessions[c.Client] = session{c.Seq, r}
	return c, r, true
}

// rebuild applies the committed prefix of log (a node restarting).
func (m *machine) rebuild(log raft.Log, commit int32) {
	for i, e := range log.Slice(0, int(commit)).All() {
		m.apply(int32(i+1), e.Cmd)
	}
}

// size is the number of keys and the entries applied.
func (m *machine) size() (keys int, applied int32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.kv), m.applied
}

// validate reports what is wrong with an operation a client sent.
func (c Command) validate() error {
	switch {
	case c.Op != "put" && c.Op != "get" && c.Op != "cas":
		return fmt.Errorf("operation %q: want put, get or cas", c.Op)
	case c.Key == "":
		return fmt.Errorf("empty key")
	case len(c.Key) > 1024 || len(c.Value) > 1<<20 || len(c.Old) > 1<<20:
		return fmt.Errorf("key or value too large (at most 1 KiB and 1 MiB)")
	case c.Client == "" || c.Seq == 0:
		return fmt.Errorf("no request id (client and seq ≥ 1)")
	}
	return nil
}
