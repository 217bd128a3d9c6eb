// Package traces is the one format for an execution, whether the checker
// found it (a counterexample, a witness) or the runtime recorded it:
// versioned JSON with a header that names the protocol, its parameters,
// the system model and bounds, and one event per step with the node, the
// message, what was sent, logical timestamps and the node's state after.
// Load rejects malformed or wrong-version files with an error naming the
// line or field. WriteText renders a trace for the terminal.
package traces
