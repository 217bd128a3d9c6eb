//go:build long

package paxoscommit_test

// PaxosCommit.cfg's whole space (1,321,761 states, seconds) is checked with
// `go test -tags long ./spec/paxoscommit`.
func init() { long = true }
