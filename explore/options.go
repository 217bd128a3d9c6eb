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
	// 0 means GOMAXPROCS. DFS and Random use one. Counts and verdicts do
	// not depend on it, and a counterexample is always a shortest one, but
	// with several workers which shortest one can vary between runs (the
	// first worker to store a state becomes its parent); with one worker
	// every run finds the same.
	Workers int
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
}

// StatesPerSec is the average rate of distinct states since the start.
func (p Progress) StatesPerSec() float64 { return perSec(p.States, p.Elapsed) }

func perSec(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
