// Package kv is a key-value store replicated by Raft (package raft): state
// machine replication on the Raft log (course 5.3, 6.2) with client
// request ids for exactly-once retries (5.1), checked for linearizability
// (7.2).
//
// A client operation — put(k, a), get(k), cas(k, a, b) — goes to any node,
// which records that it owes the client a reply and hands the operation's
// id to Raft (a follower forwards it to the leader, holding it until it
// knows one). Every node applies the operations in the order Raft delivers
// them to a small store (two keys of small integers) and answers the ones
// it owes. Reads go through the log too: that is what makes them
// linearizable. A retried operation keeps its request id, so when both
// copies reach the log, the second is recognised and skipped, and the
// retry is answered with the first copy's result. Crash-recovery: the
// Raft part persists what Raft persists; the store, the set of applied ids
// and their results are rebuilt from the committed log on recovery, and
// the replies a node owed are lost with it (the client times out and
// retries).
//
// Snapshots (Raft paper, section 7; snapshot.go): with the Raft
// parameter SnapshotEvery = k > 0 the store is Raft's Machine, and every
// k committed entries a node's snapshot takes the store — the map, the
// set of request ids applied and their results — in place of the
// entries. A restart loads the snapshot, then applies the committed
// entries after it; a follower that installs a leader's snapshot takes
// the store from it and answers the requests it owed that the snapshot
// applied. Pinned with k = 1 (every property holds, every sometimes
// property reached; TestSnapshotsKeepTheStoreLinearizable): basic 30,489
// and retry 27,745 states on three nodes without a heartbeat, a follower
// installing a snapshot among them; basic with one crash and recovery
// 13,590 on two nodes with one heartbeat, and 7,314,820 on three
// (TestSnapshotsSurviveACrash, -tags long).
//
// At run time a client may also send a Command — client, sequence
// number, put/get/cas on integer keys — in the Raft entry's command
// (command.go); it updates a Table, a map and a dedup table holding per
// client the last sequence number applied and its result (the Raft
// paper's section 8), which the snapshots hold too. The persisted state
// is then bounded by the keys and clients, not by the history: 10,000
// puts with k = 100 leave at most 100 entries in any node's persisted log
// (impl/protocols, TestKVSnapshotsBoundThePersistedStateOverALongRun).
// The checker's scenarios send no Command: their encodings and counts
// are as they were.
//
// The workload is a Scenario of operations, each sent to a given node:
//
//	basic  put(k0, 1) at n0; get(k0) at n1
//	cas    put(k0, 1) at n0; cas(k0, 1→2) at n1; get(k0) at n2
//	retry  cas(k0, 0→1) at n0, and the same request (same id) again at n1
//
// Properties (Properties), over the ghost history of invocations and
// replies in real time (spec.NeedsHistory):
//
//   - linearizable (always): some sequential order of the operations —
//     every answered one, and any subset of the unanswered ones — respects
//     real time (an operation answered before another was invoked comes
//     first) and gives every answered operation the result its client saw.
//     The search is exhaustive over the few operations of a scenario.
//   - exactly-once (always): no replica applies an operation twice, and
//     every reply to one request id carries the same result.
//   - all-replied (sometimes): every operation is answered.
//   - retry-deduplicated (sometimes, scenarios with a retry): a replica
//     skips the second log entry of a retried request.
//
// Mutants (Mutants), with the shortest counterexample:
//
//   - no-dedup: the second copy of a retried request is applied again;
//     exactly-once, 10 steps in the retry scenario (the retried cas fails
//     and its retry is answered "failed" for a swap that took effect).
//   - local-read: a get is answered from the node's own store without
//     going through the log; linearizable, 7 steps in the basic scenario
//     (the put is committed and answered at the leader, then a follower
//     that has not yet learnt the commit answers the get with the old
//     value).
//
// Pinned figures (exhaustive breadth-first search, three nodes, node 0
// the only candidate, up to term 1, one heartbeat per term, per-link FIFO
// network; `go test -tags long` holds these rows, and the default tests
// the same scenarios without a heartbeat, 27,263 and 24,519 states):
//
//	scenario  system model           states     depth
//	basic     reliable               418,675    25
//	retry     reliable               379,430    25
//	basic     1 crash with recovery  5,794,086  27
//
// The ghost history is what makes these spaces large: two states that
// differ only in the order of past invocations and replies are distinct,
// because linearizability depends on that order.
package kv
