//go:build long

package paxosnode_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/paxosnode"
)

// Under one loss or one duplication the duelling proposers keep
// agreement and validity and still terminate: one loss never stops the
// highest ballot, which needs two acceptors of three. Figures pinned.
func TestPaxosHoldsUnderLossAndDuplication(t *testing.T) {
	for _, c := range []struct {
		cfg  model.Config
		want modeltest.Pinned
	}{
		{model.Config{Drops: 1}, modeltest.Pinned{States: 452_631, Transitions: 2_650_236, Depth: 24}},
		{model.Config{Dups: 1}, modeltest.Pinned{States: 1_913_359, Transitions: 11_310_080, Depth: 25}},
	} {
		_, res := check(t, params(2, 1, ""), c.cfg, false)
		modeltest.WantOK(t, res)
		modeltest.WantPinned(t, res, c.want)
	}
}

// An acceptor that forgets its promise in a crash accepts ballot 1 after
// it promised 2: v2 is chosen in ballot 2, then v1 in ballot 1 (20
// steps, about 7M worlds searched).
func TestAForgottenPromiseChoosesTwoValues(t *testing.T) {
	m, res := check(t, params(2, 1, paxosnode.MutVolatilePromise), model.Config{Crashes: 1, CrashMode: model.CrashRecover}, false)
	modeltest.WantVerdict(t, m, res, map[string]int{paxosnode.PropAgreement: 20})
}
