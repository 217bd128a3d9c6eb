package impl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"sync"
	"time"

	"github.com/distsys/distsys/spec"
)

// A journal is what a node process records of its own steps, so that they
// can be replayed through Step after the process is gone — killed with
// kill -9 included. It is a file of JSON lines, appended to by every
// incarnation of the process: first a header line {"incarnation": {...}},
// then one line per step (JournalLine), written with one write(2) as the
// step happens, before the step's state is saved (Config.OnEvent): a
// process killed in between leaves its journal one step ahead of its
// store, never behind. A line cut short by a kill is the last of its
// incarnation, and is skipped. Lines hold the input, the outputs, a hash
// of the state after the step, and for a Recover step the state the
// store gave back; not every whole state, which would make the file grow
// as the square of a log.

// JournalLine is one line of a journal.
type JournalLine[S, M any] struct {
	// Incarnation, on a header line, starts a new process.
	Incarnation *JournalHeader `json:"incarnation,omitempty"`
	Seq         uint64         `json:"seq,omitempty"`
	// At is the wall-clock time of the step.
	At      time.Time        `json:"at"`
	Node    spec.NodeID      `json:"node"`
	Input   spec.Input[M]    `json:"input"`
	Outputs []spec.Output[M] `json:"outputs,omitempty"`
	Hash    uint64           `json:"hash"`
	Loaded  *S               `json:"loaded,omitempty"`
	Kind    EventKind        `json:"kind"`
}

// JournalHeader starts an incarnation.
type JournalHeader struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

// Journal appends a node's steps to its file. Record is a Config.OnEvent.
type Journal[S, M any] struct {
	p   spec.Protocol[S, M]
	mu  sync.Mutex
	f   *os.File
	err error
}

// OpenJournal opens (creating it if need be) the journal at path for a new
// incarnation, and writes its header.
func OpenJournal[S, M any](path string, p spec.Protocol[S, M]) (*Journal[S, M], error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	j := &Journal[S, M]{p: p, f: f}
	// A line cut short by a kill is ended, so that the header starts a line.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			f.Write([]byte("\n"))
		}
	}
	j.write(JournalLine[S, M]{Incarnation: &JournalHeader{PID: os.Getpid(), Started: time.Now()}})
	if j.err != nil {
		f.Close()
		return nil, j.err
	}
	return j, nil
}

// StateHash is the hash a journal keeps of a state: FNV-1a of its
// canonical encoding.
func StateHash[S, M any](p spec.Protocol[S, M], s S) uint64 {
	h := fnv.New64a()
	h.Write(p.AppendState(nil, s))
	return h.Sum64()
}

// Record writes a step's line (other events are not journalled).
func (j *Journal[S, M]) Record(e Event[S, M]) {
	if e.Kind != StepEvent {
		return
	}
	l := JournalLine[S, M]{Seq: e.Seq, At: time.Now(), Node: e.Node, Input: e.Input, Outputs: e.Outputs, Hash: StateHash(j.p, e.State), Kind: e.Kind}
	if e.Input.Kind == spec.Recover {
		l.Loaded = &e.Loaded
	}
	j.write(l)
}

func (j *Journal[S, M]) write(l JournalLine[S, M]) {
	data, err := json.Marshal(l)
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return
	}
	if err != nil {
		j.err = fmt.Errorf("journal: %w", err)
		return
	}
	if _, err := j.f.Write(append(data, '\n')); err != nil {
		j.err = fmt.Errorf("journal: %w", err)
	}
}

// Err is the first error writing the journal, if any.
func (j *Journal[S, M]) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// Close closes the file.
func (j *Journal[S, M]) Close() error { return j.f.Close() }

// JournalReport sums up a journal's replay.
type JournalReport struct {
	Incarnations, Steps int
	// Torn counts lines cut short by a kill (skipped).
	Torn int
	// Ahead counts incarnations whose store held the state from before
	// their predecessor's last journalled step: killed between journalling
	// a step and saving its state.
	Ahead int
}

// ReplayJournal reads the journal at path and replays it through p's
// Step: within an incarnation every step from the state the previous one
// left (Init at Start, what the store gave back at Recover) must give the
// journalled outputs and a state of the journalled hash; across
// incarnations, the state a Recover starts from must be what Crash keeps
// of the state after the last journalled step, or of the one before it
// (Ahead). The first difference is an error naming the line.
func ReplayJournal[S, M any](path string, p spec.Protocol[S, M]) (JournalReport, error) {
	var rep JournalReport
	f, err := os.Open(path)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	type nodeReplay struct {
		cur, before S // the state after the node's last step, and before it
		steps       int
		inInc       bool // a step of the current incarnation was read
	}
	nodes := map[spec.NodeID]*nodeReplay{}
	var lineNo, pendingBad int // pendingBad: a line that did not parse, fine only as an incarnation's last
	for {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return rep, err
		}
		lineNo++
		line = bytes.TrimSuffix(line, []byte("\n"))
		var l JournalLine[S, M]
		if jerr := json.Unmarshal(line, &l); jerr != nil {
			if pendingBad > 0 {
				return rep, fmt.Errorf("journal %s: line %d does not parse (%v), and neither did line %d", path, lineNo, jerr, pendingBad)
			}
			pendingBad = lineNo
			continue
		}
		if l.Incarnation != nil {
			if pendingBad > 0 {
				rep.Torn++
				pendingBad = 0
			}
			rep.Incarnations++
			for _, n := range nodes {
				n.inInc = false
			}
			continue
		}
		if pendingBad > 0 {
			return rep, fmt.Errorf("journal %s: line %d does not parse, and is followed by line %d of the same incarnation: not a tail cut by a kill", path, pendingBad, lineNo)
		}
		if rep.Incarnations == 0 {
			return rep, fmt.Errorf("journal %s: line %d: a step before any incarnation header", path, lineNo)
		}
		if l.Node < 0 || int(l.Node) >= p.Nodes() {
			return rep, fmt.Errorf("journal %s: line %d: node %d of %d", path, lineNo, l.Node, p.Nodes())
		}
		n := nodes[l.Node]
		if n == nil {
			n = &nodeReplay{}
			nodes[l.Node] = n
		}
		var s S
		switch {
		case l.Input.Kind == spec.Start:
			if n.steps > 1 && !n.inInc {
				return rep, fmt.Errorf("journal %s: line %d: node %d started afresh after %d steps of earlier incarnations: its store lost them", path, lineNo, l.Node, n.steps)
			}
			s = p.Init(l.Node)
		case l.Input.Kind == spec.Recover:
			if l.Loaded == nil {
				return rep, fmt.Errorf("journal %s: line %d: a recovery without the state it started from", path, lineNo)
			}
			s = *l.Loaded
			if n.steps > 0 && !n.inInc {
				switch {
				case sameState(p, p.Crash(n.cur), s) == nil:
				case sameState(p, p.Crash(n.before), s) == nil:
					rep.Ahead++
				default:
					return rep, fmt.Errorf("journal %s: line %d: node %d's store gave back a state that is what Crash keeps neither of its last journalled state nor of the one before: %v", path, lineNo, l.Node, sameState(p, p.Crash(n.cur), s))
				}
			}
		case !n.inInc:
			return rep, fmt.Errorf("journal %s: line %d: node %d's first step in an incarnation is %s, not start or recover", path, lineNo, l.Node, l.Input.Kind)
		default:
			s = n.cur
		}
		next, outs := p.Step(s, l.Input)
		if !sameOutputs(p, l.Outputs, outs) {
			return rep, fmt.Errorf("journal %s: line %d (node %d, %s): outputs differ from the journalled ones (-journalled +replayed):\n%s", path, lineNo, l.Node, l.Input.Kind, diff(l.Outputs, outs))
		}
		if h := StateHash(p, next); h != l.Hash {
			return rep, fmt.Errorf("journal %s: line %d (node %d, %s): the replayed state %s hashes to %x, the journal says %x", path, lineNo, l.Node, l.Input.Kind, p.FormatState(next), h, l.Hash)
		}
		n.before, n.cur = s, next
		n.steps++
		n.inInc = true
		rep.Steps++
	}
	if pendingBad > 0 {
		rep.Torn++
	}
	return rep, nil
}
