package protocols_test

import (
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

// linWork is a workload for the linearizability tests: writes 1..writes
// at the writer, reads 1..reads spread over the readers.
func linWork(p *quorum.Protocol, writes, reads, readers int) []spec.WorkItem[quorum.Msg] {
	var w []spec.WorkItem[quorum.Msg]
	for k := 1; k <= writes; k++ {
		w = append(w, spec.WorkItem[quorum.Msg]{Node: p.Writer(), Choices: []quorum.Msg{{Kind: quorum.WriteReq, Val: int8(k)}}})
	}
	for k := 1; k <= reads; k++ {
		w = append(w, spec.WorkItem[quorum.Msg]{Node: p.Reader((k - 1) % readers), Choices: []quorum.Msg{{Kind: quorum.ReadReq, ID: int8(k)}}})
	}
	return w
}

// lossy is a network that loses, copies, delays and reorders.
var lossy = impl.Network{Loss: 0.03, Dup: 0.05, Delay: impl.Delay{Dist: "exp", Mean: 200 * time.Microsecond, Max: 2 * time.Millisecond}}

// The register with write-back, three readers and a writer, over a lossy
// network, with replicas crashing and being cut off: a couple of thousand
// operations, every round's run replays through Step, keeps the spec's
// properties, and its client history is linearizable. (The register does
// not retry: an operation that loses two of its three messages stalls its
// client for the rest of the round, hence a low loss rate and short
// rounds.)
func TestQuorumWithWriteBackConformsUnderFaults(t *testing.T) {
	t.Parallel()
	p, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Readers: 3, WriteBack: true})
	tg := protocols.QuorumTarget(p, linWork(p, 8, 24, 3))
	ops := 600 // 25 rounds: crashes, partitions, losses and copies in every few
	if longRuns {
		ops = 2000
	}
	res, err := protocols.Run(tg, protocols.Options{Seed: 1, Ops: ops, Network: lossy, CallTimeout: 5 * time.Millisecond,
		Faults: impl.FaultPlan{Duration: 20 * time.Millisecond, CrashEvery: 10 * time.Millisecond, Downtime: 3 * time.Millisecond, MaxDown: 1,
			PartitionEvery: 15 * time.Millisecond, PartitionFor: 3 * time.Millisecond, Nodes: []spec.NodeID{0, 1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	requireConformed(t, res)
	if res.Lin.Ok != res.Rounds || res.Lin.Illegal != 0 {
		t.Errorf("linearizability: %+v over %d rounds", *res.Lin, res.Rounds)
	}
	if s := res.Stats; s.Dropped == 0 || s.Duplicated == 0 || s.Crashes == 0 || s.Partitions == 0 || res.Answered < res.Ops/4 {
		t.Errorf("too few faults or answers to mean anything: %d answered of %d; %v", res.Answered, res.Ops, s)
	}
}

// Multi-writer ABD (-writers 2) on the simulated runtime under loss,
// duplication and crashes: every round replays through Step, keeps the
// spec's properties (linearizable among them, on the recorded history) and
// porcupine finds every client history linearizable.
func TestMultiWriterQuorumConformsSimulated(t *testing.T) {
	t.Parallel()
	e, _ := protocols.Lookup("quorum")
	params := defaults(t, "quorum", map[string]int{"writers": 2, "writes": 2, "reads": 2, "readers": 2, "writeback": 1})
	res, err := e.Run(params, "", protocols.Options{Seed: 1, Ops: 400, Simulate: true,
		Network:     impl.Network{Loss: 0.1, Dup: 0.1, Delay: impl.Delay{Dist: "uniform", Max: time.Millisecond}},
		CallTimeout: 50 * time.Millisecond, Faults: impl.FaultPlan{CrashEvery: 20 * time.Millisecond, Downtime: 20 * time.Millisecond, Duration: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	requireConformed(t, res)
	if res.Lin == nil || res.Lin.Ok != res.Rounds || res.Lin.Illegal != 0 || res.Answered < res.Ops/2 {
		t.Errorf("linearizability %+v over %d rounds, %d answered of %d", res.Lin, res.Rounds, res.Answered, res.Ops)
	}
	for _, p := range res.Properties {
		if p.Property == quorum.PropLinearizable && p.Held != res.Rounds {
			t.Errorf("linearizable held in %d of %d rounds", p.Held, res.Rounds)
		}
	}
}

// requireConformed fails t unless every round replayed, no property was
// violated and the runtime did not fail.
func requireConformed(t *testing.T, res *protocols.Result) {
	t.Helper()
	t.Logf("%d rounds in %v: %d ops (%d answered, %d timed out, %d refused); %v", res.Rounds, res.Elapsed.Round(time.Millisecond),
		res.Ops, res.Answered, res.TimedOut, res.Refused, res.Stats)
	if res.Replay != nil {
		t.Error(res.Replay)
	}
	for _, err := range res.Errs {
		t.Error(err)
	}
	for _, p := range res.Properties {
		if p.Violated > 0 {
			t.Errorf("%s violated in %d rounds; first in round %d (seed %d): %s", p.Property, p.Violated, p.FirstRound, res.Seed+uint64(p.FirstRound), p.FirstReason)
		}
	}
}
