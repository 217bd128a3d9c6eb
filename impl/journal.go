package impl

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"strings"
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
// incarnation, and is skipped. Lines hold the input, a hash of the
// outputs (Step regenerates them on replay: a Raft leader's outputs carry
// log suffixes, and written out in full they would dwarf the rest), a hash
// of the state after the step, and for a Recover step the state the
// store gave back; not every whole state, which would make the file grow
// as the square of a log.

// JournalLine is one line of a journal.
type JournalLine[S, M any] struct {
	// Incarnation, on a header line, starts a new process.
	Incarnation *JournalHeader `json:"incarnation,omitempty"`
	Seq         uint64         `json:"seq,omitempty"`
	// At is the wall-clock time of the step.
	At    time.Time     `json:"at"`
	Node  spec.NodeID   `json:"node"`
	Input spec.Input[M] `json:"input"`
	// Out is the hash of the step's outputs (OutputsHash).
	Out uint64 `json:"out,omitempty"`
	// Hash is the hash of the state after the step (0: not recorded,
	// Journal.HashEvery), or on a Saved line of the state saved.
	Hash   uint64    `json:"hash,omitempty"`
	Loaded *S        `json:"loaded,omitempty"`
	Kind   EventKind `json:"kind"`
	// Saved marks a line written after the node's store saved the
	// persisted state whose hash is Hash (JournalStore).
	Saved bool `json:"saved,omitempty"`
	// Cause, Send and Origin are, for the receipt of a message from
	// another process, the Seq and output of the step that sent it, and
	// that process's incarnation (Event.Origin); for one from this
	// process, the sending step's Seq and output (Origin 0).
	Cause  uint64 `json:"cause,omitempty"`
	Send   int    `json:"send,omitempty"`
	Origin uint64 `json:"origin,omitempty"`
}

// JournalHeader starts an incarnation.
type JournalHeader struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	// Incarnation is the number that names this process in other
	// processes' records (TCPConfig.Incarnation, Event.Origin).
	Incarnation uint64 `json:"id"`
}

// Journal appends a node's steps to its file. Record is a Config.OnEvent.
type Journal[S, M any] struct {
	p         spec.Protocol[S, M]
	mu        sync.Mutex
	f         *os.File
	err       error
	lastSaved map[spec.NodeID]uint64
	every     int // a step line carries its state's hash every every steps
	steps     int
	inc       uint64
}

// Incarnation is the number that names this incarnation of the process.
func (j *Journal[S, M]) Incarnation() uint64 { return j.inc }

// HashEvery makes only every k-th step line carry the hash of its state
// (k ≥ 1; 1, the default, hashes every step). Hashing a state encodes all
// of it — a Raft log included — so a long-running process hashes
// sparingly; the outputs of every step are still compared (by hash), and
// every marked save still carries its hash (JournalStore).
func (j *Journal[S, M]) HashEvery(k int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.every = max(k, 1)
}

// OpenJournal opens (creating it if need be) the journal at path for a new
// incarnation named incarnation (0: drawn at random; Journal.Incarnation
// says), and writes its header.
func OpenJournal[S, M any](path string, p spec.Protocol[S, M], incarnation uint64) (*Journal[S, M], error) {
	for incarnation == 0 {
		incarnation = rand.Uint64()
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	j := &Journal[S, M]{p: p, f: f, lastSaved: map[spec.NodeID]uint64{}, every: 1, inc: incarnation}
	// A line cut short by a kill is ended, so that the header starts a line.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			f.Write([]byte("\n"))
		}
	}
	j.write(JournalLine[S, M]{Incarnation: &JournalHeader{PID: os.Getpid(), Started: time.Now(), Incarnation: incarnation}})
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

// OutputsHash is the hash a journal keeps of a step's outputs: FNV-1a of
// each output's kind, destination, timer and message's canonical encoding.
func OutputsHash[S, M any](p spec.Protocol[S, M], outs []spec.Output[M]) uint64 {
	h := fnv.New64a()
	var b []byte
	for _, o := range outs {
		b = append(b[:0], byte(o.Kind), byte(o.Timer))
		b = binary.LittleEndian.AppendUint64(b, uint64(o.To))
		b = p.AppendMsg(b, o.Msg)
		b = binary.LittleEndian.AppendUint64(b, uint64(len(b)))
		h.Write(b)
	}
	return h.Sum64()
}

// formatOutputs describes outputs on one line.
func formatOutputs[S, M any](p spec.Protocol[S, M], outs []spec.Output[M]) string {
	var parts []string
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			parts = append(parts, fmt.Sprintf("send n%d %s", o.To, p.FormatMsg(o.Msg)))
		case spec.Observe:
			parts = append(parts, "observe "+p.FormatMsg(o.Msg))
		default:
			parts = append(parts, fmt.Sprintf("%s %s", o.Kind, p.TimerName(o.Timer)))
		}
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, "; ")
}

// Record writes a step's line (other events are not journalled).
func (j *Journal[S, M]) Record(e Event[S, M]) {
	if e.Kind != StepEvent {
		return
	}
	j.mu.Lock()
	j.steps++
	hash := j.steps%j.every == 0
	j.mu.Unlock()
	l := JournalLine[S, M]{Seq: e.Seq, At: time.Now(), Node: e.Node, Input: e.Input, Out: OutputsHash(j.p, e.Outputs), Kind: e.Kind}
	if hash || e.Input.Kind == spec.Start || e.Input.Kind == spec.Recover {
		l.Hash = StateHash(j.p, e.State)
	}
	if e.Input.Kind == spec.Recover {
		l.Loaded = &e.Loaded
	}
	if e.Input.Kind == spec.Receive {
		l.Cause, l.Send, l.Origin = e.Cause, e.Send, e.Origin
	}
	j.write(l)
}

// JournalStore wraps node's store so that each save is marked in the
// journal (a line after the save returns), which lets ReplayJournal tell
// exactly which states a recovery may start from.
func JournalStore[S, M any](st Store[S], j *Journal[S, M], node spec.NodeID) Store[S] {
	return &journalStore[S, M]{Store: st, j: j, node: node}
}

type journalStore[S, M any] struct {
	Store[S]
	j    *Journal[S, M]
	node spec.NodeID
}

func (s *journalStore[S, M]) Save(st S) error {
	if err := s.Store.Save(st); err != nil {
		return err
	}
	h := StateHash(s.j.p, st)
	s.j.mu.Lock()
	same := s.j.lastSaved[s.node] == h
	s.j.lastSaved[s.node] = h
	s.j.mu.Unlock()
	if !same {
		s.j.write(JournalLine[S, M]{Saved: true, Node: s.node, Hash: h})
	}
	return nil
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
	// Behind counts incarnations whose store held a state from before
	// their predecessor's last journalled step: killed between journalling
	// steps and saving their state.
	Behind int
	// Saves counts the saves marked (JournalStore).
	Saves int
}

// ReplayJournal reads the journal at path and replays it through p's
// Step: within an incarnation every step from the state the previous one
// left (Init at Start, what the store gave back at Recover) must give the
// journalled outputs' hash and a state of the journalled hash; across
// incarnations, the state a Recover starts from must be what Crash keeps
// of a state the node reached after its last marked save (JournalStore),
// or since its incarnation began if no save is marked (Behind: not the
// last one); and each marked save must be of what Crash keeps of the
// state after the last journalled step. The first difference is an error
// naming the line.
func ReplayJournal[S, M any](path string, p spec.Protocol[S, M]) (JournalReport, error) {
	var rep JournalReport
	f, err := os.Open(path)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	type nodeReplay struct {
		cur   S // the state after the node's last step
		steps int
		inInc bool // a step of the current incarnation was read
		saved bool // a save of the node is marked
		// since holds the hashes of what Crash keeps of each state the
		// node reached since its last marked save (or the incarnation's
		// start), with the number of steps after it.
		since map[uint64]int
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
			n = &nodeReplay{since: map[uint64]int{}}
			nodes[l.Node] = n
		}
		crashHash := func(s S) uint64 { return StateHash(p, p.Crash(s)) }
		if l.Saved {
			if !n.inInc {
				return rep, fmt.Errorf("journal %s: line %d: node %d saved a state before its first step", path, lineNo, l.Node)
			}
			if h := crashHash(n.cur); h != l.Hash {
				return rep, fmt.Errorf("journal %s: line %d: node %d's store saved a state (hash %x) that is not what Crash keeps of its last journalled state (%x)", path, lineNo, l.Node, l.Hash, h)
			}
			clear(n.since)
			n.since[l.Hash] = 0
			n.saved = true
			rep.Saves++
			continue
		}
		var s S
		switch {
		case l.Input.Kind == spec.Start:
			if n.saved && !n.inInc {
				return rep, fmt.Errorf("journal %s: line %d: node %d started afresh after a save: its store lost it", path, lineNo, l.Node)
			}
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
				behind, ok := n.since[StateHash(p, s)]
				if !ok {
					return rep, fmt.Errorf("journal %s: line %d: node %d's store gave back a state that is what Crash keeps of no state it reached since its last save: %v", path, lineNo, l.Node, sameState(p, p.Crash(n.cur), s))
				}
				if behind > 0 {
					rep.Behind++
				}
			}
		case !n.inInc:
			return rep, fmt.Errorf("journal %s: line %d: node %d's first step in an incarnation is %s, not start or recover", path, lineNo, l.Node, l.Input.Kind)
		default:
			s = n.cur
		}
		next, outs := p.Step(s, l.Input)
		if h := OutputsHash(p, outs); h != l.Out {
			return rep, fmt.Errorf("journal %s: line %d (node %d, %s): the replayed outputs hash to %x, the journal says %x; replayed: %s", path, lineNo, l.Node, l.Input.Kind, h, l.Out, formatOutputs(p, outs))
		}
		if l.Hash == 0 {
			// not hashed (Journal.HashEvery)
		} else if h := StateHash(p, next); h != l.Hash {
			return rep, fmt.Errorf("journal %s: line %d (node %d, %s): the replayed state %s hashes to %x, the journal says %x", path, lineNo, l.Node, l.Input.Kind, p.FormatState(next), h, l.Hash)
		}
		if !n.inInc {
			clear(n.since) // a new incarnation: it may not go back before its start
			n.since[crashHash(s)] = 0
		}
		for h := range n.since {
			n.since[h]++
		}
		n.since[crashHash(next)] = 0
		n.cur = next
		n.steps++
		n.inInc = true
		rep.Steps++
	}
	if pendingBad > 0 {
		rep.Torn++
	}
	return rep, nil
}
