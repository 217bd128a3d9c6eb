// Package quorum is the replicated register of course section 5.2
// ("Quorums"): quorum writes, quorum reads and read repair over replicas
// that keep timestamped values (section 5.1) — or, with write-back, the
// ABD register of section 7.2, with one writer or several.
//
// Nodes 0..N-1 are replicas, each holding a register (ts, v), initially
// (0, 0). Node N is the writer (nodes N..N+Writers-1 with several writers,
// Params.Writers); the readers come after it (one by default,
// Params.Readers). On a request write(v) the writer takes
// ts := counter+1, sends Write(ts, v) to every replica and, once W distinct
// replicas have acknowledged it, observes WriteDone(ts, v). On a request
// read(id) a reader observes ReadStart(id), sends Read(id) to every replica
// and, once R distinct replicas have replied, observes ReadDone(id, ts, v)
// for the reply with the highest timestamp; it then sends Repair(ts, v),
// with the original timestamp, to every replica that replied with an older
// one, and later to any stale replica whose reply to that read arrives late.
// A replica stores a Write, Repair or WriteBack only if its timestamp is
// newer than the one it holds, and acknowledges every Write and WriteBack.
// A client runs one operation at a time: a request that arrives while it
// is busy is queued and starts
// (ReadStart is observed) when the operation before it completes. The
// replicas' registers and the writer's counter are persisted; a client's
// operation in progress and its queue are volatile, so a client that
// crashes forgets them. No timers: messages are not retried, so a lost
// message can stall an operation, which costs liveness but never safety.
//
// With Params.WriteBack (ABD, course 7.2) a reader does not return at once
// and does not repair: once R replicas have replied it sends
// WriteBack(ts, v), the newest value with its original timestamp, to every
// replica that is not known to hold it (those that replied with it count
// as holding it), and observes ReadDone(id, ts, v) only when W replicas
// hold it — at once if W of the replies carried it already.
//
// With several writers (Params.Writers ≥ 2, multi-writer ABD) a timestamp
// is a pair (counter, writer number), compared counter first, printed
// "1.2"; replicas keep the larger. On write(v) a writer observes
// WriteStart(v), sends Query(v) to every replica and, once R distinct
// replicas have answered with their timestamps, writes with (max+1, its
// own number). Writes go to the writers in turn, as reads to the readers.
//
// Guarantees: with R+W > N every read quorum meets every write quorum
// (Intersect checks it by enumeration), so a read that starts after a write
// completed returns that write or a newer one, however messages are
// reordered, and also when a message is lost or a replica crashes and
// recovers; replicas never go back to an older timestamp. With R+W ≤ N a
// read can miss the write entirely. Even with R+W > N the register is not
// linearizable (section 7.2, Cx1): read repair does not wait, so a read
// that starts after another read returned a new value may still return the
// old one — a new-old inversion, which read-after-read names. Write-back
// removes it: a read returns only a value that a write quorum holds, which
// every later read quorum meets. With one writer, read-after-write and
// read-after-read are what linearizability asks of the register beyond
// what its structure gives (every value read was written by a write that
// had started): no read goes back behind a completed write, nor behind
// another read's result.
// With several writers the query is what keeps it so: it makes a write's
// timestamp larger than that of every write completed before it started
// (a read quorum meets that write's quorum), so the order of the
// timestamps is a legal sequential order — the linearizable property
// searches the history for one.
//
// Properties (Properties):
//
//   - read-after-write (always, ghost history): a read whose ReadStart comes
//     after a WriteDone in the history returns a timestamp at least that
//     write's (and the write's value if the timestamp is equal).
//   - read-after-read (always, ghost history): a read whose ReadStart comes
//     after another read's ReadDone returns a timestamp at least that
//     read's (and its value if the timestamp is equal). Promised only with
//     write-back; without it, the checker shows Cx1.
//   - linearizable (always, ghost history; several writers only): some
//     sequential order of the operations — every completed one and any
//     pending write, each placed between its start and its end — explains
//     every value read. With one writer, read-after-write and
//     read-after-read say the same, and writes are not observed starting.
//   - replica-monotonic (on-transition): a replica's timestamp never
//     decreases, across crash and recovery too.
//   - write-completes, read-after-write-happens, read-after-read-happens,
//     stale-replica-repaired (sometimes): a write completes; a read starts
//     after a write completed and completes, so read-after-write is not
//     vacuous; a read starts after another read returned and completes; a
//     read repair or a write-back raises a stale replica's timestamp.
//
// With fewer than two reads, read-after-read and its witness have nothing
// to check: Checked leaves them out (Vacuous says why).
//
// Mutants (Mutants), with the property the checker finds violated and the
// length of the shortest counterexample:
//
//   - read-lowest: the reader returns the oldest reply; read-after-write,
//     10 steps with DefaultParams.
//   - replica-overwrite: a replica stores an older Write or Repair over a
//     newer value; replica-monotonic, 8 steps with Writes = 2.
//   - volatile-store: a replica keeps its register in memory only;
//     replica-monotonic, 3 steps under crash-recovery (write, store, crash).
//   - local-counters: with several writers, each writer counts its own
//     timestamps and skips the query; linearizable, 15 steps with N = W =
//     R = 2, two writers of one write each, one read, write-back: writer 2
//     writes (1.2) and completes, writer 1 then writes (1.1), which no
//     replica keeps, and the read returns writer 2's older value.
//
// Pinned figures (exhaustive breadth-first search, one write and one read,
// unordered network unless said otherwise; the tests hold these numbers):
//
//	N W R  system model            result     states  transitions  depth
//	3 2 2  reliable                ok          3,409       11,568     16
//	3 2 2  FIFO links              ok          3,409       11,568     16
//	3 2 2  1 drop                  ok         10,264       44,024     16
//	3 2 2  1 crash, crash-stop     ok         31,022      117,480     17
//	3 2 2  1 crash, crash-recovery ok         53,287      215,319     18
//	5 3 3  reliable                ok        716,965    4,177,734     26
//	3 1 2  reliable, 1 drop or 1 crash-recovery: read-after-write violated in 8 steps
//	3 2 1  reliable, 1 drop or 1 crash-recovery: read-after-write violated in 8 steps
//	2 1 1  reliable, 1 drop or 1 crash-recovery: read-after-write violated in 6 steps
//
// With write-back (Params.WriteBack), and Cx1 (two reads; one write); the
// 158,200 and 689,207 checks are skipped by go test -short:
//
//	N W R  workload / system model          result     states  transitions  depth
//	3 2 2  1 read, reliable                 ok         10,513       37,776     18
//	3 2 2  1 read, 1 drop                   ok         30,625      141,920     18
//	3 2 2  1 read, 1 crash, crash-recovery  ok        158,200      683,240     20
//	2 2 1  2 readers, 1 read each           ok         80,690      299,508     19
//	2 2 1  1 reader, 2 reads                ok          6,851       22,147     19
//	3 2 2  1 reader, 2 reads                ok        689,207    3,308,282     28
//	2 2 1  2 readers, no write-back: read-after-read violated in 8 steps (Cx1)
//	3 2 2  2 readers, no write-back: read-after-read violated in 12 steps
//
// With two writers of one write each and write-back (N = W = R = 2: three
// replicas with majorities are millions of states with two writers):
//
//	workload / system model                    result   states  transitions  depth
//	1 read, reliable, symmetry of replicas     ok       61,207      213,326     25
//	1 read, reliable                           ok      119,530      418,372     25
//	2 reads, reliable, symmetry of replicas    ok      443,760    1,573,680     32
//	1 read, local-counters: linearizable violated in 15 steps (23,783 states)
//
// The last two proofs run with go test -tags long.
//
// FIFO links change nothing because no link ever carries two messages at
// once in this workload.
//
// The N = 5 check runs with go test -tags long. Times are indicative.
package quorum
