package protocols_test

import (
	"testing"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec/raft"
)

func defaults(t *testing.T, name string, set map[string]int) map[string]int {
	t.Helper()
	e, err := catalog.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	params, err := e.Resolve(set, "")
	if err != nil {
		t.Fatal(err)
	}
	return params
}

func TestEveryRunnableProtocolRunsAndConforms(t *testing.T) {
	for _, name := range protocols.Names() {
		// Runs on goroutines mostly wait for timers and call timeouts:
		// side by side they take the longest one's time, not the sum.
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			everyProtocolRun(t, name, false)
		})
		t.Run(name+"/simulated", func(t *testing.T) {
			t.Parallel()
			everyProtocolRun(t, name, true)
		})
	}
}

func everyProtocolRun(t *testing.T, name string, simulate bool) {
	e, _ := protocols.Lookup(name)
	res, err := e.Run(defaults(t, name, nil), "", protocols.Options{Seed: 1, Ops: 20, Simulate: simulate,
		Network: impl.Network{Delay: impl.Delay{Dist: "uniform", Max: time.Millisecond}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rounds, %d ops (%d answered, %d timed out, %d refused), %v, %d quiescent; %v", res.Rounds, res.Ops, res.Answered, res.TimedOut, res.Refused, res.Elapsed, res.Quiescent, res.Stats)
	for _, p := range res.Properties {
		t.Logf("  %+v", p)
	}
	if res.Lin != nil {
		t.Logf("  lin %+v", *res.Lin)
	}
	if res.Failed() || res.Answered == 0 {
		t.Errorf("failed: replay %v, errs %v, %d answered", res.Replay, res.Errs, res.Answered)
	}
}

// Simulated, every protocol takes every fault — loss, duplication,
// delays and reordering, crashes, partitions — over a few thousand
// operations in all, and every round conforms: replay, the properties its
// guarantees promise, linearizability where promised (assumedFaults says
// which faults each one takes).
func TestEveryProtocolConformsUnderEveryFaultSimulated(t *testing.T) {
	ops := map[string]int{"raft": 200, "kv": 600, "quorum": 2000, "rpc": 600, "broadcast": 600, "atomiccommit": 300, "calendar": 400, "mvmap": 400, "textcrdt": 400, "ot": 400, "crdt": 400, "paxosnode": 300, "ftcommit": 300, "cas": 600}
	set := map[string]map[string]int{
		"raft":   {"maxterm": 5, "candidates": 3, "beats": 3, "requests": 4},
		"kv":     {"scenario": 1, "maxterm": 5, "candidates": 3, "beats": 3},
		"quorum": {"writes": 4, "reads": 4, "readers": 3, "writeback": 1},
		"rpc":    {"sem": 2, "ops": 3, "retries": 3},
		"crdt":   {"crdt": 2, "u0": 2, "u1": 2},

		// Under loss 2PC waits for ever unless a prepared participant
		// asks again until it hears the outcome: no bound on queries.
		"atomiccommit": {"queries": -1},
		// Paxos terminates under loss only if proposers retry until they
		// learn the value: no bound on tries.
		"paxosnode": {"tries": -1},
	}
	for _, name := range protocols.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, _ := protocols.Lookup(name)
			params := defaults(t, name, nil)
			for k, v := range set[name] {
				params[k] = v
			}
			net, faults, lossless := assumedFaults(name)
			crashFree := faults.CrashEvery == 0 // calendar: see assumedFaults
			switch name {
			case "crdt":
				// A round of state-based CRDT updates (two per replica,
				// 1–3 ms apart) is over in a few milliseconds: faults
				// come as often.
				faults = impl.FaultPlan{CrashEvery: time.Millisecond, Downtime: time.Millisecond,
					PartitionEvery: time.Millisecond, PartitionFor: time.Millisecond, Duration: 3 * time.Millisecond}
			}
			res, err := e.Run(params, "", protocols.Options{Seed: 1, Ops: ops[name], Simulate: true, Network: net,
				CallTimeout: 50 * time.Millisecond, Faults: faults})
			if err != nil {
				t.Fatal(err)
			}
			requireConformed(t, res)
			if s := res.Stats; (s.Dropped == 0 || s.Partitions == 0) && !lossless || s.Duplicated == 0 || s.Crashes == 0 && !crashFree || res.Answered == 0 {
				t.Errorf("too few faults or answers to mean anything: %v, %d answered", s, res.Answered)
			}
		})
	}
}

func raftParams(n, maxTerm, candidates, beats int) raft.Params {
	return raft.Params{N: n, MaxTerm: maxTerm, Candidates: candidates, MaxBeats: beats}
}

// reliableOnly are the protocols that assume reliable broadcast outright.
var reliableOnly = map[string]bool{"calendar": true, "mvmap": true, "textcrdt": true, "ftcommit": true, "ot": true, "cas": true}

// assumedFaults are every fault a protocol's guarantees assume. Eager
// reliable broadcast assumes links that lose nothing; the RPC client's
// bounded retries stand for "retry forever" only up to as many losses
// (course 1.3: "two drops defeat one retry"), and a crash's losses are
// made good by the restart. Those two get crashes, copies and reordering,
// but no loss and no partitions.

func assumedFaults(name string) (impl.Network, impl.FaultPlan, bool) {
	net, faults := lossy, impl.FaultPlan{CrashEvery: 20 * time.Millisecond, Downtime: 10 * time.Millisecond,
		PartitionEvery: 30 * time.Millisecond, PartitionFor: 10 * time.Millisecond}
	lossless := name == "broadcast" || name == "rpc" || reliableOnly[name]
	if lossless {
		net.Loss, faults.PartitionEvery = 0, 0
	}
	if reliableOnly[name] {
		// The op-based LWW map (and the multi-value map, the text CRDT
		// and the CAS register's total order broadcast) assumes reliable
		// broadcast: a replica
		// that is down misses updates nobody resends. It gets copies,
		// delays and reordering only. So does fault-tolerant 2PC, whose
		// sequencer stands for a total order broadcast that loses
		// nothing (the checker crashes its participants), and OT, whose
		// server and clients resend no edit either.
		faults = impl.FaultPlan{}
	}
	return net, faults, lossless
}
