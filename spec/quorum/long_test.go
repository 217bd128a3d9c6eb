//go:build long

package quorum_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/quorum"
)

func init() { long = true }

// The largest explorations of the package (seconds each on two cores) run
// with `go test -tags long ./spec/quorum`; .ci/run runs them.

// Five replicas with quorums of three read after write too: 716,965
// states.
func TestFiveReplicasMajorityQuorumsReadAfterWrite(t *testing.T) {
	t.Parallel()
	_, res := check(t, quorum.Params{N: 5, W: 3, R: 3, Writes: 1, Reads: 1}, model.Config{}, 1)
	wantOK(t, res)
	wantPinned(t, res, pinned{716965, 4177734, 26})
}

// Two writers and two reads (one reader) with write-back, under symmetry:
// every read-after-read and linearizability path of the multi-writer
// register, 443,760 states.
func TestMultiWriterABDWithTwoReadsIsLinearizable(t *testing.T) {
	t.Parallel()
	p := mwABD
	p.Reads = 2
	_, res := check(t, p, model.Config{Symmetry: true}, 2)
	wantOK(t, res)
	wantPinned(t, res, pinned{443760, 1573680, 32})
}
