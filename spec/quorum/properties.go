package quorum

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names that other packages select by.
const (
	// PropReadAfterRead is the property that write-back (Params.WriteBack)
	// adds to the register's guarantees.
	PropReadAfterRead = "read-after-read"
	// PropReadAfterReadHappens is its witness: it needs two reads.
	PropReadAfterReadHappens = "read-after-read-happens"
	// PropLinearizable is the multi-writer register's property: the whole
	// history has a legal sequential order (evaluated with several
	// writers).
	PropLinearizable = "linearizable"
)

// Properties returns the register's properties: the safety properties
// read-after-write, read-after-read and replica-monotonic, and the
// sometimes properties that show their paths are taken. Checked selects
// those a configuration can evaluate.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name:  "read-after-write",
			Doc:   "a read that starts after a write completed returns that write or a newer one",
			Kind:  spec.Always,
			Needs: spec.NeedsHistory,
			State: checkReadAfterWrite,
		},
		{
			Name:  PropReadAfterRead,
			Doc:   "a read that starts after another read returned returns a value at least as new (no new-old inversion; needs write-back)",
			Kind:  spec.Always,
			Needs: spec.NeedsHistory,
			State: checkReadAfterRead,
		},
		{
			Name:  PropLinearizable,
			Doc:   "some sequential order of the operations, each placed between its start and its end, explains every value read (several writers)",
			Kind:  spec.Always,
			Needs: spec.NeedsHistory,
			State: checkLinearizable,
		},
		{
			Name:     "replica-monotonic",
			Doc:      "a replica's timestamp never decreases, across crashes too",
			Kind:     spec.OnTransition,
			NodeStep: checkReplicaMonotonic,
		},
		{
			Name:  "write-completes",
			Doc:   "some write reaches a write quorum",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHistory,
			Reach: func(v spec.View[State, Msg]) bool { return has(v.History(), WriteDone) },
		},
		{
			Name:  "read-after-write-happens",
			Doc:   "some read starts after a write completed and then completes",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHistory,
			Reach: readAfterWriteHappens,
		},
		{
			Name:  PropReadAfterReadHappens,
			Doc:   "some read starts after another read returned and then completes (needs two reads)",
			Kind:  spec.Sometimes,
			Needs: spec.NeedsHistory,
			Reach: readAfterReadHappens,
		},
		{
			Name:  "stale-replica-repaired",
			Doc:   "some read repair or write-back raises a stale replica's timestamp",
			Kind:  spec.Sometimes,
			Reach: someReplicaRepaired,
		},
	}
}

// checkReadAfterWrite compares every completed read with every write that
// completed before the read started, in the real-time order of the history.
func checkReadAfterWrite(v spec.View[State, Msg]) error {
	h := v.History()
	for _, done := range h {
		if done.Obs.Kind != ReadDone {
			continue
		}
		start := readStart(h, done)
		for _, w := range h[:start] {
			if w.Obs.Kind != WriteDone {
				continue
			}
			if r := done.Obs; older(r, w.Obs) {
				return fmt.Errorf("read %d started after write ts=%v v=%d completed but returned ts=%v v=%d",
					r.ID, w.Obs.stamp(), w.Obs.Val, r.stamp(), r.Val)
			}
		}
	}
	return nil
}

// checkReadAfterRead compares every completed read with every read that
// returned before it started, in the real-time order of the history: the
// later read must return a timestamp at least the earlier one's (and the
// same value if the timestamp is equal). With read-after-write this is
// what linearizability asks of a register with one writer whose
// timestamps follow its writes: no read goes back behind a write that
// completed, nor behind a value another read already returned.
func checkReadAfterRead(v spec.View[State, Msg]) error {
	h := v.History()
	for _, done := range h {
		if done.Obs.Kind != ReadDone {
			continue
		}
		start := readStart(h, done)
		for _, first := range h[:start] {
			if first.Obs.Kind != ReadDone {
				continue
			}
			if r, f := done.Obs, first.Obs; older(r, f) {
				return fmt.Errorf("read %d started after read %d returned ts=%v v=%d but returned ts=%v v=%d",
					r.ID, f.ID, f.stamp(), f.Val, r.stamp(), r.Val)
			}
		}
	}
	return nil
}

// older reports whether the value r carries is older than b's: an older
// timestamp, or the same one with another value.
func older(r, b Msg) bool {
	return b.stamp().After(r.stamp()) || r.stamp() == b.stamp() && r.Val != b.Val
}

// readStart returns the position in h of the start of the read that done
// completes: the ReadStart of the same read id at the same node. A history
// that lacks it (a trace cut short) counts the read as started at 0, before
// every write.
func readStart(h []spec.Event[Msg], done spec.Event[Msg]) int {
	for i, e := range h {
		if e.Seq >= done.Seq {
			break
		}
		if e.Obs.Kind == ReadStart && e.Obs.ID == done.Obs.ID && e.Node == done.Node {
			return i
		}
	}
	return 0
}

// checkReplicaMonotonic fails a step that lowers a replica's timestamp.
func checkReplicaMonotonic(i spec.NodeID, b, a State) error {
	if a.Role == Replica && a.TS < b.TS {
		return fmt.Errorf("replica n%d went from ts=%d v=%d back to ts=%d v=%d", i, b.TS, b.Val, a.TS, a.Val)
	}
	return nil
}

// readAfterWriteHappens reports a completed read that started after some
// write completed: read-after-write then has something to check.
func readAfterWriteHappens(v spec.View[State, Msg]) bool {
	h := v.History()
	for _, done := range h {
		if done.Obs.Kind != ReadDone {
			continue
		}
		if has(h[:readStart(h, done)], WriteDone) {
			return true
		}
	}
	return false
}

// readAfterReadHappens reports a completed read that started after another
// read returned: read-after-read then has something to check.
func readAfterReadHappens(v spec.View[State, Msg]) bool {
	h := v.History()
	for _, done := range h {
		if done.Obs.Kind == ReadDone && has(h[:readStart(h, done)], ReadDone) {
			return true
		}
	}
	return false
}

// Vacuous names the properties p's workload gives nothing to check, each
// with the reason: with fewer than two reads no read starts after another
// returned, so read-after-read cannot fail and its witness cannot be
// reached; with one writer, linearizable adds nothing to read-after-write
// and read-after-read (and the writer's starts are not observed). A check of p leaves them out (Checked) rather than claim the
// one or report the other unreached.
func (p *Protocol) Vacuous() map[string]string {
	out := map[string]string{}
	if p.p.Reads < 2 {
		why := "fewer than two reads: no read starts after another returned (-reads 2 includes it)"
		out[PropReadAfterRead], out[PropReadAfterReadHappens] = why, why
	}
	if !p.multiWriter() {
		out[PropLinearizable] = "one writer: read-after-write and read-after-read are what linearizability asks of it (-writers 2 includes it)"
	}
	return out
}

// Checked returns the properties a check of p evaluates: Properties, less
// those p's workload gives nothing to check (Vacuous).
func (p *Protocol) Checked() []spec.Property[State, Msg] {
	skip := p.Vacuous()
	var out []spec.Property[State, Msg]
	for _, q := range Properties() {
		if _, ok := skip[q.Name]; !ok {
			out = append(out, q)
		}
	}
	return out
}

// someReplicaRepaired reports a replica whose register a Repair or a
// WriteBack raised.
func someReplicaRepaired(v spec.View[State, Msg]) bool {
	for i := range v.Nodes() {
		if s := v.State(spec.NodeID(i)); s.Role == Replica && s.Repaired {
			return true
		}
	}
	return false
}

// has reports an observation of kind k in h.
func has(h []spec.Event[Msg], k MsgKind) bool {
	for _, e := range h {
		if e.Obs.Kind == k {
			return true
		}
	}
	return false
}
