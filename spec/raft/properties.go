package raft

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	PropElectionSafety     = "election-safety"
	PropOneVote            = "one-vote-per-term"
	PropTermMonotonic      = "term-monotonic"
	PropLeaderAppendOnly   = "leader-append-only"
	PropLogMatching        = "log-matching"
	PropLeaderCompleteness = "leader-completeness"
	PropStateMachine       = "state-machine-safety"
	PropCommitMonotonic    = "commit-monotonic"
	PropCommitInLog        = "commit-within-log"
	PropAckMonotonic       = "acked-monotonic"
	PropSentBacksOff       = "sent-backs-off"

	// The "sometimes" properties.
	ReachLeaderElected       = "leader-elected"
	ReachCommittedEverywhere = "committed-everywhere"
	ReachLeaderReplaced      = "leader-replaced"
)

type (
	view  = spec.View[State, Msg]
	event = spec.Event[Msg]
)

// Properties are Raft's safety properties (course 6.2) and sometimes
// properties showing that elections, commits and fail-over happen. Election
// safety and one vote per term are over all time: they read the ghost
// history of leaders and votes (each node's order is enough).
func Properties() []spec.Property[State, Msg] {
	local := spec.NeedsLocalOrder
	return []spec.Property[State, Msg]{
		{Name: PropElectionSafety, Kind: spec.Always, Needs: local, State: checkElectionSafety,
			Doc: "at most one leader per term, over all time"},
		{Name: PropOneVote, Kind: spec.Always, Needs: local, State: checkOneVote,
			Doc: "a node votes for at most one candidate per term, across crashes too"},
		{Name: PropTermMonotonic, Kind: spec.OnTransition, Step: checkTermMonotonic,
			Doc: "currentTerm never decreases"},
		{Name: PropLeaderAppendOnly, Kind: spec.OnTransition, Step: checkAppendOnly,
			Doc: "a leader only appends to its log"},
		{Name: PropLogMatching, Kind: spec.Always, State: checkLogMatching,
			Doc: "two logs with an entry of the same index and term agree up to it"},
		{Name: PropLeaderCompleteness, Kind: spec.Always, Needs: local, State: checkLeaderCompleteness,
			Doc: "an entry committed in term t is in the log of every leader of a later term"},
		{Name: PropStateMachine, Kind: spec.Always, State: checkStateMachine,
			Doc: "the committed prefixes of any two nodes agree (delivered sequences are prefix-comparable)"},
		{Name: PropCommitMonotonic, Kind: spec.OnTransition, Step: checkCommitMonotonic,
			Doc: "commitLength never decreases, across crashes too"},
		{Name: PropCommitInLog, Kind: spec.Always, State: checkCommitInLog,
			Doc: "commitLength never exceeds the log"},
		{Name: PropAckMonotonic, Kind: spec.OnTransition, Step: checkAckMonotonic,
			Doc: "a leader's ackedLength of a follower never decreases within a term"},
		{Name: PropSentBacksOff, Kind: spec.OnTransition, Step: checkSentBacksOff,
			Doc: "within a term, a leader's sentLength of a follower rises only to what the follower acknowledged: a refusal moves it back"},
		{Name: ReachLeaderElected, Kind: spec.Sometimes, Needs: local, Reach: reachLeader,
			Doc: "some node becomes leader"},
		{Name: ReachCommittedEverywhere, Kind: spec.Sometimes, Reach: reachCommittedEverywhere,
			Doc: "an entry is committed on every node"},
		{Name: ReachLeaderReplaced, Kind: spec.Sometimes, Needs: local, Reach: reachLeaderReplaced,
			Doc: "a leader crashes and another node leads a later term"},
	}
}

func checkElectionSafety(v view) error {
	var leader byTerm[int8] // by term: 1 + the node that led it
	for _, e := range v.History() {
		if e.Obs.Kind != BecameLeader {
			continue
		}
		if l := leader.get(e.Obs.Term); l != 0 && l-1 != e.Obs.From {
			return fmt.Errorf("n%d and n%d both became leader of term %d", l-1, e.Obs.From, e.Obs.Term)
		}
		leader.set(e.Obs.Term, e.Obs.From+1)
	}
	return nil
}

func checkOneVote(v view) error {
	var vote [MaxNodes]byTerm[int8] // 1 + candidate, by voter and term
	for _, e := range v.History() {
		if e.Obs.Kind != Voted {
			continue
		}
		c := &vote[e.Obs.From]
		if was := c.get(e.Obs.Term); was != 0 && was-1 != e.Obs.Candidate {
			return fmt.Errorf("n%d voted for n%d and for n%d in term %d", e.Obs.From, was-1, e.Obs.Candidate, e.Obs.Term)
		}
		c.set(e.Obs.Term, e.Obs.Candidate+1)
	}
	return nil
}

// byTerm maps a term to a value: an array for the checker's terms (below
// 8), a map beyond them (the runtime's).
type byTerm[V comparable] struct {
	small [8]V
	big   map[int32]V
}

func (t *byTerm[V]) get(term int32) V {
	if 0 <= term && term < int32(len(t.small)) {
		return t.small[term]
	}
	return t.big[term]
}

func (t *byTerm[V]) set(term int32, v V) {
	if 0 <= term && term < int32(len(t.small)) {
		t.small[term] = v
		return
	}
	if t.big == nil {
		t.big = map[int32]V{}
	}
	t.big[term] = v
}

func checkTermMonotonic(before, after view) error {
	for i := range after.Nodes() {
		id := spec.NodeID(i)
		if b, a := before.State(id).Term, after.State(id).Term; a < b {
			return fmt.Errorf("n%d's term went from %d back to %d", i, b, a)
		}
	}
	return nil
}

func checkAppendOnly(before, after view) error {
	for i := range after.Nodes() {
		id := spec.NodeID(i)
		b, a := before.State(id), after.State(id)
		if b.Role == Leader && a.Role == Leader && a.Term == b.Term && !a.Log.HasPrefix(b.Log) {
			return fmt.Errorf("leader n%d of term %d changed its log from %s to %s", i, a.Term, b.Log, a.Log)
		}
	}
	return nil
}

func checkLogMatching(v view) error {
	for i := range v.Nodes() {
		a := v.State(spec.NodeID(i)).Log
		for j := i + 1; j < v.Nodes(); j++ {
			b := v.State(spec.NodeID(j)).Log
			for k := min(a.Len(), b.Len()) - 1; k >= 0; k-- {
				if a.At(k).Term == b.At(k).Term {
					if !b.HasPrefix(a.Slice(0, k+1)) {
						return fmt.Errorf("n%d and n%d both have an entry of term %d at index %d but differ before it: %s vs %s", i, j, a.At(k).Term, k+1, a, b)
					}
					break
				}
			}
		}
	}
	return nil
}

// commitTerms gives, per index (from 1), the committed entry and the
// earliest term in which some node delivered it: it was committed by then.
// It extends entry and in (indexed by Raft index, 0 unused) as far as the
// highest index delivered.
func commitTerms(v view, entry []Entry, in []int32) ([]Entry, []int32) {
	for _, e := range v.History() {
		if e.Obs.Kind != Delivered {
			continue
		}
		k := int(e.Obs.Index)
		for len(in) <= k {
			entry, in = append(entry, Entry{}), append(in, 0)
		}
		if in[k] == 0 || e.Obs.InTerm < in[k] {
			entry[k], in[k] = Entry{Term: e.Obs.Term, Val: e.Obs.Val, Cmd: e.Obs.Cmd}, e.Obs.InTerm
		}
	}
	return entry, in
}

// checkLeaderCompleteness: an entry committed in term t is in the log of
// every leader of a term above t. Stale leaders of earlier terms may lack
// it; only leaders are checked, in every state they lead in, so every
// leader of every term is checked while it leads.
func checkLeaderCompleteness(v view) error {
	var (
		loaded bool
		eb     [MaxEntries + 1]Entry
		ib     [MaxEntries + 1]int32
		entry  = eb[:0]
		in     = ib[:0]
	)
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if s.Role != Leader || !v.Up(spec.NodeID(i)) {
			continue
		}
		if !loaded {
			entry, in = commitTerms(v, entry, in)
			loaded = true
		}
		for k := 1; k < len(in); k++ {
			if in[k] == 0 || in[k] >= s.Term {
				continue
			}
			if k > s.Log.Len() || s.Log.At(k-1) != entry[k] {
				return fmt.Errorf("entry #%d v%d@t%d was committed by term %d, but leader n%d of term %d lacks it: %s", k, entry[k].Val, entry[k].Term, in[k], i, s.Term, s.Log)
			}
		}
	}
	return nil
}

func checkStateMachine(v view) error {
	for i := range v.Nodes() {
		a := v.State(spec.NodeID(i))
		for j := i + 1; j < v.Nodes(); j++ {
			b := v.State(spec.NodeID(j))
			n := min(int(a.Commit), int(b.Commit), a.Log.Len(), b.Log.Len())
			for k := range n {
				if x, y := a.Log.At(k), b.Log.At(k); x != y {
					return fmt.Errorf("n%d and n%d committed different entries at index %d: v%d@t%d and v%d@t%d", i, j, k+1, x.Val, x.Term, y.Val, y.Term)
				}
			}
		}
	}
	return nil
}

func checkCommitMonotonic(before, after view) error {
	for i := range after.Nodes() {
		id := spec.NodeID(i)
		if b, a := before.State(id).Commit, after.State(id).Commit; a < b {
			return fmt.Errorf("n%d's commitLength went from %d back to %d", i, b, a)
		}
	}
	return nil
}

func checkCommitInLog(v view) error {
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if int(s.Commit) > s.Log.Len() {
			return fmt.Errorf("n%d's commitLength %d exceeds its log %s", i, s.Commit, s.Log)
		}
	}
	return nil
}

func checkAckMonotonic(before, after view) error {
	for i := range after.Nodes() {
		id := spec.NodeID(i)
		b, a := before.State(id), after.State(id)
		if b.Role != Leader || a.Role != Leader || a.Term != b.Term {
			continue
		}
		for f := range after.Nodes() {
			if a.Acked[f] < b.Acked[f] {
				return fmt.Errorf("leader n%d's ackedLength of n%d went from %d back to %d in term %d", i, f, b.Acked[f], a.Acked[f], a.Term)
			}
		}
	}
	return nil
}

// checkSentBacksOff: a leader looks for the longest prefix a follower
// shares with it by moving sentLength back on each refusal; only an
// acknowledgement may move it forward, to the acknowledged length. So the
// search ends (0 always matches), whatever hints, stale or duplicated
// refusals arrive.
func checkSentBacksOff(before, after view) error {
	for i := range after.Nodes() {
		id := spec.NodeID(i)
		b, a := before.State(id), after.State(id)
		if b.Role != Leader || a.Role != Leader || a.Term != b.Term {
			continue
		}
		for f := range after.Nodes() {
			if f != i && a.Sent[f] > b.Sent[f] && a.Sent[f] != a.Acked[f] {
				return fmt.Errorf("leader n%d's sentLength of n%d went from %d up to %d in term %d, past its ackedLength %d", i, f, b.Sent[f], a.Sent[f], a.Term, a.Acked[f])
			}
		}
	}
	return nil
}

func reachLeader(v view) bool {
	for _, e := range v.History() {
		if e.Obs.Kind == BecameLeader {
			return true
		}
	}
	return false
}

func reachCommittedEverywhere(v view) bool {
	for i := range v.Nodes() {
		if v.State(spec.NodeID(i)).Commit == 0 {
			return false
		}
	}
	return true
}

func reachLeaderReplaced(v view) bool {
	for _, e := range v.History() {
		if e.Obs.Kind != BecameLeader || v.Correct(spec.NodeID(e.Obs.From)) {
			continue
		}
		for _, f := range v.History() {
			if f.Obs.Kind == BecameLeader && f.Obs.Term > e.Obs.Term && f.Obs.From != e.Obs.From {
				return true
			}
		}
	}
	return false
}
