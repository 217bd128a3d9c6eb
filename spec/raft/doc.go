// Package raft is Raft consensus as course sections 6.1 and 6.2 give it:
// leader election with terms and votes, log replication by prefix/suffix
// LogRequests, commit by majority acknowledgement restricted to entries of
// the leader's current term, followers forwarding client requests to the
// leader, and crash-recovery. The handlers are the corrected 2021/22 ones;
// the 2020/21 ones, and the other classic bugs, are Mutants.
//
// Each node persists currentTerm, votedFor, its log and commitLength
// (Protocol.Crash keeps exactly these); its role, the leader it knows,
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
//	leader-completeness   always         an entry committed in term t is in the log of every leader of a later term
//	state-machine-safety  always         the committed prefixes of any two nodes agree
//	commit-monotonic      on-transition  commitLength never decreases
//	commit-within-log     always         commitLength never exceeds the log
//	acked-monotonic       on-transition  a leader's ackedLength of a follower never decreases within a term
//	sent-backs-off        on-transition  within a term, a leader's sentLength of a follower rises only to what it acknowledged
//	leader-elected        sometimes      some node becomes leader
//	committed-everywhere  sometimes      an entry is committed on every node
//	leader-replaced       sometimes      a leader crashes and another node leads a later term
//
// Mutants (Mutants), each caught on three nodes with the property it
// breaks, by `modelcheck check raft -mutant NAME` plus the flags shown
// (the README gives the times on one machine):
//
//	mutant              breaks                flags beyond the defaults                 search             steps
//	floor-half-quorum   election-safety       -                                         BFS                2
//	volatile-vote       one-vote-per-term     -                                         BFS                5
//	                    election-safety       -all -requests 0                          BFS, keep going    8
//	vote-without-logok  leader-completeness   -                                         BFS                10
//	no-ack-guard        acked-monotonic       -crashes 0 -dups 1                        BFS                10
//	no-term-check       state-machine-safety  -crashes 0 -requests 2 -beats 1           BFS                13
//	commit-any-term     leader-completeness   -crashes 0 -maxterm 4 -requests 3 -beats 1 random, seed 1   58
//	unbounded-hint      sent-backs-off        -crashes 0 -maxterm 3 -candidates 3       random, seed 1   26
//	                                          -requests 3 -beats 1 -network unordered
//	old-truncation      state-machine-safety  (beyond bounded search; see below)
//
// commit-any-term is the Raft paper's Figure 8: a leader of term 4
// commits an entry of term 2 by counting replicas, crashes, and a leader
// that lacks the entry is elected and overwrites it. It needs four terms,
// three requests and a heartbeat; breadth-first and depth-first search
// do not exhaust that space (millions of states and still growing when
// stopped), and a seeded random walk of depth 60 finds it; the walk's
// seed reproduces it.
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
