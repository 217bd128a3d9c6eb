package spec

import (
	"fmt"
	"slices"
)

// InputKind says what happened to a node.
type InputKind uint8

const (
	// Start is a node's first input, after Init.
	Start InputKind = iota
	// Receive delivers message Msg from node From.
	Receive
	// Fire says timer Timer went off. A fired timer is no longer set.
	Fire
	// Request is a client or application request Msg ("broadcast m",
	// "put k v").
	Request
	// Recover restarts a crashed node, whose state is what Crash kept.
	Recover
	// Choose makes one of the nondeterministic choices the protocol offers
	// (see Chooser): Msg is the choice.
	Choose
)

var inputNames = [...]string{"start", "receive", "fire", "request", "recover", "choose"}

func (k InputKind) String() string {
	if int(k) < len(inputNames) {
		return inputNames[k]
	}
	return fmt.Sprintf("InputKind(%d)", k)
}

// Input is one event a node reacts to. Which fields are meaningful depends
// on Kind.
type Input[M any] struct {
	Kind  InputKind
	From  NodeID // Receive: the sender
	Msg   M      // Receive: the message; Request: the request; Choose: the choice
	Timer Timer  // Fire: the timer
}

// OutputKind says what a node wants done.
type OutputKind uint8

const (
	// Send sends Msg to node To.
	Send OutputKind = iota
	// SetTimer (re)arms Timer. Timers have no duration in the spec: the
	// checker fires them at any time, the runtime after its configured delay.
	SetTimer
	// CancelTimer disarms Timer.
	CancelTimer
	// Observe reports Msg to the outside world: something a property or a
	// user can see (delivered m, became leader of term t, reply to request
	// r). It changes nothing.
	Observe
)

var outputNames = [...]string{"send", "set-timer", "cancel-timer", "observe"}

func (k OutputKind) String() string {
	if int(k) < len(outputNames) {
		return outputNames[k]
	}
	return fmt.Sprintf("OutputKind(%d)", k)
}

// Output is one effect of a Step. Which fields are meaningful depends on
// Kind.
type Output[M any] struct {
	Kind  OutputKind
	To    NodeID // Send
	Msg   M      // Send: the message; Observe: what is observed
	Timer Timer  // SetTimer, CancelTimer
}

// SendTo returns an output sending m to node to.
func SendTo[M any](to NodeID, m M) Output[M] { return Output[M]{Kind: Send, To: to, Msg: m} }

// Emit returns an output observing m.
func Emit[M any](m M) Output[M] { return Output[M]{Kind: Observe, Msg: m} }

// SetTimerOut returns an output arming timer t.
func SetTimerOut[M any](t Timer) Output[M] { return Output[M]{Kind: SetTimer, Timer: t} }

// CancelTimerOut returns an output disarming timer t.
func CancelTimerOut[M any](t Timer) Output[M] { return Output[M]{Kind: CancelTimer, Timer: t} }

// Out collects the outputs of one step, in order, without a type argument
// at each call: declare it once (var out spec.Out[Msg]), add effects
// (out.Send(to, m), out.SendAll(n, m, self), out.SetTimer(t), …), and
// return it where a Step returns []Output[M].
type Out[M any] []Output[M]

// Send adds a message m to node to.
func (o *Out[M]) Send(to NodeID, m M) { *o = append(*o, Output[M]{Kind: Send, To: to, Msg: m}) }

// SendAll adds m to every node 0..n-1 in node order, except those in skip
// (typically the sender itself).
func (o *Out[M]) SendAll(n int, m M, skip ...NodeID) {
	for i := range n {
		if !slices.Contains(skip, NodeID(i)) {
			o.Send(NodeID(i), m)
		}
	}
}

// SetTimer adds arming timer t.
func (o *Out[M]) SetTimer(t Timer) { *o = append(*o, Output[M]{Kind: SetTimer, Timer: t}) }

// CancelTimer adds disarming timer t.
func (o *Out[M]) CancelTimer(t Timer) { *o = append(*o, Output[M]{Kind: CancelTimer, Timer: t}) }

// Observe adds an observation of m.
func (o *Out[M]) Observe(m M) { *o = append(*o, Output[M]{Kind: Observe, Msg: m}) }
