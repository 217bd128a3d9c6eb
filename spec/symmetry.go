package spec

// Symmetric is implemented by a protocol some of whose nodes are
// interchangeable: renaming them among themselves, in every node's state,
// in every message and timer, maps each execution to an execution, and
// every property to itself. The checker may then keep one world per orbit
// of such renamings (model.Config.Symmetry), exactly, and still report
// executions of the unreduced system.
//
// A renaming p maps node i to p[i]; nodes outside every group map to
// themselves.
type Symmetric[S, M any] interface {
	// Interchangeable lists the groups of nodes that may be renamed among
	// themselves (disjoint, each of two nodes or more).
	Interchangeable() [][]NodeID
	// RenameState returns s with every node it mentions renamed by p.
	RenameState(s S, p []NodeID) S
	// RenameMsg returns m with every node it mentions renamed by p.
	RenameMsg(m M, p []NodeID) M
	// RenameTimer returns the timer that t becomes under p (a timer per
	// peer, say); most protocols return t.
	RenameTimer(t Timer, p []NodeID) Timer
}
