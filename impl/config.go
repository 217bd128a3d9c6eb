package impl

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/distsys/distsys/spec"
)

// Config is a cluster: a protocol, the system model its network applies,
// its timers, where its nodes persist their state, and what is recorded.
type Config[S, M any] struct {
	// Protocol runs on Protocol.Nodes() nodes, one goroutine each.
	Protocol spec.Protocol[S, M]
	// Seed drives every random draw: message fates and delays, timer
	// jitter, the protocol's choices. Zero picks a seed from the clock;
	// Cluster.Seed returns the one used.
	Seed uint64
	// Network is the system model the simulated network applies.
	Network Network
	// Timers gives timers their durations, by the protocol's TimerName
	// ("election", "heartbeat"); a timer not listed takes DefaultTimer.
	Timers map[string]TimerSpec
	// Stores opens node i's durable store, at start and again at every
	// restart (the store is closed when the node crashes). Nil keeps each
	// node's persisted state in memory (MemStore), which survives the
	// node's crashes but not the process.
	Stores func(node spec.NodeID) (Store[S], error)
	// Replies tells a request's reply among the observations; it is what
	// Client.Call waits for. Optional: without it Call cannot be used.
	Replies Replies[M]
	// Record keeps every step, fault and client operation, for Run's
	// conformance checks and traces. Off, nothing is kept (benchmarks).
	Record bool
	// OnObserve, if set, is called on the node's goroutine for every
	// Observe output, after the step's persisted state is durable. It must
	// not block.
	OnObserve func(node spec.NodeID, obs M)
	// Logf, if set, receives the store's reports (a torn tail truncated).
	Logf func(format string, args ...any)
	// Simulate runs the cluster in virtual time on the caller's goroutine
	// instead of on goroutines and real timers: deliveries and timers are
	// events that Cluster.Advance processes in time order, and a run is
	// decided by the seed and the calls made on the cluster alone — the
	// same calls with the same seed give the same run, event for event.
	// Clients use Client.Submit (Call would block).
	Simulate bool
	// Local, if set, names the nodes that run in this process; the others
	// run elsewhere (other processes, over a Transport). Nil: every node
	// runs here.
	Local []spec.NodeID
	// Transport carries the messages of local nodes to the nodes that run
	// elsewhere (Local); messages from them come in through
	// Cluster.Deliver. Required when Local leaves a node out.
	Transport Transport[M]
	// OnEvent, if set, is handed every event as it is recorded, on the
	// goroutine that records it — a node's step before its persisted state
	// is saved, so that a journal written from it holds every step a store
	// may hold the result of. The events are kept in memory only with
	// Record as well. It must not block for long.
	OnEvent func(Event[S, M])
	// GroupCommit saves a node's persisted state once per batch of inputs
	// taken from its inbox rather than once per step, and carries out the
	// batch's outputs after that save, in order: what a node that fsyncs
	// needs to commit more than one request per fsync. (Timers and a
	// simulated cluster step one input at a time, as without it.)
	GroupCommit bool

	_ struct{}
}

// Network is a system model for the simulated network. Each message sent
// is lost with probability Loss; otherwise it is delivered once, or twice
// with probability Dup, each copy after its own delay drawn from Delay.
// Independent delays reorder messages unless FIFO keeps each link in
// order. Partitions are set and healed while the cluster runs
// (Cluster.Partition, Cluster.Heal). The zero value is a reliable network
// that delivers at once, in order.
type Network struct {
	Loss, Dup float64
	Delay     Delay
	// FIFO delivers the messages of each link in the order they were sent.
	FIFO bool

	_ struct{}
}

// Delay is a delay distribution.
type Delay struct {
	// Dist is "" or "none" (no delay), "fixed" (Min), "uniform" (between
	// Min and Max) or "exp" (Min plus an exponential of mean Mean, cut at
	// Max when Max > Min).
	Dist     string
	Min, Max time.Duration
	Mean     time.Duration

	_ struct{}
}

// TimerSpec is a timer's duration: Base plus a jitter drawn by the runtime
// uniformly from [0, Jitter) each time the timer is set.
//
// An idle timer (Idle, with no Base or Jitter) has no duration: it fires
// as soon as its node has handled every input it took from its inbox with
// the input that set it — after the batch, before the node waits again.
// On goroutines the node first yields the processor once
// (runtime.Gosched), so that goroutines its batch woke run, and handles
// what they sent it meanwhile as part of the batch. Several requests that arrive together thus set it once and are handled
// by one firing; a lone request is followed by the firing at once. Idle
// timers fire in timer order. In a simulated cluster an idle timer fires
// at the instant it was set, after the events already queued for that
// instant.
type TimerSpec struct {
	Base, Jitter time.Duration
	Idle         bool

	_ struct{}
}

// DefaultTimer is the duration of a timer the configuration does not name.
var DefaultTimer = TimerSpec{Base: 20 * time.Millisecond, Jitter: 10 * time.Millisecond}

// Replies says which observation answers which request: a request's reply
// is the first observation, at any node, whose Reply key equals the
// request's Key.
type Replies[M any] struct {
	// Key is the key of request req's reply.
	Key func(req M) uint64
	// Reply returns the key obs answers, when obs (observed at node) is a
	// reply at all.
	Reply func(node spec.NodeID, obs M) (key uint64, ok bool)
	// Leader, optional, reports that obs (observed at node) names the
	// current leader; Client.Retry tries it first.
	Leader func(node spec.NodeID, obs M) (leader spec.NodeID, ok bool)

	_ struct{}
}

// Validate reports the first field out of range, by name.
func (n Network) Validate() error {
	switch {
	case n.Loss < 0 || n.Loss > 1 || n.Loss != n.Loss:
		return fmt.Errorf("network: loss %v, want a probability in [0, 1]", n.Loss)
	case n.Dup < 0 || n.Dup > 1 || n.Dup != n.Dup:
		return fmt.Errorf("network: dup %v, want a probability in [0, 1]", n.Dup)
	}
	return n.Delay.Validate()
}

// Validate reports the first field out of range, by name.
func (d Delay) Validate() error {
	switch {
	case d.Min < 0 || d.Max < 0 || d.Mean < 0:
		return errors.New("delay: negative duration")
	}
	switch d.Dist {
	case "", "none":
	case "fixed":
	case "uniform":
		if d.Max < d.Min {
			return fmt.Errorf("delay: uniform between %v and %v: max below min", d.Min, d.Max)
		}
	case "exp":
		if d.Mean <= 0 {
			return errors.New("delay: exp needs a positive mean")
		}
		if d.Max != 0 && d.Max < d.Min+d.Mean {
			return fmt.Errorf("delay: exp of mean %v (plus %v) cut at %v: the cut must not be below the mean", d.Mean, d.Min, d.Max)
		}
	default:
		return fmt.Errorf("delay: unknown distribution %q (want none, fixed, uniform or exp)", d.Dist)
	}
	return nil
}

// none reports that the delay is always zero.
func (d Delay) none() bool {
	switch d.Dist {
	case "", "none":
		return true
	case "fixed":
		return d.Min == 0
	case "uniform":
		return d.Max == 0
	}
	return false
}

// draw returns a delay.
func (d Delay) draw(r *stream) time.Duration {
	switch d.Dist {
	case "fixed":
		return d.Min
	case "uniform":
		if d.Max == d.Min {
			return d.Min
		}
		return d.Min + time.Duration(r.intn(int(d.Max-d.Min)+1))
	case "exp":
		x := d.Min + time.Duration(r.exp()*float64(d.Mean))
		if d.Max > d.Min && x > d.Max {
			x = d.Max
		}
		return x
	}
	return 0
}

// String describes the delay: "none", "fixed 1ms", "uniform 0s–2ms",
// "exp 1ms+~500µs≤5ms".
func (d Delay) String() string {
	switch d.Dist {
	case "fixed":
		return "fixed " + d.Min.String()
	case "uniform":
		return fmt.Sprintf("uniform %v–%v", d.Min, d.Max)
	case "exp":
		s := fmt.Sprintf("exp %v+~%v", d.Min, d.Mean)
		if d.Max > d.Min {
			s += "≤" + d.Max.String()
		}
		return s
	}
	return "none"
}

// String describes the network in one line.
func (n Network) String() string {
	var parts []string
	if n.FIFO {
		parts = append(parts, "FIFO links")
	} else {
		parts = append(parts, "unordered")
	}
	parts = append(parts, fmt.Sprintf("loss %g", n.Loss), fmt.Sprintf("dup %g", n.Dup), "delay "+n.Delay.String())
	return strings.Join(parts, ", ")
}

// Validate reports the first field out of range, by name.
func (t TimerSpec) Validate() error {
	if t.Idle {
		if t.Base != 0 || t.Jitter != 0 {
			return fmt.Errorf("idle timer with a duration %v+%v: an idle timer has none", t.Base, t.Jitter)
		}
		return nil
	}
	if t.Base <= 0 || t.Jitter < 0 {
		return fmt.Errorf("timer %v+%v: want a positive base and a jitter ≥ 0", t.Base, t.Jitter)
	}
	return nil
}

// validate checks the configuration.
func (c *Config[S, M]) validate() error {
	if c.Protocol == nil {
		return errors.New("impl: Config.Protocol is nil")
	}
	if n := c.Protocol.Nodes(); n < 1 || n > 64 {
		return fmt.Errorf("impl: %d nodes, want 1..64", n)
	}
	if err := c.Network.Validate(); err != nil {
		return fmt.Errorf("impl: %w", err)
	}
	if err := c.validateLocal(); err != nil {
		return err
	}
	for name, t := range c.Timers {
		if err := t.Validate(); err != nil {
			return fmt.Errorf("impl: timer %q: %w", name, err)
		}
	}
	return nil
}
