// Package spanner is Spanner's read-only snapshots and TrueTime commit
// wait (course 8.2), written directly as a transition system that the
// checker explores exhaustively.
//
// Versions are tagged with their writer's commit timestamp (MVCC), and a
// snapshot at t_r reads, for each object, the newest version with
// timestamp ≤ t_r. Timestamps come from TrueTime: TT.now() returns an
// interval [clock−ε, clock+ε] that contains real time, because every
// clock reading is within ±ε of it. A read-write transaction commits with
// ts = TT.now().latest and then waits until TT.now().earliest > ts before
// it is acknowledged and releases its locks (commit wait): by then real
// time has passed ts, so a transaction that starts afterwards takes a
// larger timestamp.
//
// The world, and its bounds:
//
//   - Real time is discrete, from 0 up to Params.Ticks (at least
//     MinTicks); a tick advances it by one. Every other step happens at the current real time.
//   - Each TrueTime reading has a clock error the checker chooses, every
//     value in −ε..ε being tried (the TrueTime guarantee; readings are
//     independent, which covers every clock that keeps it).
//   - Two read-write transactions on two shards: T1 writes x; T2 writes y
//     and, with Params.Reads, first reads x under a read lock (two-phase
//     locking: a read waits while x's writer is in commit wait, and T1
//     cannot write x while T2 holds its read lock). Each starts, commits
//     (takes its timestamp, writes its version, holds its write lock) and
//     becomes visible when its commit wait ends. No two-phase commit: each
//     writes one shard.
//   - One read-only transaction R (Params.Reader) takes t_r =
//     TT.now().latest and reads x and y, in either order, at t_r, taking
//     no locks. The course gives no rule for when a shard may serve such
//     a read; Spanner's is its safe time, and here a shard serves it once
//     TT.now().earliest > t_r (so every later commit takes a timestamp
//     above t_r) and no version at or below t_r is still in commit wait.
//   - Ghost state: the real-time order of the writers (Tj started while
//     Ti was visible) and whether real time advanced during a commit
//     wait.
//
// Properties (T1 → T2 means T1 was visible before T2 started, or T2 read
// T1's version):
//
//   - external-consistency (always): if Ti was visible before Tj started
//     in real time, ts(Ti) < ts(Tj).
//   - consistent-snapshot (always): a snapshot that contains Tj contains
//     every Ti → Tj.
//   - mvcc-snapshot (always): each read of R returned the newest version
//     with timestamp ≤ t_r of all versions ever committed, those
//     committed after the read included: a snapshot does not change once
//     read.
//   - sometimes: commit-waited (a writer stayed in commit wait across a
//     tick), snapshot-after-dependency (R saw a Tj with a Ti → Tj, so the
//     consistent snapshot is tested), snapshot-left-out-newer (R's
//     snapshot left out a committed version newer than t_r).
//
// Mutants (Mutants), each caught by the property it breaks, with the
// shortest counterexample under DefaultParams:
//
//   - no-commit-wait: acknowledged at once; external-consistency, 6
//     steps (T1 commits with ts 0 and is acknowledged at once, T2 starts
//     after it at the same real time and takes ts 0 too); and
//     consistent-snapshot, 11.
//   - clock-beyond-bound: clock errors up to ε+1 while TrueTime answers
//     ±ε; without the reader (-reader 0), external-consistency, 6 steps;
//     with it, mvcc-snapshot first, 4 steps (R's interval lies wholly
//     below real time, t_r = −1 at real time 0, so its read is served at
//     once; T1, its clock as far behind, then commits at t_r).
//   - read-before-safe: a shard serves the snapshot read at once;
//     mvcc-snapshot, 4 steps, and consistent-snapshot, 12.
//   - early-lock-release: T1 releases its write lock when it commits, not
//     when its commit wait ends; consistent-snapshot, 10 steps (T2 reads
//     T1's version, commits below T1's timestamp, and R's snapshot
//     between the two holds T2 without T1).
//
// Pinned figures (exhaustive breadth-first search; every property holds
// and every sometimes property is reached):
//
//	eps  ticks  reads  reader  states   transitions  depth
//	1    4      1      1        7,360        22,351     14  (default)
//	1    4      0      1       10,730        35,664     13
//	1    2      1      1        1,512         3,555     12  (the fewest ticks)
//	2    2      0      1        5,528        13,973     11
//	2    4      1      1       11,780        35,849     14
//	1    8      1      1       51,480       193,643     18
//	2    8      1      1       73,548       322,629     18
//	1    4      1      0          490           754     11  (snapshot properties left out)
//
// The largest configuration is small, so there is no long test.
//
// Spanner does not run on the runtime (impl/). Its subject is the bound
// on clock error and the real time that passes during a wait; in one
// process every node reads the same host clock, whose error is zero, so
// the commit wait and both clock mutants would be decided by the host's
// scheduler and not by TrueTime, and injecting errors into the runtime's
// clock would be a simulation of this model, not a run.
package spanner
