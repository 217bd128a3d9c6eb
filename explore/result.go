package explore

import (
	"fmt"
	"strings"
	"time"
)

// Status is the outcome of a check.
type Status uint8

const (
	// OK: the bounded space was exhausted, every safety property held and
	// every sometimes property was reached.
	OK Status = iota
	// Violated: a property failed; Result.Violation says which and how.
	Violated
	// Incomplete: a bound (states, depth, time) or cancellation stopped the
	// search before it could conclude. Never read this as OK.
	Incomplete
)

var statusNames = [...]string{"ok", "violated", "incomplete"}

// String returns "ok", "violated" or "incomplete".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", s)
}

// Result is what a check found, with the statistics and bounds it ran under.
type Result[S, A any] struct {
	Status Status
	// Violation is set when Status is Violated: the first violation found.
	Violation *Violation[S, A]
	// Violations, with Options.KeepGoing, holds the first violation of each
	// violated property, in the order the properties were given. Stopped
	// then says whether a bound cut the search short: properties not
	// listed hold only up to that bound.
	Violations []Violation[S, A]
	// Sometimes lists every sometimes property and whether it was reached.
	Sometimes []Witness[S, A]
	// Stopped names the bound that made the result Incomplete
	// ("max-states 1000", "max-depth 12", "timeout 1m0s", "cancelled",
	// "random walks never exhaust the space").
	Stopped string
	// Seed is the seed a Random check used.
	Seed    uint64
	Stats   Stats
	Options Options
}

// Violation is a failed property and the execution that fails it.
type Violation[S, A any] struct {
	Property string
	Kind     Kind
	Reason   string
	// Path leads from an initial state to the violation. For an always or
	// quiescence property its last state is the bad one; for a transition
	// property its last step is the bad transition. A sometimes property
	// that was never reached has an empty path.
	Path Path[S, A]
}

// Witness records whether a sometimes property was reached, and how.
type Witness[S, A any] struct {
	Property string
	Reached  bool
	Path     Path[S, A] // to the first witness state found (shortest under BFS)
}

// Path is an execution: an initial state and the steps taken from it.
type Path[S, A any] struct {
	Init S
	// InitIndex is Init's position in System.Init().
	InitIndex int
	Steps     []PathStep[S, A]
}

// Chain returns the path's ordinals, as Replay takes them: the initial
// state's index, then each step's Edge.
func (p Path[S, A]) Chain() []uint32 {
	c := make([]uint32, 0, len(p.Steps)+1)
	c = append(c, uint32(p.InitIndex))
	for _, s := range p.Steps {
		c = append(c, uint32(s.Edge))
	}
	return c
}

// PathStep is one step of a Path: the action taken, its one-line label, and
// the state it reached.
type PathStep[S, A any] struct {
	Action A
	Label  string
	State  S
	Fault  bool
	// Edge is the step's position among the edges enabled before it; with
	// the initial state's index it makes the path replayable (see Replay).
	Edge int
}

// Len is the number of steps.
func (p Path[S, A]) Len() int { return len(p.Steps) }

// Last returns the final state of the path.
func (p Path[S, A]) Last() S {
	if len(p.Steps) == 0 {
		return p.Init
	}
	return p.Steps[len(p.Steps)-1].State
}

// String lists the steps, numbered from 1.
func (p Path[S, A]) String() string {
	var b strings.Builder
	for i, st := range p.Steps {
		fmt.Fprintf(&b, "%3d. %s\n", i+1, st.Label)
	}
	return b.String()
}

// Stats are the figures of a check.
type Stats struct {
	States int64 // distinct states stored (Random: distinct states visited)
	// Transitions counts generated states as TLC does: each initial state,
	// and each enabled edge of each expanded state, self-loops included.
	Transitions int64
	MaxDepth    int // steps from an initial state to the deepest state stored
	Elapsed     time.Duration
	Workers     int
	// StoreBytes is what the visited set and the parent links hold at the
	// end (in memory or on disk); StoreBytes/States is the cost of one
	// stored state. It leaves out the frontier and everything else: for
	// the memory a search really needs, see PeakHeap and PeakRSS.
	StoreBytes int64
	// PeakHeap is the largest heap sampled during the run (every 200 ms,
	// or 50 ms under a memory budget): the Go heap's objects, garbage
	// included, plus the visited set's slots mapped outside the heap.
	PeakHeap uint64
	// PeakRSS is the process's peak resident set size when the check
	// ended: the whole process's, so in a program that ran other work
	// before, it may come from that work.
	PeakRSS uint64
	// PeakDisk is the most bytes spilled to disk at once (0: none).
	PeakDisk int64
	// PeakFrontier is the most bytes the BFS frontier held in memory at
	// once (blocks of states waiting to be expanded; 0 when the System is
	// not a Packer, whose frontier is Go values).
	PeakFrontier int64
	// MaxMemory is the budget the search ran under (0: none).
	MaxMemory int64
}

// HeapPerState is the peak heap divided by the distinct states.
func (s Stats) HeapPerState() float64 {
	if s.States == 0 {
		return 0
	}
	return float64(s.PeakHeap) / float64(s.States)
}

// StatesPerSec is distinct states per second of wall time.
func (s Stats) StatesPerSec() float64 { return perSec(s.States, s.Elapsed) }

// TransitionsPerSec is transitions per second of wall time.
func (s Stats) TransitionsPerSec() float64 { return perSec(s.Transitions, s.Elapsed) }

// BytesPerState is StoreBytes divided by States.
func (s Stats) BytesPerState() float64 {
	if s.States == 0 {
		return 0
	}
	return float64(s.StoreBytes) / float64(s.States)
}

// Bounds describes the options that limited a check, for reports:
// "strategy bfs, workers 2, max-states 1000000, max-depth none, timeout none".
func (o Options) Bounds() string {
	none := func(v int64) string {
		if v == 0 {
			return "none"
		}
		return fmt.Sprint(v)
	}
	to := "none"
	if o.Timeout > 0 {
		to = o.Timeout.String()
	}
	s := fmt.Sprintf("strategy %s, max-states %s, max-depth %s, timeout %s",
		o.Strategy, none(o.MaxStates), none(int64(o.MaxDepth)), to)
	if o.Strategy == Random {
		s += fmt.Sprintf(", walks %s", none(o.Walks))
	}
	return s
}
