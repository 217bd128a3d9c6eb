//go:build long

package mvmap_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/mvmap"
)

// Bigger checks, run with go test -tags long: two sets per replica under
// a duplication, and three replicas setting 2, 2 and 1 times.
func TestLongCausalMultiValueMapChecks(t *testing.T) {
	for _, c := range []struct {
		p    mvmap.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{params(mvmap.Causal, 1, 2, 2), model.Config{Dups: 1}, modeltest.Pinned{States: 885, Transitions: 1_953, Depth: 10}},
		{params(mvmap.Causal, 1, 2, 2, 1), model.Config{}, modeltest.Pinned{States: 43_437, Transitions: 161_992, Depth: 15}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}
