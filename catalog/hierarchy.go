package catalog

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/traces"
)

// HierarchyProperties are the columns of the hierarchy table.
var HierarchyProperties = []string{
	broadcast.PropNoDuplication, broadcast.PropNoCreation, broadcast.PropValidity, broadcast.PropAgreement,
	broadcast.PropFIFO, broadcast.PropCausal, broadcast.PropTotal,
}

// HierarchyRow is one exploration of the table: an algorithm under a system
// model, every property checked in one search.
type HierarchyRow struct {
	Algorithm string
	// Level is the level the algorithm reaches under the system model it
	// assumes; Assumed says whether this row runs under that model (else
	// it shows what breaks outside it).
	Level   string
	Assumed bool
	// Flags are the check's settings as modelcheck flags, Model the system
	// model in words.
	Flags string
	Model string
	Cells []Cell
	// Stopped names a bound that cut the search short ("" if exhausted).
	Stopped string
	Stats   explore.Stats
	// Evaluated, Omitted and Sometimes are the row's check's: every
	// property it evaluated (the columns and more), those it left out
	// and why, and whether each sometimes property was reached — a ✓ in
	// a row whose good paths never happen would prove nothing.
	Evaluated []string
	Omitted   []Omission
	Sometimes []Reach
}

// Unreached names the row's sometimes properties that its search never
// reached.
func (r HierarchyRow) Unreached() []string {
	var out []string
	for _, s := range r.Sometimes {
		if !s.Reached {
			out = append(out, s.Property)
		}
	}
	return out
}

// Cell is one property's verdict in a row.
type Cell struct {
	Property string
	// Guaranteed: the row runs under the algorithm's assumed model and its
	// level promises the property.
	Guaranteed bool
	Violated   bool
	Reason     string
	Trace      *traces.Trace // the shortest counterexample, if violated
	// Unreached names the sometimes properties the cell's own check never
	// reached (a replication cell; a hierarchy row keeps them on the
	// row): a ✓ beside them proves nothing.
	Unreached []string
}

// Steps is the length of the cell's counterexample.
func (c Cell) Steps() int {
	if c.Trace == nil {
		return 0
	}
	return len(c.Trace.Steps())
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

// Hierarchy checks every row of the broadcast hierarchy (three nodes, each
// row's workload in its flags) with opts, keeping going after violations so
// that every cell gets a verdict.
func Hierarchy(opts explore.Options) ([]HierarchyRow, error) {
	e, err := Lookup("broadcast")
	if err != nil {
		return nil, err
	}
	opts.KeepGoing = true
	var rows []HierarchyRow
	for _, hr := range HierarchyRuns() {
		r := Run{Params: map[string]int{}, Options: opts}
		if err := e.Apply(fmt.Sprintf("-algo %s %s", hr.Algo, hr.Flags), &r); err != nil {
			return nil, err
		}
		rep, err := e.Check(r)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", hr.Algo, hr.Flags, err)
		}
		level, _ := broadcast.LevelOf(hr.Algo)
		row := HierarchyRow{
			Algorithm: hr.Algo.String(), Level: level.String(), Assumed: hr.Assumed,
			Flags: strings.TrimSpace("-algo " + hr.Algo.String() + " " + hr.Flags), Model: rep.Model,
			Stopped: rep.Stopped, Stats: rep.Stats,
			Evaluated: rep.Evaluated, Omitted: rep.Omitted, Sometimes: rep.Sometimes,
		}
		guaranteed := map[string]bool{}
		for _, p := range level.Guarantees() {
			guaranteed[p] = hr.Assumed
		}
		for _, p := range HierarchyProperties {
			c := Cell{Property: p, Guaranteed: guaranteed[p]}
			for _, v := range rep.Verdicts {
				if v.Property == p && v.Violated {
					c.Violated, c.Reason, c.Trace = true, v.Reason, v.Trace
				}
			}
			row.Cells = append(row.Cells, c)
		}
		rows = append(rows, row)
	}
	return rows, nil
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
