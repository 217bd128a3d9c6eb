//go:build long

package kv_test

import (
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
)

// TestBasicSurvivesACrash: the basic scenario stays linearizable and
// exactly-once with one crash and recovery of any node (about 70 s and
// 10 GiB on two cores: `go test -tags long ./spec/kv`).
func TestBasicSurvivesACrash(t *testing.T) {
	res := check(t, scenario("basic", ""), model.Config{Network: model.FIFO, Crashes: 1, CrashMode: model.CrashRecover})
	if res.Status != explore.OK || res.Stats.States != 5_794_086 {
		t.Fatalf("%v %d states", res.Status, res.Stats.States)
	}
}
