// Package broadcast is the broadcast hierarchy of course sections 4.2 and
// 4.3, with state machine replication on top (5.3): one protocol, several
// algorithms, one set of properties.
//
// A node broadcasts messages m<origin>.<seq> on request and delivers
// messages, itself included; every broadcast and every delivery is an
// observation. The properties — no duplication, no creation, validity and
// agreement at quiescence, FIFO, causal and total order — are defined once
// over those observations, with causality taken from the model's ghost
// happens-before, never from an algorithm's own metadata. Each algorithm
// reaches a level of the hierarchy under the system model it assumes
// (LevelOf); the checker proves that, and finds for each edge of the
// hierarchy an execution in which the weaker algorithm breaks the stronger
// property.
//
// Algorithms: best-effort (send once to all), fan-out (resend until
// acknowledged: reliable links, yet a sender crashing half-way splits the
// nodes), eager reliable (relay on first receipt), gossip (relay to chosen
// peers; the checker tries every choice), FIFO (sequence numbers and a
// hold-back buffer), causal (dependency vectors of delivered counts),
// total order by a fixed sequencer, total order by Lamport timestamps over
// FIFO links, and FIFO-total order (a sequencer that numbers each origin's
// messages in order).
//
// With a Machine, every node applies what it delivers to a replicated state
// machine (a register, a counter, an add-only set, a set with removal), and
// "convergence" says that nodes that delivered the same messages agree.
//
// Causality is the course's, at the level of broadcasts: m1 precedes m2 if
// m2's sender broadcast or delivered m1 (or a successor of m1) before
// broadcasting m2; a message received and held back creates none. The
// properties need only each node's order of observations
// (spec.NeedsLocalOrder), so the model keeps no ghost clocks.
//
// Validity and agreement are also stated as the course states them, as
// liveness (eventual-validity, eventual-agreement: leads-to properties
// under fair deliveries, timers and choices, checked on lassos; the
// catalog's -live 1): with a finite workload they say what the
// at-quiescence forms say, and a fair execution that stops short —
// best-effort broadcast whose sender crashes after one send — is their
// counterexample.
//
// Mutants: eager without relaying (agreement, when the sender crashes
// mid-step), FIFO delivering out of sequence (fifo-order), causal without
// the dependency check (causal-order), Lamport total order delivering
// before hearing from every node (total-order).
//
// The whole table — every algorithm under the model it assumes, the
// variants outside it, every property, with state counts and
// counterexample lengths — is pinned cell by cell in the catalog's tests
// and printed by `modelcheck hierarchy`; this package's tests pin each
// algorithm's own configurations. The largest, Lamport over FIFO links
// with node 0 broadcasting twice and node 1 once, has 547,488 states.
package broadcast
