//go:build long

package raft_test

// The large pinned explorations (minutes on two cores) run with
// `go test -tags long ./spec/raft`; .ci/run runs them.
func init() { long = true }
