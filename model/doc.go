// Package model turns N copies of a node protocol (package spec) into one
// transition system for the explorer (package explore), under a system
// model the user picks, as the course's system-model lecture lists them:
//
//   - network: unordered, or FIFO per link; a budget of drops (fair-loss)
//     and of duplications;
//   - nodes: a budget of crashes, crash-stop or crash-recovery (volatile
//     state lost, what Protocol.Crash keeps survives, recovery is an input);
//   - timing: asynchronous — a set timer may fire at any moment;
//   - workload: a bounded list of requests, issued in order per node and
//     interleaved freely across nodes, each possibly a choice.
//
// A World is one global state; worlds are immutable and share unchanged
// parts. Messages in flight form a canonical multiset (sorted by hash, or
// per link in FIFO order), so interleavings that reach the same situation
// are one state. Deliveries, timers, requests and recoveries are ordinary
// steps; drops, duplications and crashes are fault steps, which do not count
// when the explorer decides a world is quiescent.
//
// Ghost state, kept by the model and never seen by the protocol, is turned
// on only by the properties that need it: a history of every observation in
// real-time order, and vector clocks of true happens-before on every step
// and message. It multiplies the state space, so it is off otherwise.
package model
