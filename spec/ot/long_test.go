//go:build long

package ot_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/ot"
)

// Bigger checks, run with go test -tags long: two clients editing twice,
// and three clients editing once, each typing one letter.
func TestLongTransformedEditsConverge(t *testing.T) {
	for _, c := range []struct {
		p    ot.Params
		want modeltest.Pinned
	}{
		{params(1, 2, 2), modeltest.Pinned{States: 1_201_169, Transitions: 3_551_953, Depth: 16}},
		{params(1, 1, 1, 1), modeltest.Pinned{States: 1_178_550, Transitions: 4_836_844, Depth: 15}},
	} {
		_, res := check(t, c.p, model.Config{})
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}
