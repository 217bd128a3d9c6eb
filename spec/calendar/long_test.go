//go:build long

package calendar_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/calendar"
)

// Bigger checks, run with go test -tags long: two edits per replica,
// three replicas with three fields, under a duplication.
func TestLongPerFieldLWWMapChecks(t *testing.T) {
	three := params(calendar.PerField, 1, 1, 1)
	three.Fields = 3
	for _, c := range []struct {
		p    calendar.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{params(calendar.PerField, 2, 2), model.Config{}, modeltest.Pinned{States: 1_769, Transitions: 3_345, Depth: 8}},
		{params(calendar.PerField, 2, 2), model.Config{Dups: 1}, modeltest.Pinned{States: 10_057, Transitions: 24_685, Depth: 10}},
		{three, model.Config{}, modeltest.Pinned{States: 10_405, Transitions: 27_694, Depth: 9}},
		{params(calendar.PerField, 2, 1, 1), model.Config{}, modeltest.Pinned{States: 46_809, Transitions: 161_199, Depth: 12}},
		{params(calendar.PerField, 2, 2, 1), model.Config{}, modeltest.Pinned{States: 863_513, Transitions: 3_642_943, Depth: 15}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}
