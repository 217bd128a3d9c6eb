//go:build long

package main

import (
	"fmt"
	"testing"
	"time"
)

// TestFaultsLong is the fault test's long form: a minute of faults on 3,
// then on 5 node processes, with eight clients.
func TestFaultsLong(t *testing.T) {
	for _, n := range []int{3, 5} {
		t.Run(fmt.Sprintf("%dnodes", n), func(t *testing.T) {
			runFaults(t, n, time.Minute, 8)
		})
	}
}
