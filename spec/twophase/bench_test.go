package twophase_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/twophase"
)

// BenchmarkCheck explores TwoPhase with 8 RMs (1,745,408 states) on one
// and two workers and reports the explorer's rate and memory; the
// side-by-side with SPIN is bench/twophase:
//
//	go test ./spec/twophase -run '^$' -bench Check -benchtime 3x
func BenchmarkCheck(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			sp, err := twophase.New(8, "")
			if err != nil {
				b.Fatal(err)
			}
			var res explore.Result[state, action]
			for b.Loop() {
				res, err = explore.Check[state, action](sp, properties(sp), explore.Options{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
			}
			if res.Status != explore.OK || res.Stats.States != 1_745_408 || res.Stats.Transitions != 18_507_778 {
				b.Fatalf("%v after %d states, %d transitions", res.Status, res.Stats.States, res.Stats.Transitions)
			}
			b.ReportMetric(res.Stats.StatesPerSec(), "states/s")
			b.ReportMetric(float64(res.Stats.PeakHeap)/float64(res.Stats.States), "peak-heap-B/state")
		})
	}
}
