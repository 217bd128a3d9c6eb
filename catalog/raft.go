package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

func init() { register(raftEntry()) }

func raftEntry() *Entry {
	d := raft.DefaultParams()
	e := &Entry{
		Name:    "raft",
		Summary: "Raft consensus: elections, log replication, commit, crash-recovery",
		Section: "6.1, 6.2",
		// A request's value singles its node out; so does standing for
		// election or not.
		Symmetry: "the candidates given no request, and likewise the other nodes (none at the defaults: try -candidates 3 -requests 1)",
		Params: []Param{
			// The course's leader commits an entry when its followers'
			// acknowledgements make a majority: a lone node has none, and
			// nothing it holds is ever committed.
			// A run takes any cluster up to raft.MaxNodes; the checker's
			// space grows so fast with n that at the other defaults it
			// exhausts 3 nodes (about a minute) and larger clusters need
			// tighter bounds or a budget.
			{Name: "n", Doc: "nodes (a check at the other defaults exhausts 3; each node more multiplies its space; a run takes up to " + strconv.Itoa(raft.MaxNodes) + ")",
				Default: d.N, Min: 2, Max: raft.MaxNodes,
				Why: "a lone leader never commits: it commits on its followers' acknowledgements; a node keeps votes and lengths for at most " + strconv.Itoa(raft.MaxNodes) + " nodes"},
			{Name: "maxterm", Doc: "no election beyond this term", Default: d.MaxTerm, Min: 1, Max: 7},
			{Name: "candidates", Doc: "nodes 0..k-1 may stand for election", Default: d.Candidates, Min: 1, Max: raft.MaxNodes,
				Fits: atMost("candidates", "n", 0, "nodes 0..k-1 stand for election")},
			{Name: "requests", Doc: "client requests (request k goes to node (k-1) mod n)", Default: d.Requests, Max: 4},
			{Name: "beats", Doc: "heartbeats a leader sends per term", Default: d.MaxBeats, Max: 3},
			{Name: "snapshot", Doc: "a node compacts its log into a snapshot once this many committed entries are past the last one (0: never)",
				Default: d.SnapshotEvery, Max: 1 << 20, Fits: snapshotMutantNeedsSnapshots},
			{Name: "pipeline", Doc: "pipelined replication: a leader sends only entries it has not sent yet, at most this many past a follower's acknowledgement in flight (0: off, each LogRequest carries the whole unacknowledged suffix)",
				Default: d.Pipeline, Max: 1 << 20, Fits: pipelineMutantNeedsPipeline},
			{Name: "batch", Doc: "1: a client request appends and arms a flush timer; the flush sends every new entry in one LogRequest per follower (0: send at once)",
				Default: boolInt(d.Batch), Max: 1},
		},
		Mutants: raft.Mutants,
		// Per-link FIFO keeps the space small; duplications still replay old
		// messages out of order, and one crash with recovery exercises the
		// persisted state.
		DefaultModel: "-network fifo -crashes 1 -crash-mode recover",
	}
	return raftProtocol().install(e)
}

// snapshotMutantNeedsSnapshots rejects a snapshot mutant with snapshots
// off: it would change nothing, and a check would pass for no reason.
func snapshotMutantNeedsSnapshots(v int, _ map[string]int, mutant string) error {
	if v == 0 && strings.HasPrefix(mutant, "snapshot-") {
		return fmt.Errorf("-mutant %s changes nothing with -snapshot 0 (snapshots off): give -snapshot 1 or more", mutant)
	}
	return nil
}

// pipelineMutantNeedsPipeline rejects the pipelining mutant with
// pipelining off: it would change nothing.
func pipelineMutantNeedsPipeline(v int, _ map[string]int, mutant string) error {
	if v == 0 && strings.HasPrefix(mutant, "pipeline-") {
		return fmt.Errorf("-mutant %s changes nothing with -pipeline 0 (pipelining off): give -pipeline 1 or more", mutant)
	}
	return nil
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// raftProtocol is the raft entry's protocol under the model.
func raftProtocol() nodeProtocol[raft.State, raft.Msg] {
	return nodeProtocol[raft.State, raft.Msg]{
		props: raft.Properties(),
		propsOf: func(p spec.Protocol[raft.State, raft.Msg]) []spec.Property[raft.State, raft.Msg] {
			return raft.PropertiesFor(p.(*raft.Protocol).Params())
		},
		vacuous: raftUnreachable,
		build: func(params map[string]int, mutant string) (spec.Protocol[raft.State, raft.Msg], []spec.WorkItem[raft.Msg], error) {
			p, err := raft.New(RaftParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}
}

// raftUnreachable names the sometimes properties no run with these
// parameters and model can reach, with the reason.
//
// leader-replaced needs a crash, a later term and a second candidate.
//
// committed-everywhere needs every follower to learn that an entry is
// committed, and a follower learns it only from a LogRequest its leader
// sends after committing. With one request there is one entry, created
// by the leader of the term it reached (a later leader holds it from an
// older term and may not commit it); that leader commits on a follower's
// acknowledgement and then sends another LogRequest only on a heartbeat
// (-beats), another request, or a resend after a stale acknowledgement —
// which only a reordering (unordered links) or a duplicate delivers. A
// crash, given a later term, lets a recovered node lead and replicate
// again. Without any of these the followers never hear of the commit:
// the exhaustive checks of the README's -crashes 0 -requests 1 rows
// (FIFO links, with and without -drops 1) never reach it, and
// TestRaftUnreachableIsNeverReached confirms the rule on small
// configurations by checking with the property kept in.
func raftUnreachable(params map[string]int, m model.Config) map[string]string {
	skip := map[string]string{}
	if params["snapshot"] == 0 {
		skip[raft.ReachSnapshotInstalled] = "snapshots are off (-snapshot 0)"
	}
	switch {
	case m.Crashes == 0:
		skip[raft.ReachLeaderReplaced] = "no crash allowed (-crashes 0)"
	case params["maxterm"] == 1:
		skip[raft.ReachLeaderReplaced] = "no term after the first for another leader (-maxterm 1)"
	case params["candidates"] == 1:
		skip[raft.ReachLeaderReplaced] = "one candidate: no other node can lead (-candidates 1)"
	}
	switch {
	case params["requests"] == 0:
		skip[raft.ReachCommittedEverywhere] = "no client request (-requests 0)"
	case params["requests"] == 1 && params["beats"] == 0 && m.Dups == 0 && m.Network == model.FIFO && (m.Crashes == 0 || params["maxterm"] == 1):
		skip[raft.ReachCommittedEverywhere] = "followers learn of a commit only from a later LogRequest, and with one request, " +
			"no heartbeat, FIFO links, no duplicate and no crash followed by a new term none is sent (-beats 1 or -requests 2 reach it)"
	}
	return skip
}
