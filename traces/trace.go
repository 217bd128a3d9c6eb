package traces

// FormatName and Version identify the trace format; Load rejects any other.
const (
	FormatName = "distsys-trace"
	Version    = 1
)

// Trace is one execution: a counterexample found by the checker, a witness
// of a sometimes property, or (later) a run of the runtime. Its header says
// exactly what produced it, so it can be replayed against the spec.
type Trace struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	Protocol string `json:"protocol"`
	// Params are the protocol's numeric parameters by flag name ("n",
	// "w", "r"). A trace written before Choices existed also holds each
	// parameter with named choices here, as the choice's index.
	Params map[string]int `json:"params"`
	// Choices are the parameters with named choices, by the choice's name
	// ("algo": "causal"), so that reordering a protocol's choices breaks
	// no saved trace.
	Choices map[string]string `json:"choices,omitempty"`
	// Settings writes the parameters as the command line does
	// ("n=3 algo=causal"), for people.
	Settings string `json:"settings,omitempty"`
	Mutant   string `json:"mutant,omitempty"`
	// Checked names the properties the check evaluated, when it evaluated
	// a selection: they decide the model's ghost state, so a replay must
	// evaluate the same ones.
	Checked []string `json:"checked,omitempty"`
	// Model is the system model the execution ran under; nil for a protocol
	// written directly as a transition system.
	Model *Model `json:"model,omitempty"`
	// Bounds are the checker's bounds, as it printed them.
	Bounds string `json:"bounds,omitempty"`
	// Search is how the checker searched, when not the default (a
	// breadth-first search with no bound).
	Search *Search `json:"search,omitempty"`
	// Seed reproduces a random simulation or a runtime run.
	Seed uint64 `json:"seed,omitempty"`
	// Nodes names the lanes of the diagram, in node order.
	Nodes []string `json:"nodes"`
	// Violation is the property this execution breaks, if any.
	Violation *Violation `json:"violation,omitempty"`
	// Events are the initial steps (Step 0: each node's start) followed by
	// the execution's steps in order.
	Events []Event `json:"events"`
}

// Model is a system model, as model.Config holds it.
type Model struct {
	Network   string `json:"network"`
	Drops     int    `json:"drops"`
	Dups      int    `json:"dups"`
	Crashes   int    `json:"crashes"`
	CrashMode string `json:"crash_mode"`
	// CrashMidStep: a crash may cut a step short, between two of its sends.
	CrashMidStep bool `json:"crash_mid_step,omitempty"`
	// Byzantine is the set of byzantine nodes (bit i: node i).
	Byzantine uint32 `json:"byzantine,omitempty"`
	// PartialSync: after a stabilisation step, messages beat timeouts.
	PartialSync bool `json:"partial_sync,omitempty"`
	// Symmetry: the checker kept one world per orbit of interchangeable
	// nodes. The trace is still an execution of the unreduced system and
	// replays on it.
	Symmetry bool `json:"symmetry,omitempty"`
	// Text is the one-line description the checker printed.
	Text string `json:"text,omitempty"`
}

// Search is how a check searched: its strategy and bounds. A zero field
// is no bound.
type Search struct {
	// Strategy is bfs, dfs or random.
	Strategy  string `json:"strategy"`
	Seed      uint64 `json:"seed,omitempty"`
	Walks     int64  `json:"walks,omitempty"`
	MaxStates int64  `json:"max_states,omitempty"`
	MaxDepth  int    `json:"max_depth,omitempty"`
	// Timeout is a Go duration ("30s").
	Timeout string `json:"timeout,omitempty"`
	// Symmetry: one world was kept per orbit of interchangeable nodes
	// (also in Model for a protocol under a system model).
	Symmetry bool `json:"symmetry,omitempty"`
}

// Violation names the broken property.
type Violation struct {
	Property string `json:"property"`
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
}

// Event kinds.
const (
	KindStart     = "start"     // a node's first step, part of the initial state
	KindReceive   = "receive"   // a message delivered and handled
	KindLost      = "lost"      // a message delivered to a node that was down
	KindDrop      = "drop"      // the network lost a message (fault)
	KindDuplicate = "duplicate" // the network copied a message (fault)
	KindTimer     = "timer"     // a timer fired
	KindRequest   = "request"   // a client request issued
	KindCrash     = "crash"     // a node crashed (fault)
	KindRecover   = "recover"   // a crashed node restarted
	KindStep      = "step"      // an action of a system written without nodes
	KindChoose    = "choose"    // a node made one of its nondeterministic choices
	KindForge     = "forge"     // a byzantine node sent a message of its choice (fault)
	KindStabilize = "stabilize" // partial synchrony: from now on messages beat timeouts
)

var eventKinds = map[string]bool{
	KindStart: true, KindReceive: true, KindLost: true, KindDrop: true, KindDuplicate: true,
	KindTimer: true, KindRequest: true, KindCrash: true, KindRecover: true, KindStep: true, KindChoose: true, KindForge: true, KindStabilize: true,
}

// Event is one step of an execution, at one node.
type Event struct {
	// ID is the event's position in Events.
	ID int `json:"id"`
	// Step is the execution step (from 1); 0 for the initial start events.
	Step int `json:"step"`
	// Action is the checker's label of the step; with Edge it makes the
	// step replayable.
	Action string `json:"action,omitempty"`
	// Edge is the step's position among the steps enabled before it.
	Edge int    `json:"edge"`
	Kind string `json:"kind"`
	// Node is the node that acts (the receiver of a message).
	Node int `json:"node"`
	// Peer is the other node involved (the sender of a message), or -1.
	Peer int `json:"peer"`
	// Message is the message received, dropped or duplicated, or the request.
	Message string `json:"message,omitempty"`
	// Cause is the ID of the event that sent the message this one receives
	// (or drops, or duplicates), or -1.
	Cause int `json:"cause"`
	// Sends are the messages this step sent.
	Sends []Send `json:"sends,omitempty"`
	// Timers lists timers set ("+election") and cancelled ("-election").
	Timers []string `json:"timers,omitempty"`
	// Observations are what the step made visible (deliveries, replies).
	Observations []string `json:"observations,omitempty"`
	// Fault marks a step taken from the fault budget.
	Fault bool `json:"fault,omitempty"`
	// Crashed marks a step cut short: the node crashed after the sends
	// listed, before the rest of its outputs.
	Crashed bool `json:"crashed,omitempty"`
	// Lamport and Vector are logical timestamps of the event, computed from
	// the trace's own causality (node order plus send→receive), not from
	// the protocol's clocks.
	Lamport int   `json:"lamport"`
	Vector  []int `json:"vector"`
	// State describes the acting node's state after the event.
	State string `json:"state"`
}

// Send is one message sent by an event.
type Send struct {
	To      int    `json:"to"`
	Message string `json:"message"`
}
