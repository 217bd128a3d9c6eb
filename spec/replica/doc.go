// Package replica is N replicas of one key of a key-value store, written
// by puts and removes and kept in step by resends and anti-entropy, as in
// course section 5.1 ("Replication": retries, tombstones, concurrent
// writes). It is the course's argument in four stores, chosen by
// Params.Store (modelcheck's -store):
//
//   - naive: a replica keeps the value, or nothing once the key is removed
//     (delete removes the key), and adopts whatever store a peer sends. It
//     cannot tell which of two stores is newer, nor a lost remove from a
//     lost put.
//   - lww: the key maps to (Lamport timestamp, value or tombstone); a
//     remove leaves a tombstone, and of two versions a replica keeps the
//     one with the greater (timestamp, writer): last writer wins.
//   - physical: lww stamped by physical clocks, node 0's running Skew ticks
//     ahead (the course's Cassandra exercise).
//   - mv: a multi-value register; each version carries a version vector,
//     and a replica keeps every version no other dominates: the concurrent
//     siblings.
//
// Replica i makes Writes[i] writes, each a put or a remove (the checker
// tries both); the value a put stores is the write itself, named
// w<writer>.<k>. After a write a replica sends its store to every peer,
// and its retry timer (asynchronous: it may fire at any time) resends the
// store, as it is then, up to Retries times. A resend keeps each version
// as it was stamped: a retry reuses its original timestamp. The store
// (and the clock) is persisted; the resends still to make are not, and a
// recovering replica runs a round of anti-entropy instead: it sends its
// store to every peer and asks for theirs.
//
// Time under physical: a replica's Clock is the real time it knows of: a
// write takes one tick, and receiving a store brings the clock up to the
// sender's (a message arrives after it was sent). The physical clock
// reads Clock, plus Skew at node 0. A write that happened after another
// is at least one tick later in real time, so a skew of one tick ties it
// and the tie goes to the higher writer; from two ticks on, node 0's
// earlier write beats node 1's causally later one.
//
// Guarantees (Store.Guarantees), when no more of a write's messages are
// lost than it resends, under crashes too (stop, or recover): lww converges,
// never replaces a version by an older-timestamped one and never ends
// with a write that happened before another; physical the first two only;
// mv also holds exactly the maximal writes. Naive guarantees nothing, even
// on a reliable network. Two drops defeat one resend, and then every
// store diverges: resends bounded so that the state space is finite stand
// for anti-entropy forever only up to as many losses.
//
// Properties (Properties). Causality is the model's ghost happens-before
// between the writes (spec.NeedsHappensBefore), never the stores' own
// timestamps:
//
//   - maximal-versions (at quiescence; checked for mv, the one store that
//     promises it — modelcheck -all shows lww keeping one of two
//     concurrent writes): every replica holds exactly the writes no other
//     write happened after.
//   - convergence (at quiescence): every replica that is up holds the same
//     store.
//   - no-older-overwrite (on each step; not naive, whose versions carry no
//     timestamp): a replica never replaces a version by an
//     older-timestamped one, or, with vectors, drops a version that none
//     it keeps dominates.
//   - no-causal-loss (at quiescence): no replica ends with a write that
//     happened before another write.
//
// Each store's check evaluates the properties of Store.Checked; those it
// does not guarantee are its counterexamples. Sometimes properties
// (Store.Witnesses): concurrent-writes and later-write-replaces (all
// stores), concurrent-write-lost (lww and physical: every replica holds
// one write, and a write concurrent with it is gone for good — last
// writer wins loses a concurrent write), siblings (mv: a replica holds two
// concurrent versions). With fewer than two replicas writing none can
// happen (Params.Unreachable).
//
// Mutants (Mutants), with the length of the shortest counterexample under
// DefaultParams on a reliable network (mv-keep-all with -store mv):
//
//   - no-tombstone: a remove deletes the key and its timestamp; an empty
//     store tells a peer nothing, and the peer keeps the removed value;
//     convergence, 8 steps.
//   - restamp-retry: a resend restamps the replica's own write, so the
//     retry beats a causally later write (course 5.1, Cx1);
//     no-causal-loss, 8 steps.
//   - accept-older: a replica adopts any version it receives;
//     no-older-overwrite, 3 steps.
//   - mv-keep-all: the multi-value merge never drops a dominated version;
//     maximal-versions, 8 steps.
//
// The catalog adds the broken configurations: naive diverges (-store
// naive -retries 0, convergence, 4 steps) and loses a later write to a
// stale retry (-store naive, no-causal-loss, 8 steps); physical
// timestamps under a skew of 2 drop a causally later write (-store
// physical -skew 2, no-causal-loss, 8 steps); two drops beat one resend
// (-drops 2, convergence, 8 steps).
//
// Pinned figures (exhaustive breadth-first search, unordered network, one
// worker, one search keeping going after violations; "violated" gives the
// shortest counterexample of each property it breaks; the tests hold
// these numbers). The ghost history
// dominates the state: lww, physical and mv explore the same number of
// states.
//
//	store     writes  resends skew system model       states  transitions  depth  violated (steps)
//	naive     1,1     1       -    reliable             914        1,425      8  convergence 8, no-causal-loss 8 (*)
//	naive     1,1     1       -    1 crash (recover) 14,039       21,417      8  convergence 8, no-causal-loss 8 (*)
//	naive     1,1,0   1       -    reliable          16,953       52,417     12  convergence 12, no-causal-loss 12 (*)
//	lww       1,1     1       -    reliable (default)   857        1,401      8  -
//	lww       1,1     1       -    1 drop             1,685        3,505      8  -
//	lww       1,1     1       -    2 drops            1,997        4,521      8  convergence 8, no-causal-loss 8
//	lww       1,1     2       -    2 drops           48,537      170,345     12  -
//	lww       1,1     1       -    1 duplication      5,973       11,909     10  -
//	lww       1,1     1       -    1 crash (stop)     3,499        6,467      9  -
//	lww       1,1     1       -    1 crash (recover) 42,845       87,757     12  -
//	lww       2,1     1       -    reliable          35,193       77,921     12  -
//	lww       1,1,0   1       -    reliable          11,601       38,917     12  -
//	lww       1,1,1   0       -    reliable           4,377       10,591      9  -
//	physical  1,1     1       1    reliable             857        1,401      8  -
//	physical  1,1     1       2    reliable             857        1,401      8  no-causal-loss 8
//	physical  1,1     1       2    1 crash (recover) 42,845       87,757     12  no-causal-loss 8
//	mv        1,1     1       -    reliable             857        1,401      8  -
//	mv        1,1     1       -    1 duplication      5,973       11,909     10  -
//	mv        1,1     1       -    1 crash (recover) 42,845       87,757     12  -
//	mv        1,1     1       -    2 drops            1,997        4,521      8  maximal-versions 8, convergence 8, no-causal-loss 8
//	mv        2,1     1       -    reliable          35,193       77,921     12  -
//	mv        1,1,1   0       -    reliable           4,377       10,591      9  -
//
// (*) The search ends once every checked property is violated, before the
// space is exhausted. Bigger checks (two writes each, three replicas under
// a drop: up to 3,393,193 states) are pinned in long_test.go, run with
// go test -tags long.
package replica
