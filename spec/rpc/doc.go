// Package rpc is a client calling a server over a fair-loss network, with
// the delivery semantics of course sections 1.3 ("RPC") and 5.1
// ("Replication", retries): at-most-once, at-least-once, exactly-once by
// retries and a table of executed request ids, and exactly-once by
// retries and an idempotent operation.
//
// Node 0 is the server, holding a register x (0 initially); node 1 is the
// client, to which the application issues Ops calls, one after the other.
// Call k increments x — or, under Idempotent, sets x to k. The client
// sends a call as a request and arms a timeout. Under AtMostOnce a timeout
// makes it give up (the application cannot know whether the call was
// executed); under the other semantics it resends the same request, up to
// Retries times, then waits. Under ExactlyOnce the server records each
// request id it executes in a table and answers a duplicate from it
// without executing it again. The server's register and table are
// persisted (updated atomically by one step), and so is the client's
// call in progress; a recovering server sends Restarted to the client (a
// new connection), on which a retrying client resends its call, as it does
// when it recovers itself. Timers are asynchronous: a timeout may fire
// while the request or the reply is still on its way, which is the
// course's point that a timeout cannot tell "not executed" from "reply
// lost".
//
// Guarantees: at-most-once never executes a call twice on a network that
// loses messages but does not duplicate them, and under any crashes; it
// loses a call to a single drop. At-least-once executes every call when
// the losses — drops, or deliveries to a server that is down — are no
// more than the retries plus the restarts, and executes a retried
// increment twice even on a reliable network. Exactly-once (dedup) keeps
// both halves under drops, duplication and crash-recovery of either node,
// with its table persisted; with the table in memory (volatile-dedup) a
// crash makes the server execute a retry again. Idempotent calls are
// exactly-once for one call; with a second call, a stale retry of the first
// lands after it and undoes it: f(g(f(x))) ≠ g(f(x)). Retries are bounded
// so that the state space is finite: they stand for "retry forever" only
// up to as many losses, and two drops defeat one retry.
//
// Properties (Properties). Every check evaluates the three guarantees,
// reading the observations in each node's order (spec.NeedsLocalOrder);
// the ones a semantics does not promise (Semantics.Guarantees) are its
// counterexamples:
//
//   - at-most-once (always): no call takes effect twice. The first
//     execution of a call takes effect; a later one does if it changes
//     the register (executing set k on x = k does not).
//   - at-least-once (at quiescence, server and client up): every call the
//     application issued has been executed.
//   - exactly-once (at quiescence, server and client up): x is what
//     executing every issued call once, in order, gives.
//
// Sometimes properties, each checked by the semantics it concerns
// (Semantics.Witnesses): call-returns (all), call-retried (all but
// at-most-once), duplicate-answered (exactly-once),
// reexecuted-without-effect (idempotent).
//
// Mutants (Mutants), each of exactly-once, with the length of the
// shortest counterexample under DefaultParams:
//
//   - volatile-dedup: the table lives in memory; at-most-once, 6 steps
//     under one crash with recovery (execute, retry, crash, recover,
//     execute again).
//   - new-id-per-retry: each resend carries a fresh request id, which the
//     table never recognises; at-most-once, 4 steps.
//   - volatile-client: the client keeps its call in progress in memory;
//     crashing between accepting a call and sending it, it forgets it;
//     at-least-once, 5 steps with a crash in the middle of a step.
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one search keeping going after violations; "violated" gives the
// shortest counterexample of each property it breaks; the tests hold
// these numbers):
//
//	semantics      ops retries  system model       states  transitions  depth  violated (steps)
//	at-most-once   2   -        reliable                73          110      8  -
//	at-most-once   2   -        1 drop                 147          266      8  at-least-once 6, exactly-once 6
//	at-most-once   2   -        1 crash (stop)         268          483      9  -
//	at-most-once   2   -        1 duplication          569        1,035     11  at-most-once 4, exactly-once 9
//	at-least-once  2   1        reliable               127          201     12  at-most-once 4, exactly-once 9
//	at-least-once  2   1        1 drop                 279          561     12  at-most-once 4, exactly-once 9
//	at-least-once  2   1        1 crash (recover)    2,068        4,295     17  at-most-once 4, exactly-once 9
//	at-least-once  2   1        2 drops                 62           97      5  all three: 4, 5, 5 (*)
//	exactly-once   2   1        reliable (default)     127          201     12  -
//	exactly-once   2   1        1 drop                 279          561     12  -
//	exactly-once   2   1        1 duplication          908        1,838     15  -
//	exactly-once   2   1        1 crash (stop)         489          937     13  -
//	exactly-once   2   1        1 crash (recover)    2,068        4,295     17  -
//	exactly-once   2   1        1 crash, mid-step    2,369        4,994     17  -
//	exactly-once   2   1        2 drops                369          768     12  at-least-once 5, exactly-once 5
//	exactly-once   2   2        2 drops              4,049       12,036     18  -
//	exactly-once   3   1        reliable             2,996        6,020     18  -
//	idempotent     1   1        reliable                10           12      6  -
//	idempotent     1   1        1 drop                  18           26      6  -
//	idempotent     1   1        1 duplication           33           50      9  -
//	idempotent     1   1        1 crash (recover)      107          184     11  -
//	idempotent     2   1        reliable               127          201     12  at-most-once 7, exactly-once 9
//
// (*) The search ends once every property is violated, before the space
// is exhausted. A search that stops at the first violation (modelcheck
// without -all) stores fewer states.
package rpc
