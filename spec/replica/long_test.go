//go:build long

package replica_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/spec/replica"
)

// longRows are bigger checks than verdictRows, run with -tags long: more
// writes, three replicas under a drop, and three writers.
var longRows = []struct {
	p        replica.Params
	sys      system
	violated map[string]int
	want     pinned
}{
	{params(replica.Naive, []int{2, 1}, 1, 0), drop1, map[string]int{"convergence": 10, "no-causal-loss": 10}, pinned{80187, 186514, 10}},
	{params(replica.LWW, []int{2, 1}, 1, 0), drop1, nil, pinned{79685, 228361, 12}},
	{params(replica.LWW, []int{2, 2}, 1, 0), reliable, nil, pinned{3393193, 9050601, 16}},
	{params(replica.LWW, []int{1, 1, 0}, 1, 0), drop1, nil, pinned{45261, 175677, 12}},
	{params(replica.Physical, []int{2, 1}, 1, 2), drop1, map[string]int{"no-causal-loss": 10}, pinned{79685, 228361, 12}},
	{params(replica.MV, []int{2, 1}, 1, 0), drop1, nil, pinned{79685, 228361, 12}},
	{params(replica.MV, []int{2, 2}, 1, 0), reliable, nil, pinned{3393193, 9050601, 16}},
	{params(replica.MV, []int{1, 1, 0}, 1, 0), drop1, nil, pinned{45261, 175677, 12}},
}

func TestLongChecks(t *testing.T) {
	for _, row := range longRows {
		p := row.p
		name := fmt.Sprintf("%s/writes=%v/retries=%d/skew=%d/%s", p.Store, p.Writes[:p.N], p.Retries, p.Skew, row.sys.name)
		t.Run(name, func(t *testing.T) {
			m, res := check(t, p, row.sys.cfg)
			wantVerdict(t, m, res, row.violated)
			wantPinned(t, res, row.want)
		})
	}
}
