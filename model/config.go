package model

import (
	"fmt"
	"strconv"
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
	// (the sender that crashes halfway through a fan-out). Every node step
	// may be cut so — a delivery, a timer, a request, a choice, a recovery,
	// and the Start steps the initial worlds contain (Model.Init). Each
	// such cut spends one crash of the budget.
	CrashMidStep bool
	// Byzantine is the set of byzantine nodes (bit i: node i). Such a node
	// runs no Step, whatever its domain (an empty one included): the
	// messages delivered to it are read and nothing more. It sends any
	// message of the protocol's spec.Adversary domain, each at most once,
	// whenever it likes (a fault step), and is never correct.
	Byzantine uint32
	// PartialSync models partial synchrony: timing is asynchronous until a
	// global stabilisation step, after which a timer fires only when no
	// message is in flight (delays are bounded, below every timeout).
	PartialSync bool
	// Symmetry keeps one world per orbit of the protocol's interchangeable
	// nodes (spec.Symmetric): a world's fingerprint is the least over every
	// renaming of those nodes. Exact, and sound for symmetric properties;
	// paths stay executions of the unreduced system. Not with CrashMidStep
	// (a step's sends go out in node order, which a renaming does not
	// keep) nor with byzantine nodes.
	Symmetry bool

	_ struct{}
}

// IsByzantine reports whether node i is byzantine.
func (c Config) IsByzantine(i int) bool { return i < 32 && c.Byzantine&(1<<i) != 0 }

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
	if c.Symmetry && c.CrashMidStep {
		return fmt.Errorf("model: symmetry does not go with crashes mid-step (a cut step's sends follow node order)")
	}
	if c.Symmetry && c.Byzantine != 0 {
		return fmt.Errorf("model: symmetry does not go with byzantine nodes")
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
	if c.Byzantine != 0 {
		var b []string
		for i := range 32 {
			if c.IsByzantine(i) {
				b = append(b, fmt.Sprintf("n%d", i))
			}
		}
		parts = append(parts, "byzantine "+strings.Join(b, ","))
	}
	if c.PartialSync {
		parts = append(parts, "partially synchronous (after stabilisation, messages arrive before timeouts)")
	} else {
		parts = append(parts, "asynchronous timers")
	}
	if c.Symmetry {
		parts = append(parts, "symmetry (one world per orbit)")
	}
	return strings.Join(parts, ", ")
}

// ParseNodeSet parses a list of node numbers ("1,3") into a set; "" is the
// empty set.
func ParseNodeSet(s string) (uint32, error) {
	var set uint32
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	for _, f := range strings.Split(s, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || i < 0 || i >= 32 {
			return 0, fmt.Errorf("%q is not a node number 0..31", f)
		}
		set |= 1 << i
	}
	return set, nil
}

// FormatNodeSet writes a node set as ParseNodeSet reads it ("1,3").
func FormatNodeSet(set uint32) string {
	var parts []string
	for i := range 32 {
		if set&(1<<i) != 0 {
			parts = append(parts, strconv.Itoa(i))
		}
	}
	return strings.Join(parts, ",")
}
