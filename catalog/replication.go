package catalog

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/broadcast"
)

// ReplicationAlgorithms are the columns of the replication table: reliable,
// causal and total-order broadcast.
var ReplicationAlgorithms = []broadcast.Algorithm{broadcast.Eager, broadcast.Causal, broadcast.Sequencer}

// ReplicationRow is one state machine replicated over each of
// ReplicationAlgorithms (course 5.3): does "convergence" hold?
type ReplicationRow struct {
	Machine string
	Cells   []Cell // one per algorithm; Property is "convergence"
	States  []int64
}

// Replication checks every state machine over reliable, causal and total
// order broadcast, with nodes 0 and 1 each broadcasting one update
// concurrently on a reliable network.
func Replication(opts explore.Options) ([]ReplicationRow, error) {
	e, err := Lookup("broadcast")
	if err != nil {
		return nil, err
	}
	opts.KeepGoing = true
	var rows []ReplicationRow
	for _, m := range broadcast.Machines()[1:] {
		row := ReplicationRow{Machine: m.String()}
		for _, a := range ReplicationAlgorithms {
			r := Run{Params: map[string]int{}, Options: opts}
			if err := e.Apply(fmt.Sprintf("-algo %s -machine %s -b0 1 -b1 1", a, m), &r); err != nil {
				return nil, err
			}
			rep, err := e.Check(r)
			if err != nil {
				return nil, err
			}
			c := Cell{Property: broadcast.PropConvergence}
			for _, v := range rep.Verdicts {
				if v.Property == c.Property && v.Violated {
					c.Violated, c.Reason, c.Trace = true, v.Reason, v.Trace
				}
			}
			if rep.Stopped != "" {
				return nil, fmt.Errorf("replication %s over %s: stopped by %s", m, a, rep.Stopped)
			}
			for _, s := range rep.Sometimes {
				if !s.Reached {
					c.Unreached = append(c.Unreached, s.Property)
				}
			}
			row.Cells = append(row.Cells, c)
			row.States = append(row.States, rep.Stats.States)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
