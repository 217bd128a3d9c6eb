package spec

// NodeID identifies a node of a system of n nodes: 0, 1, …, n-1.
type NodeID int

// Timer identifies one of a node's timers. A protocol names its timers with
// constants and says what they are called with Protocol.TimerName.
type Timer uint8

// Protocol is one node's behaviour, as data plus pure functions.
//
// Step must be deterministic and must not mutate its argument: it returns a
// new state (sharing unchanged parts with the old one is fine, changing
// them in place is not) and its effects as a list of outputs. The model
// checker calls it from several goroutines on shared states, and the
// runtime replays recorded inputs through it, so any hidden input (time,
// randomness, map iteration order, a global) would make checked and run
// behaviour diverge. Randomness a protocol needs arrives as an input.
//
// A state is split into what survives a crash (persisted) and what does not
// (volatile). Crash returns the persisted part; the node then receives a
// Recover input and rebuilds the rest.
type Protocol[S, M any] interface {
	// Nodes is the number of nodes the protocol was configured for.
	Nodes() int
	// Init returns node id's state before it has seen any input. The node's
	// first input is always Start.
	Init(id NodeID) S
	// Step applies one input and returns the next state and the effects.
	Step(s S, in Input[M]) (S, []Output[M])
	// Crash returns what survives a crash of a node in state s: its
	// persisted part, with every volatile field reset.
	Crash(s S) S

	// AppendState appends the canonical binary encoding of s: equal states
	// encode to equal bytes and different states to different bytes (no map
	// order, no pointers, no padding). The model checker fingerprints it.
	AppendState(b []byte, s S) []byte
	// AppendMsg appends the canonical binary encoding of m.
	AppendMsg(b []byte, m M) []byte
	// FormatState describes s on one line for traces and counterexamples.
	FormatState(s S) string
	// FormatMsg describes m on one line.
	FormatMsg(m M) string
	// TimerName names timer t ("election", "retry").
	TimerName(t Timer) string
}

// WorkItem is one client or application request of a bounded workload. The
// model issues it (as a Request input) to Node, choosing one of Choices (a single choice is a
// fixed request; several let the checker try each). A node's requests are
// issued in the order they are listed; requests of different nodes
// interleave freely.
type WorkItem[M any] struct {
	Node    NodeID
	Choices []M
}

// Chooser is implemented by a protocol that makes nondeterministic choices
// of its own, such as the peers a gossip round forwards to. Choices lists
// the choices enabled in s (none: nothing to choose); the model checker
// tries each, as a Choose input, and the runtime picks one with its seeded
// random source. A protocol never draws a random number itself.
type Chooser[S, M any] interface {
	Choices(s S) []M
}

// Adversary is implemented by a protocol that can be checked with
// byzantine nodes. A byzantine node runs no Step: it may send node to any
// message Forgeries(from, to) lists — a finite domain the checker tries
// exhaustively, each (destination, message) at most once, in any order
// and at any time — and it reads whatever it is sent.
type Adversary[M any] interface {
	Forgeries(from, to NodeID) []M
}
