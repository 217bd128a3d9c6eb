// Package spec is the node contract: a protocol is data plus pure
// functions, written once and used by the model checker (model, explore),
// the runtime (impl) and the trace tools (traces).
//
// A protocol implements Protocol: Init gives a node's state, Step applies an
// Input (start, receive, timer fired, client request, recover) and returns
// the next state and a list of Outputs (send, set or cancel a timer,
// observe). Step is deterministic and never mutates its argument; the
// packages under spec/ import nothing that could make it otherwise (no
// time, math/rand, net, os, sync or log — a test enforces it).
//
// States and messages have canonical binary encodings (AppendState,
// AppendMsg), which the checker hashes into fingerprints. A state's
// persisted part is what Crash returns; recovery is an input.
//
// Each protocol package also ships its Properties (always, on-transition,
// at-quiescence, sometimes), its Mutants (known-buggy variants the checker
// must catch) and a bounded workload of WorkItems. Properties read a View of
// the whole system, including, when they ask for it, a ghost History of
// observations stamped with true happens-before.
package spec
