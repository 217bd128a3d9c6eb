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
}

// Steps is the length of the cell's counterexample.
func (c Cell) Steps() int {
	if c.Trace == nil {
		return 0
	}
	return len(c.Trace.Steps())
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
	{broadcast.Lamport, "-network fifo -crashes 1"},
	{broadcast.Lamport, "-network unordered"},
}

// HierarchyRuns lists the rows' settings: every algorithm under the model
// it assumes, then the variants.
func HierarchyRuns() []struct {
	Algo    broadcast.Algorithm
	Flags   string
	Assumed bool
} {
	type run = struct {
		Algo    broadcast.Algorithm
		Flags   string
		Assumed bool
	}
	var runs []run
	for _, a := range broadcast.Algorithms() {
		runs = append(runs, run{a, assumedFlags(a), true})
	}
	for _, v := range hierarchyVariants {
		runs = append(runs, run{v.algo, v.flags, false})
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

// Hierarchy checks every row of the broadcast hierarchy (the default
// workload: three nodes, node 0 broadcasts twice, node 1 once) with opts,
// keeping going after violations so that every cell gets a verdict.
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
