package protocols_test

import (
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
)

// Raft and the key-value store pipelined and batching (-pipeline, -batch),
// with snapshots, take every fault in simulation and every round
// conforms: replay through Step, the pipelined properties, and for the
// store linearizability.
func TestRaftPipelinedAndBatchingConformsUnderEveryFaultSimulated(t *testing.T) {
	set := map[string]map[string]int{
		"raft": {"maxterm": 5, "candidates": 3, "beats": 3, "requests": 4, "pipeline": 2, "batch": 1, "snapshot": 2},
		"kv":   {"scenario": 1, "maxterm": 5, "candidates": 3, "beats": 3, "pipeline": 2, "batch": 1, "snapshot": 2},
	}
	ops := map[string]int{"raft": 200, "kv": 300}
	for _, name := range []string{"raft", "kv"} {
		t.Run(name, func(t *testing.T) {
			e, err := protocols.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			params := defaults(t, name, nil)
			for k, v := range set[name] {
				params[k] = v
			}
			net, faults, _ := assumedFaults(name)
			res, err := e.Run(params, "", protocols.Options{Seed: 1, Ops: ops[name], Simulate: true, Network: net,
				CallTimeout: 50 * time.Millisecond, Faults: faults})
			if err != nil {
				t.Fatal(err)
			}
			requireConformed(t, res)
			if s := res.Stats; s.Dropped == 0 || s.Duplicated == 0 || s.Crashes == 0 || res.Answered == 0 {
				t.Errorf("too few faults or answers to mean anything: %v, %d answered", s, res.Answered)
			}
		})
	}
}

// The same on goroutines, with the flush an idle timer (RaftTimers'
// default) and a duration one: every round replays through Step.
func TestRaftBatchingWithAnIdleFlushConformsOnGoroutines(t *testing.T) {
	t.Parallel()
	e, err := protocols.Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	params := defaults(t, "raft", nil)
	for k, v := range map[string]int{"maxterm": 5, "candidates": 3, "beats": 3, "requests": 4, "pipeline": 2, "batch": 1} {
		params[k] = v
	}
	net, faults, _ := assumedFaults("raft")
	for _, flush := range []impl.TimerSpec{{Idle: true}, {Base: 200 * time.Microsecond}} {
		res, err := e.Run(params, "", protocols.Options{Seed: 3, Ops: 30, Network: net, Faults: faults,
			CallTimeout: 50 * time.Millisecond, Timers: map[string]impl.TimerSpec{"flush": flush}})
		if err != nil {
			t.Fatal(err)
		}
		requireConformed(t, res)
		if res.Answered == 0 || res.Stats.Fired == 0 {
			t.Errorf("flush %+v: %d answered, %v", flush, res.Answered, res.Stats)
		}
	}
}
