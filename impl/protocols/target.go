package protocols

import (
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// Target is a protocol made ready to run: the protocol, and what the
// runtime needs to know about it that the protocol does not say.
type Target[S, M any] struct {
	// Name is the catalog's name of the protocol (traces carry it).
	Name     string
	Protocol spec.Protocol[S, M]
	// Work is the workload of one round: each node's items are issued in
	// order, one at a time; different nodes' items concurrently.
	Work []spec.WorkItem[M]
	// After orders the workload across clients: After[i] = j, an earlier
	// item, holds item i back until item j has finished (answered, or
	// given up), so that a register's read starts after a write
	// completed — the case read-after-write checks. -1, or an index past
	// the slice, leaves an item free. The first item held always waits;
	// each later one waits in three rounds of four (drawn from the
	// round's seed) and otherwise goes as soon as its client is free, so
	// operations that overlap are run too.
	After []int
	// Properties are the spec's properties, evaluated on every round.
	Properties []spec.Property[S, M]
	// Expected names the sometimes properties the workload makes happen:
	// a run that reaches one of them in no round checked less than it
	// claims, and is INCOMPLETE. The target's other sometimes properties
	// hang on faults and timing (a leader that crashes, a retry, a stale
	// replica) and are reported, not required.
	Expected []string
	// Replies tells a request's reply. With it each item waits for its
	// reply (or a timeout) before the next; without it the items are
	// handed over a few milliseconds apart.
	Replies impl.Replies[M]
	// Servers, if set, are the nodes a client may send any request to: a
	// request that times out is retried, with the same request id, at
	// the leader (Replies.Leader) or the next server (Client.Retry).
	Servers []spec.NodeID
	// Timers are the timers' durations, by name.
	Timers map[string]impl.TimerSpec
	// Linearizable, if set, checks the client history of every round.
	Linearizable *Linearizable[M]
	// Codec encodes the persisted state for disk stores (nil: JSON).
	Codec impl.Codec[S]
}

// Options are a run's settings, for any target.
type Options struct {
	// Params and Mutant are the catalog's, for the trace's header;
	// Choices names the parameters with named choices by the choice's
	// name, as a trace's header writes them (they stay in Params too).
	Params   map[string]int
	Choices  map[string]string
	Settings string
	Mutant   string
	// Seed: round k runs with a seed drawn from it and k; 0 picks one.
	Seed    uint64
	Network impl.Network
	// Faults are crashes and partitions, drawn anew for every round over
	// its first Faults.Duration (default 100 ms).
	Faults impl.FaultPlan
	// Ops and Duration say how long to run: rounds until Ops operations
	// were issued or Duration passed, whichever comes first (neither: one
	// round).
	Ops      int
	Duration time.Duration
	// StopAtFailure ends the run after the first round that fails.
	StopAtFailure bool
	// Simulate runs every round on a simulated cluster (impl.Config's
	// Simulate): in virtual time, reproduced exactly by its seed.
	Simulate bool
	// CallTimeout bounds one try of a request (default 200 ms); Settle
	// bounds the wait for quiescence after a round's work (default 2 s).
	CallTimeout, Settle time.Duration
	// Timers override the target's timer durations, by name.
	Timers map[string]impl.TimerSpec
	// DataDir, if set, keeps each round's node state on disk in
	// DataDir/round<k>/n<i>; empty keeps it in memory.
	DataDir string
	// Logf receives reports (torn tails truncated); nil: none.
	Logf func(string, ...any)

	_ struct{}
}
