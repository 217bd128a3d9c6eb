package explore

// System is a finite transition system the explorer can walk. It is generic
// over its state type S and action type A and knows nothing of nodes,
// messages or protocols.
//
// Implementations must be deterministic and safe for concurrent use: the
// parallel breadth-first search calls Next and Fingerprint from several
// goroutines at once, and a counterexample is rebuilt by calling Next again
// along the recorded path, so the same state must always yield the same
// edges in the same order.
type System[S, A any] interface {
	// Init returns the initial states, in a fixed order.
	Init() []S
	// Next calls yield once for every transition enabled in s, in a fixed
	// order: the action, the state it leads to, and whether it is a fault
	// (see Edge). Self-loops are included: they count as transitions even
	// though they reach no new state. The explorer may keep next after
	// yield returns, so it must not be changed afterwards. The signature uses only the system's
	// own types, so a package can satisfy System without importing explore.
	Next(s S, yield func(a A, next S, fault bool))
	// Fingerprint returns a 64-bit identity of the canonical form of s: two
	// states that must be treated as one (for example, the same network
	// multiset in another order) must have the same fingerprint, and two
	// that differ should not. It need not be well distributed (the explorer
	// mixes it), so a state packed into 64 bits may be its own fingerprint.
	Fingerprint(s S) uint64
	// Label describes action a taken from state s in one line, for
	// counterexamples. It is called only off the hot path.
	Label(s S, a A) string
}

// Edges collects the transitions enabled in s, appending them to buf.
func Edges[S, A any](sys System[S, A], s S, buf []Edge[S, A]) []Edge[S, A] {
	sys.Next(s, func(a A, next S, fault bool) {
		buf = append(buf, Edge[S, A]{Action: a, State: next, Fault: fault})
	})
	return buf
}

// Edge is one transition: taking Action leads to State. Fault marks a step
// taken by the environment's fault budget (a message lost, a node crashed)
// rather than by the system itself; a state whose only state-changing edges
// are faults is quiescent.
type Edge[S, A any] struct {
	Action A
	State  S
	Fault  bool
}
