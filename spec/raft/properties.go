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
	PropLogTermsMonotonic  = "log-terms-monotonic"
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
	ReachSnapshotInstalled   = "snapshot-installed"
)

type (
	view  = spec.View[State, Msg]
	event = spec.Event[Msg]
)

// Properties are Raft's safety properties (course 6.2) and sometimes
// properties showing that elections, commits and fail-over happen. Election
// safety and one vote per term are over all time: they read the ghost
// history of leaders and votes (each node's order is enough). They are
// PropertiesFor the course's replication, without pipelining.
func Properties() []spec.Property[State, Msg] { return PropertiesFor(Params{}) }

// PropertiesFor are Properties for a cluster on p: pipelined
// (p.Pipeline), a leader's sentLength also rises on a send, within the
// window, and sent-backs-off says so.
func PropertiesFor(p Params) []spec.Property[State, Msg] {
	local := spec.NeedsLocalOrder
	sentDoc := "within a term, a leader's sentLength of a follower rises only to what the follower acknowledged: a refusal moves it back"
	if p.Pipeline > 0 {
		sentDoc = "within a term, a leader's sentLength of a follower rises only to what the follower acknowledged, " +
			"or on a send to at most ackedLength plus the window (or the leader's snapshot): a refusal moves it back"
	}
	return []spec.Property[State, Msg]{
		{Name: PropElectionSafety, Kind: spec.Always, Needs: local, State: checkElectionSafety,
			Doc: "at most one leader per term, over all time"},
		{Name: PropOneVote, Kind: spec.Always, Needs: local, State: checkOneVote,
			Doc: "a node votes for at most one candidate per term, across crashes too"},
		{Name: PropTermMonotonic, Kind: spec.OnTransition, NodeStep: checkTermMonotonic,
			Doc: "currentTerm never decreases"},
		{Name: PropLeaderAppendOnly, Kind: spec.OnTransition, NodeStep: checkAppendOnly,
			Doc: "a leader only appends to its log"},
		{Name: PropLogMatching, Kind: spec.Always, State: checkLogMatching,
			Doc: "two logs with an entry of the same index and term agree up to it (snapshots compared by digest)"},
		{Name: PropLogTermsMonotonic, Kind: spec.Always, State: checkLogTermsMonotonic,
			Doc: "along a log, its snapshot's last entry first, terms never decrease"},
		{Name: PropLeaderCompleteness, Kind: spec.Always, Needs: local, State: checkLeaderCompleteness,
			Doc: "an entry committed in term t is in the log of every leader of a later term"},
		{Name: PropStateMachine, Kind: spec.Always, State: checkStateMachine,
			Doc: "the committed prefixes of any two nodes agree (delivered sequences are prefix-comparable; snapshots compared by digest)"},
		{Name: PropCommitMonotonic, Kind: spec.OnTransition, NodeStep: checkCommitMonotonic,
			Doc: "commitLength never decreases, across crashes too"},
		{Name: PropCommitInLog, Kind: spec.Always, State: checkCommitInLog,
			Doc: "commitLength never exceeds the log, and a snapshot covers only committed entries"},
		{Name: PropAckMonotonic, Kind: spec.OnTransition, NodeStep: checkAckMonotonic,
			Doc: "a leader's ackedLength of a follower never decreases within a term"},
		{Name: PropSentBacksOff, Kind: spec.OnTransition, NodeStep: sentBacksOff(int32(max(p.Pipeline, 0))), Doc: sentDoc},
		{Name: ReachLeaderElected, Kind: spec.Sometimes, Needs: local, Reach: reachLeader,
			Doc: "some node becomes leader"},
		{Name: ReachCommittedEverywhere, Kind: spec.Sometimes, Reach: reachCommittedEverywhere,
			Doc: "an entry is committed on every node"},
		{Name: ReachLeaderReplaced, Kind: spec.Sometimes, Needs: local, Reach: reachLeaderReplaced,
			Doc: "a leader crashes and another node leads a later term"},
		{Name: ReachSnapshotInstalled, Kind: spec.Sometimes, Needs: local, Reach: reachSnapshotInstalled,
			Doc: "a follower installs a leader's snapshot (with SnapshotEvery > 0)"},
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

func checkTermMonotonic(i spec.NodeID, b, a State) error {
	if a.Term < b.Term {
		return fmt.Errorf("n%d's term went from %d back to %d", i, b.Term, a.Term)
	}
	return nil
}

func checkAppendOnly(i spec.NodeID, b, a State) error {
	if b.Role == Leader && a.Role == Leader && a.Term == b.Term && !extends(a, b) {
		return fmt.Errorf("leader n%d of term %d changed its log from %s%s to %s%s", i, a.Term, snapText(b), b.Log, snapText(a), a.Log)
	}
	return nil
}

func snapText(s State) string {
	if s.Snap.Index == 0 {
		return ""
	}
	return s.Snap.String() + " "
}

// extends reports whether a's log (snapshot and entries) starts with all
// of b's, compared by absolute index: the entries both hold one by one,
// and the prefix one of them compacted by digest.
func extends(a, b State) bool {
	if a.Len() < b.Len() {
		return false
	}
	lo := max(a.Snap.Index, b.Snap.Index)
	if lo > b.Len() {
		return true // a compacted past b's end: b's entries are inside a's snapshot, gone, and count as matching
	}
	if a.DigestAt(lo) != b.DigestAt(lo) {
		return false
	}
	for k := lo + 1; k <= b.Len(); k++ {
		if a.EntryAt(k) != b.EntryAt(k) {
			return false
		}
	}
	return true
}

// checkLogMatching: if two logs hold an entry of the same index and term,
// they agree up to it. Logs are compared by absolute index, from the
// later of the two snapshots on; the entries below it are compared by
// the digest of the prefix (a snapshot's, or one computed from the log).
func checkLogMatching(v view) error {
	for i := range v.Nodes() {
		a := v.State(spec.NodeID(i))
		for j := i + 1; j < v.Nodes(); j++ {
			b := v.State(spec.NodeID(j))
			if a.Snap.Index == 0 && b.Snap.Index == 0 {
				if err := matchPlain(i, j, a.Log, b.Log); err != nil {
					return err
				}
				continue
			}
			lo := max(a.Snap.Index, b.Snap.Index)
			for k := min(a.Len(), b.Len()); k >= lo && k > 0; k-- {
				if a.TermAt(k) != b.TermAt(k) {
					continue
				}
				if a.DigestAt(k) != b.DigestAt(k) {
					return fmt.Errorf("n%d and n%d both have an entry of term %d at index %d but differ before it: %s%s vs %s%s", i, j, a.TermAt(k), k, snapText(a), a.Log, snapText(b), b.Log)
				}
				break
			}
		}
	}
	return nil
}

// checkLogTermsMonotonic: a Raft log is a history of leaders, each
// appending after the entries of the ones before, so its terms never
// decrease — from the snapshot's last entry on. A follower that keeps
// entries of an older term after a newer snapshot breaks it.
func checkLogTermsMonotonic(v view) error {
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		last := s.Snap.Term
		for k, e := range s.Log.All() {
			if e.Term < last {
				return fmt.Errorf("n%d's log goes from term %d back to term %d at index %d: %s%s", i, last, e.Term, int(s.Snap.Index)+k+1, snapText(s), s.Log)
			}
			last = e.Term
		}
	}
	return nil
}

// matchPlain is log matching for two logs without snapshots.
func matchPlain(i, j int, a, b Log) error {
	for k := min(a.Len(), b.Len()) - 1; k >= 0; k-- {
		if a.At(k).Term == b.At(k).Term {
			if !b.HasPrefix(a.Slice(0, k+1)) {
				return fmt.Errorf("n%d and n%d both have an entry of term %d at index %d but differ before it: %s vs %s", i, j, a.At(k).Term, k+1, a, b)
			}
			break
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
			if in[k] == 0 || in[k] >= s.Term || int32(k) <= s.Snap.Index {
				continue // the leader's snapshot holds the entries it covers (state machine safety compares them)
			}
			if int32(k) > s.Len() || s.EntryAt(int32(k)) != entry[k] {
				return fmt.Errorf("entry #%d v%d@t%d was committed by term %d, but leader n%d of term %d lacks it: %s%s", k, entry[k].Val, entry[k].Term, in[k], i, s.Term, snapText(s), s.Log)
			}
		}
	}
	return nil
}

// checkStateMachine: the committed prefixes of any two nodes agree. The
// prefix both have committed is compared entry by entry from the later of
// the two snapshots on, and below it by digest; when one node's snapshot
// lies past the other's commitLength, the other's committed prefix is
// inside it, where the entries are gone, and counts as agreeing.
func checkStateMachine(v view) error {
	for i := range v.Nodes() {
		a := v.State(spec.NodeID(i))
		for j := i + 1; j < v.Nodes(); j++ {
			b := v.State(spec.NodeID(j))
			n := min(a.Commit, b.Commit, a.Len(), b.Len())
			lo := max(a.Snap.Index, b.Snap.Index)
			for k := lo + 1; k <= n; k++ {
				if x, y := a.EntryAt(k), b.EntryAt(k); x != y {
					return fmt.Errorf("n%d and n%d committed different entries at index %d: v%d@t%d and v%d@t%d", i, j, k, x.Val, x.Term, y.Val, y.Term)
				}
			}
			if lo > 0 && lo <= n && a.DigestAt(lo) != b.DigestAt(lo) {
				return fmt.Errorf("n%d and n%d committed different entries among the first %d (their digests differ): %s%s vs %s%s", i, j, lo, snapText(a), a.Log, snapText(b), b.Log)
			}
		}
	}
	return nil
}

func checkCommitMonotonic(i spec.NodeID, b, a State) error {
	if a.Commit < b.Commit {
		return fmt.Errorf("n%d's commitLength went from %d back to %d", i, b.Commit, a.Commit)
	}
	return nil
}

func checkCommitInLog(v view) error {
	for i := range v.Nodes() {
		s := v.State(spec.NodeID(i))
		if s.Commit > s.Len() {
			return fmt.Errorf("n%d's commitLength %d exceeds its log %s%s", i, s.Commit, snapText(s), s.Log)
		}
		if s.Snap.Index > s.Commit {
			return fmt.Errorf("n%d's snapshot %s goes past its commitLength %d", i, s.Snap, s.Commit)
		}
	}
	return nil
}

func checkAckMonotonic(i spec.NodeID, b, a State) error {
	if b.Role != Leader || a.Role != Leader || a.Term != b.Term {
		return nil
	}
	for f := range a.Acked {
		if a.Acked[f] < b.Acked[f] {
			return fmt.Errorf("leader n%d's ackedLength of n%d went from %d back to %d in term %d", i, f, b.Acked[f], a.Acked[f], a.Term)
		}
	}
	return nil
}

// checkSentBacksOff: a leader looks for the longest prefix a follower
// shares with it by moving sentLength back on each refusal; only an
// acknowledgement may move it forward, to the acknowledged length. So the
// search ends (0 always matches), whatever hints, stale or duplicated
// refusals arrive. Pipelined with window w > 0, a send also moves it
// forward, to at most ackedLength+w and the log's length (or to the
// leader's snapshot index, when it sends the snapshot).
func sentBacksOff(w int32) func(i spec.NodeID, b, a State) error {
	return func(i spec.NodeID, b, a State) error {
		if b.Role != Leader || a.Role != Leader || a.Term != b.Term {
			return nil
		}
		for f := range a.Sent {
			if f == int(i) || a.Sent[f] <= b.Sent[f] || a.Sent[f] == a.Acked[f] {
				continue
			}
			if w > 0 && a.Sent[f] <= a.Len() && (a.Sent[f] <= a.Acked[f]+w || a.Sent[f] == a.Snap.Index) {
				continue
			}
			return fmt.Errorf("leader n%d's sentLength of n%d went from %d up to %d in term %d, past its ackedLength %d", i, f, b.Sent[f], a.Sent[f], a.Term, a.Acked[f])
		}
		return nil
	}
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

func reachSnapshotInstalled(v view) bool {
	for _, e := range v.History() {
		if e.Obs.Kind == Installed {
			return true
		}
	}
	return false
}
