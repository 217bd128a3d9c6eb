package impl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/distsys/distsys/spec"
)

// MergeJournals merges the journals of a cluster's node processes into
// one Run, for Run.Trace: each journal is first replayed (ReplayJournal:
// a journal that does not replay is refused), then its steps are rebuilt
// through Step — outputs and states, which a journal does not keep — a
// crash is put before each recovery, and the steps of all journals are
// ordered so that every receipt comes after the step that sent it (a
// receipt names the sending process's incarnation and step: Origin,
// Cause), and otherwise by the wall-clock time each step was journalled.
// A receipt whose send is in no journal (a tail cut by a kill) keeps no
// cause. The Run's Seq, Cause and At are the merged order's.
func MergeJournals[S, M any](p spec.Protocol[S, M], paths ...string) (*Run[S, M], error) {
	type key struct{ inc, seq uint64 }
	type item struct {
		ev  Event[S, M]
		at  time.Time
		key key  // zero for a crash
		dep *key // a receipt: the step that sent the message
	}
	var queues [][]item
	all := map[key]bool{}
	var t0 time.Time
	for _, path := range paths {
		if _, err := ReplayJournal(path, p); err != nil {
			return nil, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var q []item
		var inc uint64
		cur := map[spec.NodeID]S{}
		r := bufio.NewReader(bytes.NewReader(data))
		for {
			line, err := r.ReadBytes('\n')
			if len(line) == 0 && errors.Is(err, io.EOF) {
				break
			}
			var l JournalLine[S, M]
			if json.Unmarshal(bytes.TrimSpace(line), &l) != nil || l.Saved {
				continue // a torn line (ReplayJournal allowed it), a save mark
			}
			if l.Incarnation != nil {
				inc = l.Incarnation.Incarnation
				continue
			}
			var s S
			switch l.Input.Kind {
			case spec.Start:
				s = p.Init(l.Node)
			case spec.Recover:
				s = *l.Loaded
				if prev, ok := cur[l.Node]; ok {
					q = append(q, item{ev: Event[S, M]{Kind: CrashEvent, Node: l.Node, State: p.Crash(prev)}, at: l.At.Add(-time.Nanosecond)})
				}
			default:
				s = cur[l.Node]
			}
			next, outs := p.Step(s, l.Input)
			cur[l.Node] = next
			it := item{at: l.At, key: key{inc, l.Seq},
				ev: Event[S, M]{Kind: StepEvent, Node: l.Node, Input: l.Input, Outputs: outs, State: next}}
			if l.Input.Kind == spec.Recover {
				it.ev.Loaded = s
			}
			if l.Input.Kind == spec.Receive && l.Cause != 0 {
				origin := l.Origin
				if origin == 0 {
					origin = inc
				}
				it.dep, it.ev.Send = &key{origin, l.Cause}, l.Send
			}
			all[it.key] = true
			if t0.IsZero() || l.At.Before(t0) {
				t0 = l.At
			}
			q = append(q, it)
		}
		queues = append(queues, q)
	}
	run := &Run[S, M]{Protocol: p}
	seqOf := map[key]uint64{}
	heads := make([]int, len(queues))
	for {
		best, bestReady := -1, false
		for qi, q := range queues {
			if heads[qi] == len(q) {
				continue
			}
			it := &q[heads[qi]]
			ready := true
			if it.dep != nil && all[*it.dep] {
				_, ready = seqOf[*it.dep]
			}
			if best < 0 || ready && !bestReady || ready == bestReady && it.at.Before(queues[best][heads[best]].at) {
				best, bestReady = qi, ready
			}
		}
		if best < 0 {
			break
		}
		it := queues[best][heads[best]]
		heads[best]++
		ev := it.ev
		ev.Seq = uint64(len(run.Events) + 1)
		ev.At = it.at.Sub(t0)
		if it.dep != nil {
			ev.Cause = seqOf[*it.dep] // 0 if the send is in no journal
		}
		if ev.Kind == StepEvent {
			seqOf[it.key] = ev.Seq
			run.Stats.Steps++
			if ev.Input.Kind == spec.Recover {
				run.Stats.Restarts++
			}
		} else {
			run.Stats.Crashes++
		}
		run.Events = append(run.Events, ev)
		run.Elapsed = ev.At
	}
	if len(run.Events) == 0 {
		return nil, fmt.Errorf("journals %v hold no step", paths)
	}
	return run, nil
}
