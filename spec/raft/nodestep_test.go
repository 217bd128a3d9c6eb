package raft_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// The checker evaluates a NodeStep property only on the nodes a step
// changed. The same properties in their whole-view form (every node,
// every step) give the same verdicts, counts and counterexamples: on a
// search that ends OK, and on mutants that break transition properties.
func TestNodeStepPropertiesMatchTheirWholeViewForm(t *testing.T) {
	cases := []struct {
		mutant string
		p      raft.Params
		cfg    model.Config
		opts   explore.Options
	}{
		{"", raft.Params{N: 2, MaxTerm: 2, Candidates: 2, Requests: 2}, recovery, explore.Options{}},
		{"no-ack-guard", raft.Params{N: 3, MaxTerm: 1, Candidates: 1, Requests: 1}, model.Config{Network: model.FIFO, Dups: 1}, explore.Options{}},
		{"snapshot-rollback", raft.Params{N: 3, MaxTerm: 1, Candidates: 1, Requests: 2, SnapshotEvery: 1}, unordered, explore.Options{}},
		{"unbounded-hint", raft.Params{N: 3, MaxTerm: 3, Candidates: 3, Requests: 3, MaxBeats: 1}, unordered,
			explore.Options{Strategy: explore.Random, Seed: 1, MaxDepth: 50}},
	}
	for _, c := range cases {
		t.Run(c.mutant, func(t *testing.T) {
			p := c.p
			p.Mutant = c.mutant
			proto, err := raft.New(p)
			if err != nil {
				t.Fatal(err)
			}
			props := slices.DeleteFunc(raft.PropertiesFor(p), func(q spec.Property[raft.State, raft.Msg]) bool {
				return q.Kind == spec.Sometimes // the good paths are not what this compares
			})
			whole := make([]spec.Property[raft.State, raft.Msg], len(props))
			nodeSteps := 0
			for i, q := range props {
				if q.NodeStep != nil {
					nodeSteps++
					q.Step, q.NodeStep = q.Transition, nil
				}
				whole[i] = q
			}
			if nodeSteps != 5 {
				t.Fatalf("%d NodeStep properties, want raft's 5 transition properties", nodeSteps)
			}
			opts := c.opts
			opts.Workers = 1
			_, fast := modeltest.Check(t, proto, c.cfg, proto.Workload(), props, opts)
			_, slow := modeltest.Check(t, proto, c.cfg, proto.Workload(), whole, opts)
			if fast.Status != slow.Status || fast.Stats.States != slow.Stats.States || fast.Stats.Transitions != slow.Stats.Transitions {
				t.Fatalf("node steps: %v after %d states, %d transitions; whole view: %v after %d, %d",
					fast.Status, fast.Stats.States, fast.Stats.Transitions, slow.Status, slow.Stats.States, slow.Stats.Transitions)
			}
			if c.mutant == "" {
				if fast.Status != explore.OK {
					t.Fatalf("the correct protocol: %v", fast.Status)
				}
				return
			}
			if fast.Violation == nil || slow.Violation == nil || fast.Violation.Kind != explore.OnTransition {
				t.Fatalf("mutant %s not caught: %v", c.mutant, fast.Status)
			}
			fv, sv := fast.Violation, slow.Violation
			if fv.Property != sv.Property || fv.Reason != sv.Reason || fv.Path.Len() != sv.Path.Len() {
				t.Errorf("node steps: %s (%s) in %d steps; whole view: %s (%s) in %d", fv.Property, fv.Reason, fv.Path.Len(), sv.Property, sv.Reason, sv.Path.Len())
			}
		})
	}
}
