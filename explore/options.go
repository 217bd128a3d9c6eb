package explore

import (
	"context"
	"fmt"
	"time"
)

// Strategy selects how the state space is walked.
type Strategy uint8

const (
	// BFS is breadth-first search: exhaustive, parallel, and its
	// counterexamples are shortest.
	BFS Strategy = iota
	// DFS is depth-first search: exhaustive, single-threaded; it reaches deep
	// states sooner, but its counterexamples need not be shortest.
	DFS
	// Random is seeded random simulation: repeated random walks from the
	// initial states. It never proves a property (its best result is
	// Incomplete), but it reaches deep states in huge spaces; the seed
	// reproduces the run.
	Random
)

var strategyNames = [...]string{"bfs", "dfs", "random"}

// String returns the strategy's CLI name.
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("Strategy(%d)", s)
}

// ParseStrategy parses a CLI strategy name (bfs, dfs, random).
func ParseStrategy(name string) (Strategy, error) {
	for i, n := range strategyNames {
		if n == name {
			return Strategy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown strategy %q (want bfs, dfs or random)", name)
}

// Options bound and tune a check. The zero value is an unbounded,
// breadth-first, all-cores check.
type Options struct {
	Strategy Strategy
	// Workers is the number of goroutines the breadth-first search uses;
	// 0 means GOMAXPROCS. DFS and Random use one. Nothing depends on it:
	// counts, verdicts and counterexamples are the same whatever the
	// number (each state's parent is the one a single worker would pick).
	Workers int
	// MaxMemory bounds the memory of a breadth-first search, in bytes
	// (0: no bound). Past half of it, the frontier (for a System that is a
	// Packer) and the parent links wait on disk in WorkDir; when what must
	// stay in memory, the visited set above all, nears it, the search stops
	// Incomplete, naming memory, rather than being killed.
	MaxMemory int64
	// WorkDir is where a search spills to disk: a fresh directory is made
	// in it and removed at the end ("": the system's temporary directory).
	WorkDir string
	// MaxStates stops the search once this many distinct states are stored
	// (0: no bound). Under Random it bounds the number of steps taken.
	MaxStates int64
	// MaxDepth bounds the number of steps from an initial state (0: no
	// bound). Under Random it is the length of each walk (default 100).
	MaxDepth int
	// Timeout stops the search after this long (0: no bound).
	Timeout time.Duration
	// Seed seeds Random; 0 picks a seed, which Result.Seed reports.
	Seed uint64
	// Walks bounds the number of random walks (0: until another bound is
	// hit, or 10,000 walks when no bound is set).
	Walks int64
	// Progress, if set, is called about every ProgressEvery (default 1 s)
	// from a separate goroutine while the search runs.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Context, if set, cancels the search; a cancelled search is Incomplete.
	Context context.Context
	// KeepGoing: a violation does not end the search. Each property is
	// evaluated until it is first violated, and Result.Violations holds the
	// first counterexample of each (shortest under BFS). The search ends
	// when the space is exhausted, a bound is hit, or every safety property
	// is violated.
	KeepGoing bool

	// forceSpill (tests only) spills every packed block and parent-link
	// chunk as if the budget were always exceeded.
	forceSpill bool

	_ struct{} // forces keyed literals
}

func (o Options) validate() error {
	switch {
	case o.Strategy > Random:
		return fmt.Errorf("explore: unknown strategy %d", o.Strategy)
	case o.Workers < 0:
		return fmt.Errorf("explore: Workers = %d, want >= 0", o.Workers)
	case o.MaxStates < 0:
		return fmt.Errorf("explore: MaxStates = %d, want >= 0", o.MaxStates)
	case o.MaxDepth < 0:
		return fmt.Errorf("explore: MaxDepth = %d, want >= 0", o.MaxDepth)
	case o.Timeout < 0:
		return fmt.Errorf("explore: Timeout = %v, want >= 0", o.Timeout)
	case o.Walks < 0:
		return fmt.Errorf("explore: Walks = %d, want >= 0", o.Walks)
	case o.MaxMemory < 0:
		return fmt.Errorf("explore: MaxMemory = %d, want >= 0", o.MaxMemory)
	}
	return nil
}

// Progress is a snapshot of a running search.
type Progress struct {
	States      int64 // distinct states stored
	Transitions int64 // transitions generated
	Depth       int   // current BFS level, or deepest state seen
	Queue       int64 // states waiting to be expanded
	Elapsed     time.Duration
	Heap        uint64 // heap at the last sample (with the visited set's slots outside it)
	PeakHeap    uint64 // the largest heap sampled so far
	Disk        int64  // bytes spilled to disk now
}

// StatesPerSec is the average rate of distinct states since the start.
func (p Progress) StatesPerSec() float64 { return perSec(p.States, p.Elapsed) }

func perSec(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
