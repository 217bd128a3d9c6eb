// Package impl is the runtime: it runs any protocol of spec/ — the very
// Init, Step and Crash the model checker explores — on goroutines, one
// per node, over a simulated network with faults, with real timers,
// crash and restart from a durable store, and a client API; it records
// every step, and checks the recording against the spec.
//
// The driver is generic: nothing in it knows a protocol. Each node's
// goroutine selects on its inbox, its timer and stop; each input goes
// through Step, the persisted part of the new state (Crash of it) is saved
// to the node's store — fsync'd, for a DiskStore — before any output is
// carried out, then the outputs are: Send hands a message to the network,
// SetTimer and CancelTimer arm and disarm the node's timers (durations per
// timer name, jitter drawn by the runtime), Observe is shown to clients
// waiting for a reply and to Config.OnObserve. A protocol that offers
// nondeterministic choices (spec.Chooser) gets them made by the runtime's
// seeded random source, as Choose inputs.
//
// # Network
//
// The network applies a system model chosen at run time (Network): a loss
// rate, a duplication rate, a delay distribution (none, fixed, uniform,
// exponential), reordering unless links are FIFO, and partitions set and
// healed while the cluster runs (Cluster.Partition, Cluster.Heal). Every
// random draw comes from the seed (Config.Seed, Cluster.Seed), through a
// stream keyed by what it decides — the fate of the k-th message on the
// link i→j, the jitter of node i's k-th timer — so a seed reproduces the
// fault schedule whatever the goroutines' interleaving. Crashes and
// partitions on a timetable come from a Schedule drawn from the seed too.
//
// # Simulated clusters
//
// With Config.Simulate the same driver runs in virtual time on the
// caller's goroutine: deliveries and timers are events in one queue,
// Cluster.Advance processes them, Client.Submit calls without blocking.
// A simulated run is decided by its seed and the calls made on the
// cluster, so it is reproduced exactly — what property-based tests need
// to shrink a failure.
//
// # Durable state
//
// A Store keeps a node's persisted state. MemStore keeps it in memory
// (tests, benchmarks: saving is an assignment). DiskStore keeps it in a
// data directory per node: an append-only log of checksummed records,
// fsync'd on every change; a torn record at the tail (a crash in the
// middle of an append) is truncated and reported, a bad record before the
// tail is refused with an error naming the file and the offset. See
// docs/runtime.md for the format, and the tests for a kill -9 that loses
// nothing acknowledged.
//
// # Using it (benchmarks and programs)
//
//	c, err := impl.Start(impl.Config[S, M]{
//		Protocol: p,                          // any spec.Protocol[S, M]
//		Seed:     1,                          // 0: from the clock; c.Seed() tells
//		Network:  impl.Network{},             // zero: reliable, no delay, in order
//		Timers:   map[string]impl.TimerSpec{  // by p.TimerName
//			"election":  {Base: 150 * time.Millisecond, Jitter: 150 * time.Millisecond},
//			"heartbeat": {Base: 50 * time.Millisecond},
//		},
//		Stores:  nil,                         // nil: a MemStore per node
//		Replies: impl.Replies[M]{Key: ..., Reply: ..., Leader: ...},
//		Record:  false,                       // true: keep every step (tests, traces)
//	})
//	reply, err := c.Client(id).Call(ctx, node, req)        // wait for req's reply
//	reply, node, err = c.Client(id).Retry(ctx, node, req, impl.RetryPolicy{PerTry: d})
//	err = c.Request(node, req)                             // fire and forget
//	c.Crash(node); c.Restart(node); c.Partition(group...); c.Heal()
//	c.DropNext(k); c.Apply(ctx, impl.NewSchedule(seed, n, plan)); c.Recover()
//	c.Settle(ctx)                                          // wait until quiescent
//	run, err := c.Stop()
//
// On the hot path nothing is encoded and nothing reflected: messages are
// passed by value through an unbounded inbox per node (a mutex, a slice
// swapped with a spare one, a one-token channel), a message without delay
// goes straight from the sender's goroutine into the receiver's inbox, and
// with a MemStore saving is one assignment. A reliable network without
// delay draws no random numbers. Config.OnObserve sees every observation
// on the node's goroutine, for a harness that waits in its own way; Call
// costs one map insertion and deletion under a mutex and, with a context
// without deadline, no allocation in the steady state.
//
// # Conformance
//
// With Config.Record the cluster keeps every step (input, outputs, state
// after), crash and network fault, in an order that respects causality and
// real time, and every client operation; Stop returns them as a Run.
//
//   - Run.Replay feeds each node's inputs through Step and requires the
//     recorded outputs and states (a go-cmp diff otherwise), and that each
//     store gave back exactly what Crash kept.
//   - Run.Check evaluates the spec's properties — the functions the
//     checker uses — on the run.
//   - Run.Trace writes the run in the trace format of package traces, with
//     Lamport and vector timestamps, for modelcheck viz.
//   - Run.Ops is the client history, for a linearizability checker
//     (porcupine, in impl/protocols).
//
// # Processes on TCP
//
// A cluster may keep only some nodes in this process (Config.Local): a
// message to another node goes to Config.Transport, and messages from
// other processes come in through Cluster.Deliver. TCP is the transport
// between OS processes: one connection per direction of each link, frames
// versioned, length-prefixed and CRC-32C checksummed, a Hello/Welcome
// handshake naming cluster, protocol and nodes, reconnection with
// back-off, mutual TLS from certificates GenerateCerts makes (LoadTLS). A
// node process journals its steps as they happen (Config.OnEvent,
// Journal) and ReplayJournal replays them through Step, kill -9 and all;
// Proxy injects faults into one direction of a link. cmd/kvnode runs the
// Raft key-value store this way; docs/runtime.md has the wire format.
//
// Package impl/protocols holds what the runtime needs to know about each
// protocol of the catalog — its timers, how a request's reply looks, its
// workload, its sequential specification for porcupine — and runs them
// with faults: `modelcheck run PROTOCOL` is its command line.
package impl
