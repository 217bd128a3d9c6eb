package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/broadcast"
)

// BenchmarkLargestPinned explores the largest configuration the tests pin:
// Lamport total order over FIFO links, three nodes, node 0 broadcasting
// twice and node 1 once, every property evaluated (547,488 states).
//
//	go test ./spec/broadcast -run '^$' -bench LargestPinned -benchtime 3x
func BenchmarkLargestPinned(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			proto, err := broadcast.New(params(broadcast.Lamport))
			if err != nil {
				b.Fatal(err)
			}
			m, err := model.New(proto, model.Config{Network: model.FIFO}, proto.Workload(), only())
			if err != nil {
				b.Fatal(err)
			}
			var res result
			for b.Loop() {
				res, err = explore.Check(m, m.Properties(), explore.Options{Workers: workers, KeepGoing: true})
				if err != nil {
					b.Fatal(err)
				}
			}
			if res.Status != explore.OK || res.Stats.States != 547488 {
				b.Fatalf("%v after %d states", res.Status, res.Stats.States)
			}
			b.ReportMetric(res.Stats.StatesPerSec(), "states/s")
			b.ReportMetric(res.Stats.TransitionsPerSec(), "transitions/s")
			b.ReportMetric(res.Stats.BytesPerState(), "B/state")
			b.ReportMetric(float64(res.Stats.States), "states")
		})
	}
}
