// Package raft is Raft consensus as course sections 6.1 and 6.2 give it:
// leader election with terms and votes, log replication by prefix/suffix
// LogRequests, commit by majority acknowledgement restricted to entries of
// the leader's current term, followers forwarding client requests to the
// leader, and crash-recovery. The handlers are the corrected 2021/22 ones;
// the 2020/21 ones, and the other classic bugs, are Mutants.
//
// Each node persists currentTerm, votedFor, its log, commitLength and its
// snapshot (Protocol.Crash keeps exactly these); its role, the leader it knows,
// the votes it received, sentLength and ackedLength, and the requests it
// holds for a leader are rebuilt on recovery (a recovering node is a
// follower that knows no leader). Election timeouts and the leader's
// heartbeat are timer inputs; the model fires them in any order, which is
// the asynchrony Raft must survive. Bounds keep the space finite: only
// nodes 0..Candidates-1 stand for election, never beyond MaxTerm; a leader
// sends at most MaxBeats heartbeats per term; the workload is Requests
// client requests, request k sent to node (k-1) mod N; a log holds at most
// MaxEntries (MaxLog) entries.
//
// The same step functions run at run time (impl, bench/raftkv) with
// RuntimeParams: a negative MaxTerm, MaxBeats or MaxLog lifts that bound
// (terms grow, the heartbeat runs while a node leads, so followers learn
// the last commit, and the log grows), and an entry carries a command,
// Cmd, beside its value. Three things make that affordable without
// changing what the checker sees:
//
//   - Log is a persistent log: entries live in chunks of 64; a full
//     chunk is never written again and is shared by every Log derived
//     from the one that filled it, and an append copies only the partial
//     last chunk (and, once per 64 entries, the list of chunk pointers).
//     No Log is ever changed after it is made, so Step stays pure without
//     synchronisation (spectest.Pure holds) and the checker's workers may
//     step one state from several goroutines. Appending a request, and a
//     follower taking new entries from a LogRequest, cost O(64 + entries
//     added), not O(log); a LogRequest's suffix is a view of the leader's
//     log, not a copy.
//   - commitEntries takes the quorum-th largest ackedLength, O(N), where
//     the course scans every prefix length for a quorum, O(N·log).
//   - Terms, indices and lengths are int32, and the canonical encoding
//     (AppendState, AppendMsg) writes each of them in one byte when it is
//     in -64..127 — every value the checker's bounds produce, and the
//     byte the int8 it replaces had — and in five bytes otherwise; a
//     command adds a marker byte, its length and its bytes. So the
//     encoding is injective for any value and byte for byte the narrow
//     one within the checker's bounds: the pinned counts below did not
//     change.
//
// Catch-up. The course backs sentLength off by one entry per refused
// LogRequest, so a follower far behind in divergent terms costs a round
// trip per entry. Here, as the Raft paper suggests at the end of its
// section 5.3, a refusal in the leader's term says where to resume: the
// follower's log length if that is shorter than the prefix, else the
// term T of its conflicting entry and where its entries of T start. The
// leader resumes just after its own last entry of T if it holds one,
// else at that start — and always below the sentLength it had, so that a
// stale or duplicated refusal never moves it forward (sent-backs-off).
// A follower whose entries past the prefix it shares with the leader
// span k terms catches up in at most k+2 round trips: 10,000 entries
// behind with 1, 10, 100 or 1,000 divergent terms it takes 3, 12, 102 or
// 1,002, where backing off one entry at a time took 10,001
// (TestCatchUpTakesARoundTripPerTermNotPerEntry). The hint is two more
// fields of LogResponse, whose values tell apart refusals that were one
// message before: the pinned counts below grew by about 3% (they were
// 101,532, 486,902 and 1,689,871; the other two are unchanged), and a
// build whose leader ignores the hint gives the same counts, so the
// growth is the fields' values alone. With two requests the jumps also
// skip states (-requests 2 -crashes 0: 807,194 with the fields, 793,282
// with the jumps, 707,564 before).
//
// Snapshots and log compaction (Raft paper, section 7; snapshot.go), with
// Params.SnapshotEvery = k > 0 (0, the default, turns them off and leaves
// every pinned count below as it was). Once k committed entries lie past
// a node's snapshot it replaces them by a new Snapshot at commitLength:
// the index and term of its last entry (the log's base: Log holds the
// entries after it, and indices, commitLength, sentLength and
// ackedLength stay absolute), a chained 64-bit digest of the entries it
// replaces (the raft-level applied sequence in constant space), and Data,
// the state of the Machine above the log (NewWithMachine; spec/kv's store
// is one) — empty for Raft alone, whose course state machine is the
// delivered sequence the digest stands for. A leader whose sentLength for
// a follower is below its snapshot sends InstallSnapshot instead of a
// LogRequest. A follower in the sender's term whose commitLength is below
// the snapshot installs it: it keeps its entries after the snapshot's
// index if it holds that entry with the same term, and discards its whole
// log otherwise; its commitLength becomes the snapshot's index, and it
// observes Installed so that the layer above loads Data. A snapshot the
// follower's commitLength already covers is only acknowledged. A
// LogRequest whose prefix lies inside the follower's snapshot is taken
// from the snapshot on (those entries are committed, so they match). A
// restart loads the snapshot, then the log suffix, as Crash keeps both:
// spec/kv rebuilds its store from Data, then applies the committed
// entries after it. Bound: a node persists its term, vote, commitLength,
// the snapshot (16 bytes and the machine's state) and the entries past
// it — fewer than k committed ones plus those not yet committed, which
// the leader's flow bounds (at run time, what is in flight) — however
// long the history: 10,000 requests with k = 100 leave at most 100
// entries in any node's persisted log, where without snapshots it holds
// all 10,000 (TestPersistedLogStaysBounded; spec/kv's store keeps 100
// entries and 6.4 KB against 10,008 and 600 KB at run time,
// impl/protocols TestKVSnapshotsBoundThePersistedStateOverALongRun).
//
// The properties compare logs by absolute index: entries both nodes hold
// one by one, and the prefix one of them has compacted by its digest
// (DigestAt folds the entries after a snapshot onto its digest); where
// one node's snapshot covers an index the other node has committed but
// not compacted, the digests of the prefixes up to it are compared, and
// where it covers more than the other has committed, those entries are
// gone and count as matching. (A digest is a 64-bit hash: two different
// prefixes with one digest would hide a divergence, never report a false
// one; the chance is about 2^-64 per pair.) Leader completeness counts an entry as
// held by a leader whose snapshot covers it (state machine safety
// compares the digests). Two more properties: log-terms-monotonic, terms
// never decrease along a log from the snapshot's last entry on, and the
// sometimes property snapshot-installed. Pinned with snapshots on
// (SnapshotEvery 1, three nodes, every property holds, snapshot-installed
// reached; TestSnapshotsPinned):
//
//	candidates  maxterm  requests  system model                    states
//	1           2        2         FIFO, 1 crash with recovery     49,819
//	2           2        2         FIFO, reliable                  803,846   (-tags long)
//	2           2        1         FIFO, 1 crash with recovery     1,741,312 (-tags long; `modelcheck check raft -snapshot 1`,
//	                                                                          every sometimes property reached)
//
// Clusters of up to MaxNodes = 16 nodes run (a node's votes and lengths
// are fixed-size arrays); the checker's space allows far fewer, and its
// pinned figures are for three.
//
// Properties (Properties). Elected leaders and votes cast are observed
// (spec.Observe) and read from each node's own order of events
// (spec.NeedsLocalOrder), so they are tracked over all time, across
// crashes:
//
//	election-safety       always         at most one leader per term, ever
//	one-vote-per-term     always         a node votes at most once per term, across crashes
//	term-monotonic        on-transition  currentTerm never decreases
//	leader-append-only    on-transition  a leader only appends to its log
//	log-matching          always         entries with the same index and term agree, and so do the logs before them
//	log-terms-monotonic   always         along a log, from its snapshot's last entry on, terms never decrease
//	leader-completeness   always         an entry committed in term t is in the log of every leader of a later term
//	state-machine-safety  always         the committed prefixes of any two nodes agree
//	commit-monotonic      on-transition  commitLength never decreases
//	commit-within-log     always         commitLength never exceeds the log; a snapshot covers only committed entries
//	acked-monotonic       on-transition  a leader's ackedLength of a follower never decreases within a term
//	sent-backs-off        on-transition  within a term, a leader's sentLength of a follower rises only to what it acknowledged
//	leader-elected        sometimes      some node becomes leader
//	committed-everywhere  sometimes      an entry is committed on every node
//	leader-replaced       sometimes      a leader crashes and another node leads a later term
//	snapshot-installed    sometimes      a follower installs a leader's snapshot (left out with snapshots off)
//
// Mutants (Mutants), each caught on three nodes with the property it
// breaks, by `modelcheck check raft -mutant NAME` plus the flags shown
// (the README gives the times on one machine):
//
//	mutant                breaks                flags beyond the defaults                   search           steps
//	floor-half-quorum     election-safety       -                                           BFS              2
//	volatile-vote         one-vote-per-term     -                                           BFS              5
//	                      election-safety       -all -requests 0                            BFS, keep going  8
//	vote-without-logok    leader-completeness   -                                           BFS              10
//	no-ack-guard          acked-monotonic       -crashes 0 -dups 1                          BFS              10
//	no-term-check         state-machine-safety  -crashes 0 -requests 2 -beats 1             BFS              13
//	commit-any-term       leader-completeness   -crashes 0 -maxterm 4 -requests 3 -beats 1  random, seed 1   58
//	unbounded-hint        sent-backs-off        -crashes 0 -maxterm 3 -candidates 3         random, seed 1   26
//	                                            -requests 3 -beats 1 -network unordered
//	snapshot-uncommitted  leader-completeness   -snapshot 1 -crashes 0                      BFS              7
//	snapshot-rollback     commit-monotonic      -snapshot 1 -crashes 0 -network unordered   BFS              16
//	                                            -candidates 1 -maxterm 1 -requests 2
//	snapshot-keep-suffix  log-terms-monotonic   -snapshot 1 -crashes 0 -network unordered   random, seed 6   30
//	                                            -requests 3 -beats 1
//	old-truncation        state-machine-safety  (beyond bounded search; see below)
//
// commit-any-term is the Raft paper's Figure 8: a leader of term 4
// commits an entry of term 2 by counting replicas, crashes, and a leader
// that lacks the entry is elected and overwrites it. It needs four terms,
// three requests and a heartbeat; breadth-first and depth-first search
// do not exhaust that space (millions of states and still growing when
// stopped), and a seeded random walk of depth 60 finds it; the walk's
// seed reproduces it.
//
// The snapshot mutants. snapshot-uncommitted snapshots every entry a
// node holds (its machine applies them): the leader of term 1 takes
// request 1 into its snapshot, and the leader of term 2, elected without
// it, lacks an entry that was delivered. snapshot-rollback installs a
// snapshot the follower's commit already covers: over unordered links an
// older InstallSnapshot arrives after a newer one and commitLength goes
// back. snapshot-keep-suffix keeps the follower's entries after the
// snapshot's index even when its own entry there has another term. On
// three nodes the only log that can hold such a suffix is the old
// leader's own (a follower holding the old leader's uncommitted entries
// would make them a majority, and a leader without them could not be
// elected), so no second log shares the suffix's index and term: log
// matching cannot see it, and the invariant it breaks first is that a
// log's terms never decrease (five nodes would let it break log matching,
// beyond the checker's reach). A seeded random walk finds it in 30 steps.
//
// unbounded-hint needs a refusal that reaches the leader after it has
// moved below the hint: here a refusal of a request of an older term,
// which carries the follower's newer term, the new leader's, and its
// length; a seeded random walk (depth 50) finds one in 26 steps.
//
// old-truncation: course 6.2 asks whether the 2020/21 rule — truncate the
// follower's log only if the first new entry's term differs from the
// entry at that index — loses committed entries, and gives a trace
// derived by hand. The trace needs four terms, several entries, a
// duplicated refusal and a lost request in one order, which is beyond
// the bounds a search from the initial state can exhaust, so
// TestOldTruncationRuleDivergesOnTheCourseTrace starts from the
// exercise's logs (A = [m1¹ m2¹], B = [m1¹ m4² m5² m6²] leading term 4,
// C = [m1¹ m4² m7³]) and plays it step by step. Finding: the trace is
// real. B's prefix-4 and (after a duplicated refusal) prefix-3 requests
// to C are refused, sentLength[C] falls to 1 while the prefix-2 request
// is in flight; the prefix-1 request arrives first, the old rule sees
// m4² = m4², keeps m7³, appends m6 after it and acknowledges 4; the
// prefix-2 request is lost; B commits through index 5, and B and C hold
// different committed entries at index 3 (m5 and m7) — state machine
// safety broken. With the 2021/22 rule C truncates after m4 and the logs
// agree; the test checks both.
//
// Pipelining and batching (pipeline.go), with Params.Pipeline = W > 0
// and Params.Batch; both off by default, which leaves the course's
// replication and every count below as it was. A pipelining leader takes
// what it sent as sent: a LogRequest carries the entries from sentLength
// to the log's end but never past ackedLength+W, sentLength moves to its
// end, and the next carries only newer ones; a refusal moves sentLength
// back by its hint but not below ackedLength, and a heartbeat probes from
// sentLength, so a lost request is found by the refusal that follows. A
// batching leader appends a client request and arms the Flush timer; the
// flush sends every new entry in one LogRequest per follower. k requests
// in flight then cost k entries per follower, not k(k+1)/2. The follower
// is unchanged. sent-backs-off, pipelined, lets a send raise sentLength
// within the window. Pinned with every property holding
// (TestPipelineAndBatchPinned): two nodes, two candidates, term 2, two
// requests, one heartbeat, FIFO, one crash with recovery: 39,628 states
// (W = 1), 76,814 (W = 2 with batching); three nodes, one candidate, term
// 1, two requests, one heartbeat, W = 1 with batching: 16,996 states over
// FIFO links, 1,385,023 with a drop and a duplicate, and without batching
// 506,934 over unordered links. The mutant pipeline-ack-on-send advances
// ackedLength with sentLength, so the leader commits what no follower
// holds yet: the other candidate, elected with the third node's vote,
// leads without the entry (leader-completeness, 7 steps). The mutant
// pipeline-accept-gap is a follower that accepts a LogRequest whose
// prefix runs past its log, as a pipelined request does when the one
// before it was lost: it appends after the gap and acknowledges entries
// it lacks (log-matching, 11 steps over FIFO links with one drop).
//
// Pinned figures for the correct protocol (exhaustive breadth-first
// search, three nodes, every property holds; `go test ./spec/raft` holds
// the first row, `go test -tags long ./spec/raft` all of them;
// `modelcheck check raft` runs the last):
//
//	candidates  maxterm  requests  system model                      states
//	1           2        1         unordered, reliable               34,766
//	2           2        1         FIFO, reliable                    104,441
//	2           2        0         unordered, reliable               370,331
//	2           2        1         FIFO, 1 drop                      502,726
//	2           2        1         FIFO, 1 crash with recovery       1,741,260  (the default; every sometimes property reached)
package raft
