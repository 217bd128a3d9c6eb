package raft_test

import (
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// BenchmarkDefaultCheck explores the default `modelcheck check raft`
// space (three nodes, two candidates, term 2, one request, FIFO links,
// one crash with recovery: 1,741,260 states) on one and two workers and
// reports the explorer's rate and memory:
//
//	go test ./spec/raft -run '^$' -bench DefaultCheck -benchtime 2x
func BenchmarkDefaultCheck(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			proto, err := raft.New(raft.DefaultParams())
			if err != nil {
				b.Fatal(err)
			}
			props := slices.DeleteFunc(raft.Properties(), func(q spec.Property[raft.State, raft.Msg]) bool {
				return q.Name == raft.ReachSnapshotInstalled // snapshots are off
			})
			m, err := model.New(proto, recovery, proto.Workload(), props)
			if err != nil {
				b.Fatal(err)
			}
			var res result
			for b.Loop() {
				res, err = explore.Check(m, m.Properties(), explore.Options{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
			}
			if res.Status != explore.OK || res.Stats.States != 1_741_260 {
				b.Fatalf("%v after %d states", res.Status, res.Stats.States)
			}
			b.ReportMetric(res.Stats.StatesPerSec(), "states/s")
			b.ReportMetric(res.Stats.TransitionsPerSec(), "transitions/s")
			b.ReportMetric(res.Stats.BytesPerState(), "B/state")
			b.ReportMetric(float64(res.Stats.PeakHeap)/float64(res.Stats.States), "peak-heap-B/state")
		})
	}
}
