// Package catalog is the registry of checkable protocols: for each, its
// parameters with defaults and ranges, properties, mutants, and how to
// build it, check it under a system model and replay its traces. It wires
// spec, model, explore and traces together so that the CLI (and tests)
// deal with one type-erased Entry per protocol.
//
// Register adds an entry after Validate (the catalog's own protocols
// register in init, one line each: register(xEntry())); NodeProtocol
// makes an entry of a protocol that runs under package model, from
// outside this package (cli.Declare uses it); ModelTrace turns a path of a
// model into a trace.
package catalog
