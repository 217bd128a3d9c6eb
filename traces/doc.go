// Package traces is the one format for an execution, whether the checker
// found it (a counterexample, a witness) or the runtime recorded it:
// versioned JSON with a header that names the protocol, its parameters,
// the system model and bounds, and one event per step with the node, the
// message, what was sent, logical timestamps and the node's state after.
// Load rejects malformed or wrong-version files with an error naming the
// line or field; docs/traces.md documents the format.
//
// Trace.Layout computes a trace's space-time diagram (lanes, rows, a mark
// per event, an arrow per message copy with its fate), and every renderer
// draws that layout: WriteText for the terminal, WriteMermaid for a
// Mermaid sequenceDiagram, WriteHTML for a self-contained interactive page.
package traces
