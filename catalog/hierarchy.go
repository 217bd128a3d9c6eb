package catalog

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec/broadcast"
)

// HierarchyProperties are the columns of the hierarchy table.
var HierarchyProperties = []string{
	broadcast.PropNoDuplication, broadcast.PropNoCreation, broadcast.PropValidity, broadcast.PropAgreement,
	broadcast.PropFIFO, broadcast.PropCausal, broadcast.PropTotal,
}

// defaultWorkload makes node 1 broadcast twice and node 0 once: two
// messages of one origin (FIFO can fail), messages of two origins (causal
// and total order can fail), and the sequencer (node 0) receiving Submits
// that can arrive swapped.
const defaultWorkload = "-b0 1 -b1 2"

// workloads overrides the workload where the default space is too large to
// check in seconds: fan-out's timers and acknowledgements multiply with two
// senders (11 million states), so one sender broadcasts twice.
var workloads = map[broadcast.Algorithm]string{
	broadcast.FanOut: "-b0 0 -b1 2",
}

// hierarchyVariants are the rows outside an algorithm's assumptions that the
// course names: what a crash or unordered links break.
var hierarchyVariants = []struct {
	algo  broadcast.Algorithm
	flags string
}{
	{broadcast.BestEffort, "-crashes 1 -crash-mid-step"},
	{broadcast.FanOut, "-drops 1 -crashes 1 -crash-mid-step"},
	{broadcast.Sequencer, "-crashes 1"},
	{broadcast.Lamport, "-b0 1 -b1 1 -network fifo -crashes 1"},
	{broadcast.Lamport, "-b0 1 -b1 1 -network unordered"},
}

// HierarchyRun is the settings of one row.
type HierarchyRun struct {
	Algo broadcast.Algorithm
	// Flags: the workload and system model, as modelcheck flags.
	Flags   string
	Assumed bool
}

// HierarchyRuns lists the rows' settings: every algorithm under the model
// it assumes, then the variants.
func HierarchyRuns() []HierarchyRun {
	var runs []HierarchyRun
	workload := func(a broadcast.Algorithm) string {
		if w, ok := workloads[a]; ok {
			return w
		}
		return defaultWorkload
	}
	for _, a := range broadcast.Algorithms() {
		runs = append(runs, HierarchyRun{a, strings.TrimSpace(workload(a) + " " + assumedFlags(a)), true})
	}
	for _, v := range hierarchyVariants {
		flags := v.flags
		if !strings.Contains(flags, "-b0") {
			flags = workload(v.algo) + " " + flags
		}
		runs = append(runs, HierarchyRun{v.algo, flags, false})
	}
	return runs
}

// assumedFlags writes the system model algorithm a assumes as flags.
func assumedFlags(a broadcast.Algorithm) string {
	_, as := broadcast.LevelOf(a)
	var f []string
	if as.FIFOLinks {
		f = append(f, "-network fifo")
	}
	if as.Drops > 0 {
		f = append(f, fmt.Sprintf("-drops %d", as.Drops))
	}
	if as.Crashes > 0 {
		f = append(f, fmt.Sprintf("-crashes %d -crash-mid-step", as.Crashes))
	}
	return strings.Join(f, " ")
}
