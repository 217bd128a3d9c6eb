// Package clocks is Lamport clocks and vector clocks (course section 4.1,
// "Logical time"), checked against the true happens-before relation of
// section 3.3.
//
// It is one node protocol in which every node keeps both clocks: a Lamport
// counter L and a vector V with one entry per node. Each node does a
// bounded number of events, each a local event or a send to any other node
// (the checker tries every choice), and receives every message sent to it:
//
//	local event or send:  L := L+1;            V[i] := V[i]+1
//	receive (L', V'):     L := max(L, L')+1;   V := max(V, V'), then V[i] := V[i]+1
//
// A message carries the sender's (L, V) after its send event. Every event
// emits one observation with its kind, node and timestamps, so the model's
// ghost history holds every event stamped with the vector clock of true
// happens-before (spec.Event.Clock), which the properties compare the
// protocol's timestamps with. The course's system model is reliable links,
// asynchronous, crash-stop or persisted counters: both clocks are
// persisted, so Crash keeps them and Recover does nothing.
//
// # Properties
//
// Four safety properties are checked on every step, for the new event
// against every earlier one (spec.OnTransition), and three sometimes
// properties show that the interesting executions are reached:
//
//	lamport-unique                   no two events share (L, node): the total order is total
//	lamport-consistent               a→b ⇒ L(a) < L(b)
//	vector-unique                    V(a) = V(b) ⇔ a = b
//	vector-consistent                V(a) < V(b) ⇔ a→b, and V(a) ∥ V(b) ⇔ a ∥ b
//	lamport-order-without-causality  (sometimes) some a ∥ b have L(a) < L(b): the witness
//	                                 that Lamport order does not imply causality
//	concurrent-events                (sometimes) two events are concurrent
//	message-received                 (sometimes) a node receives a message
//
// The unique properties follow from the consistent ones; they come first so
// that a violation is reported under the narrowest property it breaks.
// With N = 2 and Events = 1 no two concurrent events have different Lamport
// timestamps, so lamport-order-without-causality is never reached and the
// correct protocol's check is Violated; every larger configuration is OK.
//
// # Mutants
//
// Each is caught; the steps are the length of the shortest counterexample
// under DefaultParams.
//
//	lamport-no-max          receive sets L := L+1, ignoring L'         breaks lamport-consistent (2 steps)
//	receive-no-increment    receive merges both clocks, no +1          breaks lamport-consistent (2 steps)
//	vector-overwrite        receive sets V := V', then ticks           breaks vector-consistent  (4 steps)
//	lamport-local-no-tick   a local event leaves L unchanged           breaks lamport-unique     (2 steps)
//	vector-receive-no-tick  receive merges V but does not tick V[i]    breaks vector-unique      (2 steps)
//
// # State counts
//
// Exhaustive breadth-first checks under model.Config{} (reliable, unordered
// network, no faults), pinned by the tests. "Ghost" is the check of all
// Properties, which keeps every event with its happens-before clock; "bare"
// is the same protocol with no property, hence no ghost state. The
// properties read happens-before only, not real time, so the model merges
// executions that differ only in the order of concurrent events; what the
// ghost adds is the events themselves.
//
//	N  Events  ghost states  transitions  depth  bare states  transitions
//	2  1                 22           27      4           22           27
//	2  2                749        1,037      8          604          967
//	2  3  (default)  44,171       66,997     12       17,899       40,447
//	3  1                480          802      6          441          781
//	4  1             15,128       32,225      8       12,854       29,613
//	3  2            802,806    1,486,069     12            -            -
//
// The last row is measured but not run by the tests, to keep them fast.
package clocks
