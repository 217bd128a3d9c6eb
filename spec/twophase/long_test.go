//go:build long

package twophase_test

// The largest pinned counts (seven and eight resource managers: 296,448 and
// 1,745,408 states, each on one and two workers) are checked with
// `go test -tags long ./spec/twophase`; .ci/run runs them.
func init() { long = true }
