//go:build long

package cas_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/cas"
)

// Bigger checks, run with go test -tags long: the mixed scenario, and
// the racing CASes under a duplication.
func TestLongRegisterOverTOBChecks(t *testing.T) {
	for _, c := range []struct {
		scenario string
		cfg      model.Config
		want     modeltest.Pinned
	}{
		{"mixed", model.Config{}, modeltest.Pinned{States: 103_605, Transitions: 365_833, Depth: 15}},
		{"cas", model.Config{Dups: 1}, modeltest.Pinned{States: 27_040, Transitions: 95_152, Depth: 13}},
	} {
		_, res := check(t, cas.Params{Scenario: scenario(t, c.scenario)}, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}
