//go:build long

package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

// The largest explorations of the package (seconds each on two cores) run
// with `go test -tags long ./spec/broadcast`; .ci/run runs them.

// The default workload over FIFO links, three nodes with sends (2,1):
// 547,488 states.
func TestLamportDefaultWorkloadOverFIFOLinks(t *testing.T) {
	res := check(t, params(broadcast.Lamport), model.Config{Network: model.FIFO})
	expect(t, "lamport, sends (2,1)", res, nil)
	tobReachedAll(t, "lamport, sends (2,1)", res)
	tobStates(t, "lamport, sends (2,1)", res, 547488)
}
