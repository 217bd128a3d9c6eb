//go:build long

package textcrdt_test

import (
	"testing"

	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/textcrdt"
)

// Bigger checks, run with go test -tags long: three replicas, two typing
// once and all deleting once; one replica typing three letters of two
// and another deleting twice.
func TestLongTextCRDTChecks(t *testing.T) {
	three := params([]int{1, 1, 0}, 1, 1, 1)
	letters := params([]int{3, 0}, 0, 2)
	letters.Letters = 2
	for _, c := range []struct {
		p    textcrdt.Params
		want modeltest.Pinned
	}{
		{three, modeltest.Pinned{States: 46_530, Transitions: 168_915, Depth: 15}},
		{letters, modeltest.Pinned{States: 8_735, Transitions: 18_603, Depth: 10}},
	} {
		m, res := check(t, c.p, promised())
		modeltest.WantVerdict(t, m, res, nil, unreachable(c.p)...)
		modeltest.WantPinned(t, res, c.want)
	}
}
