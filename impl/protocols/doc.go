// Package protocols makes the catalog's protocols runnable on the runtime
// (package impl) and runs them with faults: for each protocol it knows
// what the runtime cannot read from the spec — its timers' durations,
// which observation answers which request, which nodes a client may retry
// at, its workload, the properties its guarantees promise and, where it
// promises linearizability, its sequential specification for porcupine.
// The driver in impl stays generic; this is the per-protocol glue, in the
// spirit of the catalog's entries. `modelcheck run PROTOCOL` is its
// command line.
//
// Run runs a Target in rounds: each round is a fresh cluster with its own
// seed (the run's seed plus the round's number) and its own fault
// schedule (impl.NewSchedule) over a network with the chosen loss,
// duplication, delays and reordering; one client per node issues that
// node's workload items in order, each waiting for its reply or a timeout
// (with Target.Servers, retrying at the leader or the next server with
// the same request id). After a round's work the faults stop, every node
// comes back, the cluster settles, and the round is checked three ways:
// every step replays through Step with the recorded outputs and state
// (impl.Run.Replay), the spec's properties hold (impl.Run.Check), and the
// client history is linearizable (CheckHistory, porcupine) where the
// protocol promises it. Result sums the rounds up and keeps the trace of
// the first round that failed (or else of the last).
//
// Runnable: raft (client requests answered by the first delivery of their
// value), kv (a retrying client; porcupine on put, get, cas), quorum (the
// register of course 5.2, linearizability checked; with writeback=1, the
// readers write back before returning — ABD, course 7.2, spec/quorum's
// own parameter), rpc and broadcast. The runtime runs each protocol's
// own Step and nothing else: no wrapper adds logic the checker has not
// explored.
//
// The tests show the register without write-back not linearizable on a
// staged schedule of partitions (course 7.2, Cx1: porcupine's own
// visualisation is written next to the run's diagram), the same schedule
// linearizable with write-back, a couple of thousand register operations
// under loss, duplication, delays, crashes and partitions all conforming,
// and rapid state machines (client operations, crash, restart, partition,
// heal, drop; invariant: properties, replay and linearizability) over the
// write-back register and the Raft KV, one of which catches a mutant.
// A longer soak of every protocol and a search for Cx1 by random faults
// alone are behind the build tag long.
package protocols
