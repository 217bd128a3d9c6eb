//go:build long

package ftcommit_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/ftcommit"
)

// Bigger checks, run with go test -tags long: a participant (or the
// sequencer) crashing for good blocks no participant that is up, and a
// duplicated message changes nothing.
func TestLongFaultTolerantCommitChecks(t *testing.T) {
	for _, c := range []struct {
		p    ftcommit.Params
		cfg  model.Config
		want modeltest.Pinned
	}{
		{ftcommit.DefaultParams(), model.Config{Crashes: 1}, modeltest.Pinned{States: 408_935, Transitions: 1_527_220, Depth: 17}},
		{ftcommit.DefaultParams(), model.Config{Dups: 1}, modeltest.Pinned{States: 483_244, Transitions: 2_345_539, Depth: 18}},
	} {
		_, res := check(t, c.p, c.cfg)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}
