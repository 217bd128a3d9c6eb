package model

import (
	"fmt"
	"strings"
)

// Network says how messages travel.
type Network uint8

const (
	// Unordered: any message in flight may be delivered next.
	Unordered Network = iota
	// FIFO: per link (ordered pair of nodes), messages are delivered in the
	// order they were sent; links interleave freely.
	FIFO
)

var networkNames = [...]string{"unordered", "fifo"}

func (n Network) String() string {
	if int(n) < len(networkNames) {
		return networkNames[n]
	}
	return fmt.Sprintf("Network(%d)", n)
}

// ParseNetwork parses "unordered" or "fifo".
func ParseNetwork(s string) (Network, error) {
	for i, n := range networkNames {
		if n == s {
			return Network(i), nil
		}
	}
	return 0, fmt.Errorf("unknown network %q (want unordered or fifo)", s)
}

// CrashMode says what a crash does.
type CrashMode uint8

const (
	// CrashStop: a crashed node never runs again.
	CrashStop CrashMode = iota
	// CrashRecover: a crashed node loses its volatile state and may later
	// recover with what its protocol persisted.
	CrashRecover
)

var crashNames = [...]string{"stop", "recover"}

func (c CrashMode) String() string {
	if int(c) < len(crashNames) {
		return crashNames[c]
	}
	return fmt.Sprintf("CrashMode(%d)", c)
}

// ParseCrashMode parses "stop" or "recover".
func ParseCrashMode(s string) (CrashMode, error) {
	for i, n := range crashNames {
		if n == s {
			return CrashMode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown crash mode %q (want stop or recover)", s)
}

// MaxBudget is the largest fault budget of each kind.
const MaxBudget = 255

// Config is a system model: how the network behaves and which faults may
// happen, each with a total budget over an execution. The zero value is a
// reliable unordered network with no crashes and asynchronous timers (a set
// timer may fire at any moment).
type Config struct {
	Network Network
	// Drops is how many messages the network may lose (fair-loss when > 0).
	Drops int
	// Dups is how many messages the network may duplicate.
	Dups int
	// Crashes is how many node crashes may happen.
	Crashes   int
	CrashMode CrashMode
	// CrashMidStep lets a crash strike in the middle of a step: after the
	// step's first k sends went out, for every k below its number of sends
	// (the sender that crashes halfway through a fan-out). Each such cut
	// spends one crash of the budget.
	CrashMidStep bool

	_ struct{}
}

func (c Config) validate() error {
	for _, b := range []struct {
		name string
		v    int
	}{{"drops", c.Drops}, {"dups", c.Dups}, {"crashes", c.Crashes}} {
		if b.v < 0 || b.v > MaxBudget {
			return fmt.Errorf("model: %s budget %d, want 0..%d", b.name, b.v, MaxBudget)
		}
	}
	if c.Network > FIFO {
		return fmt.Errorf("model: unknown network %d", c.Network)
	}
	if c.CrashMode > CrashRecover {
		return fmt.Errorf("model: unknown crash mode %d", c.CrashMode)
	}
	return nil
}

// String describes the system model in one line, as reports print it.
func (c Config) String() string {
	var parts []string
	parts = append(parts, "network "+c.Network.String())
	if c.Drops == 0 && c.Dups == 0 {
		parts = append(parts, "reliable")
	} else {
		parts = append(parts, fmt.Sprintf("drops ≤ %d, dups ≤ %d", c.Drops, c.Dups))
	}
	switch {
	case c.Crashes == 0:
		parts = append(parts, "no crashes")
	case c.CrashMidStep:
		parts = append(parts, fmt.Sprintf("crashes ≤ %d (crash-%s, also mid-step)", c.Crashes, c.CrashMode))
	default:
		parts = append(parts, fmt.Sprintf("crashes ≤ %d (crash-%s)", c.Crashes, c.CrashMode))
	}
	parts = append(parts, "asynchronous timers")
	return strings.Join(parts, ", ")
}
