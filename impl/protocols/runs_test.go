package protocols_test

import (
	"testing"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec/raft"
)

func defaults(t *testing.T, name string, set map[string]int) map[string]int {
	t.Helper()
	e, err := catalog.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	params, err := e.Resolve(set, "")
	if err != nil {
		t.Fatal(err)
	}
	return params
}

func TestEveryRunnableProtocolRunsAndConforms(t *testing.T) {
	for _, name := range protocols.Names() {
		t.Run(name, func(t *testing.T) {
			e, _ := protocols.Lookup(name)
			res, err := e.Run(defaults(t, name, nil), "", protocols.Options{Seed: 1, Ops: 20,
				Network: impl.Network{Delay: impl.Delay{Dist: "uniform", Max: time.Millisecond}}})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d rounds, %d ops (%d answered, %d timed out, %d refused), %v, %d quiescent; %v", res.Rounds, res.Ops, res.Answered, res.TimedOut, res.Refused, res.Elapsed, res.Quiescent, res.Stats)
			for _, p := range res.Properties {
				t.Logf("  %+v", p)
			}
			if res.Lin != nil {
				t.Logf("  lin %+v", *res.Lin)
			}
			if res.Failed() {
				t.Errorf("failed: replay %v, errs %v", res.Replay, res.Errs)
			}
		})
	}
}

func raftParams(n, maxTerm, candidates, beats int) raft.Params {
	return raft.Params{N: n, MaxTerm: maxTerm, Candidates: candidates, MaxBeats: beats}
}
