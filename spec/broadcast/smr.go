package broadcast

import "fmt"

// Machine is a replicated state machine the nodes apply delivered messages
// to (course 5.3). Message (o, s) stands for one update, fixed by its name,
// so that the checker need not choose payloads.
type Machine uint8

const (
	// None: no state machine.
	None Machine = iota
	// Register: message m sets the register to m's number (id+1); order
	// matters, so it needs total order.
	Register
	// Counter: every message increments; updates commute, so any reliable
	// broadcast will do.
	Counter
	// AddSet: message m adds m to a set; updates commute.
	AddSet
	// Set: messages from node 0 add element x, messages from other nodes
	// remove it; a concurrent add and remove do not commute.
	Set
	numMachines
)

var machineNames = [...]string{"none", "register", "counter", "addset", "set"}

func (m Machine) String() string {
	if m < numMachines {
		return machineNames[m]
	}
	return fmt.Sprintf("Machine(%d)", m)
}

// Machines lists the state machines, None first.
func Machines() []Machine {
	out := make([]Machine, numMachines)
	for i := range out {
		out[i] = Machine(i)
	}
	return out
}

// ParseMachine parses a state machine's name.
func ParseMachine(s string) (Machine, error) {
	for i, n := range machineNames {
		if n == s {
			return Machine(i), nil
		}
	}
	return 0, fmt.Errorf("broadcast: unknown state machine %q (want none, register, counter, addset or set)", s)
}

// apply returns the machine's state after delivering (origin, seq).
func (m Machine) apply(state int16, origin, seq int8) int16 {
	switch m {
	case Register:
		return int16(id(origin, seq) + 1)
	case Counter:
		return state + 1
	case AddSet:
		return state | 1<<id(origin, seq)
	case Set:
		if origin == 0 {
			return 1
		}
		return 0
	}
	return state
}

// format describes a machine state.
func (m Machine) format(state int16) string {
	switch m {
	case Register:
		if state == 0 {
			return "register unset"
		}
		id := int(state) - 1
		return "register = " + name(int8(id/MaxPerNode), int8(id%MaxPerNode+1))
	case Counter:
		return fmt.Sprintf("counter = %d", state)
	case Set:
		if state == 1 {
			return "x ∈ set"
		}
		return "x ∉ set"
	}
	return ""
}
