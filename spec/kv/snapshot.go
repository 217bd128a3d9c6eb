package kv

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// The store's snapshots (Raft paper, section 7). With Raft's
// SnapshotEvery set, a node's Raft log compacts every SnapshotEvery
// committed entries into a snapshot holding the store's state machine:
// the scenario's map (one value per key), its dedup table (the request
// ids applied) and each applied request's result — 2 + 1 + MaxOps+1
// bytes — and the run-time commands' Table (a value per key written, a
// sequence number and result per client) — however long the history. A restarted node loads that snapshot, then applies
// the committed entries after it; a follower that installs a leader's
// snapshot takes the store from it.

// machineSize is the encoded machine: the keys' values, the applied set,
// the results.
const machineSize = Keys + 1 + MaxOps + 1

// machine is the store as Raft's snapshots see it.
type machine struct{ p *Protocol }

var _ raft.Machine = machine{}

// Apply decodes the store, applies entries as a replica does (a request
// id applied before is skipped) and encodes it again.
func (m machine) Apply(data string, entries raft.Log) string {
	s := decodeMachine(data)
	for _, e := range entries.All() {
		s, _ = m.p.applyLogEntry(s, e)
	}
	return encodeMachine(s)
}

// encodeMachine writes the scenario's store and, when run-time commands
// have filled it, the Table after it.
func encodeMachine(s State) string {
	b := make([]byte, 0, machineSize)
	b = append(b, byte(s.Store[0]), byte(s.Store[1]), s.Applied)
	for _, r := range s.Results {
		b = append(b, byte(r))
	}
	if !s.Table.empty() {
		b = appendTable(b, s.Table)
	}
	return string(b)
}

// decodeMachine reads the store of a snapshot into a State ("" is the
// empty store).
func decodeMachine(data string) State {
	var s State
	if len(data) < machineSize {
		return s
	}
	s.Store = Store{int8(data[0]), int8(data[1])}
	s.Applied = data[2]
	for i := range s.Results {
		s.Results[i] = int8(data[3+i])
	}
	if len(data) > machineSize {
		s.Table, _, _ = readTable([]byte(data[machineSize:]))
	}
	return s
}

// restore sets s's store to the one snapshot data holds (the replies it
// owes are kept).
func restore(s State, data string) State {
	m := decodeMachine(data)
	s.Store, s.Applied, s.Results, s.Table = m.Store, m.Applied, m.Results, m.Table
	return s
}

// answerInstalled replies to the requests this node owes that the
// installed snapshot applied: it will not see them delivered.
func answerInstalled(s State, o []spec.Output[Msg]) (State, []spec.Output[Msg]) {
	for id := int8(1); id <= MaxOps; id++ {
		if s.Owes&(1<<id) != 0 && s.Applied&(1<<id) != 0 {
			s.Owes &^= 1 << id
			o = append(o, observe(Replied, id, s.Results[id]))
		}
	}
	return answerWaiting(s, o)
}
