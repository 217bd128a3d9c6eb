// Package catalog is the registry of checkable protocols: for each, its
// parameters with defaults and ranges, properties, mutants, and how to
// build it, check it under a system model and replay its traces. It wires
// spec, model, explore and traces together so that the CLI (and tests)
// deal with one type-erased Entry per protocol.
package catalog
