package catalog_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
)

// The broadcast hierarchy of course 4.2, as evidence: every algorithm keeps
// the promises of its level under the model it assumes (cells with *), and
// for every edge of the hierarchy the weaker algorithm breaks the stronger
// property (✗ and the length of the shortest counterexample):
//
//	best-effort < reliable   besteffort, crash mid-step: agreement
//	reliable < FIFO          eager: fifo-order
//	FIFO < causal            fifo: causal-order
//	causal < FIFO-total      causal: total-order
//	reliable < total         eager: total-order
//	total < FIFO-total       sequencer: fifo-order
//
// and the course's counterexamples outside the assumptions: fan-out loses
// agreement when the sender crashes, the sequencer and Lamport total order
// stop when a node crashes, Lamport total order breaks without FIFO links.
var wantHierarchy = []string{
	//           no-dup no-create validity agreement fifo causal total
	"besteffort: ✓* ✓* ✓* ✓ ✗3 ✗3 ✗4",
	"fanout: ✓* ✓* ✓* ✓ ✗3 ✗3 ✗4",
	"eager: ✓* ✓* ✓* ✓* ✗3 ✗3 ✗4",
	"gossip: ✓* ✓* ✗15 ✗15 ✗4 ✗4 ✗6",
	"fifo: ✓* ✓* ✓* ✓* ✓* ✗4 ✗4",
	"causal: ✓* ✓* ✓* ✓* ✓* ✓* ✗4",
	"sequencer: ✓* ✓* ✓* ✓* ✗3 ✗3 ✓*",
	"lamport: ✓* ✓* ✓* ✓* ✓* ✓* ✓*",
	"fifo-total: ✓* ✓* ✓* ✓* ✓* ✓* ✓*",
	"besteffort -crashes 1 -crash-mid-step: ✓ ✓ ✓ ✗5 ✗3 ✗3 ✗4",
	"fanout -drops 1 -crashes 1 -crash-mid-step: ✓ ✓ ✓ ✗3 ✗3 ✗3 ✗4",
	"sequencer -crashes 1: ✓ ✓ ✗5 ✓ ✗3 ✗3 ✓",
	"lamport -network fifo -crashes 1: ✓ ✓ ✗6 ✓ ✓ ✓ ✓",
	"lamport -network unordered: ✓ ✓ ✓ ✓ ✓ ✓ ✗7",
}

var wantStates = []int64{618, 16273, 121727, 134072, 48663, 37613, 855, 550731, 540, 4413, 146527, 6699, 37983, 51367}

// hierarchyRow writes row r as wantHierarchy does, checking that every
// counterexample replays to its violation and that no promised property
// fails.
func hierarchyRow(t *testing.T, r catalog.HierarchyRow) string {
	t.Helper()
	name := r.Algorithm
	if !r.Assumed {
		name += " " + strings.TrimSpace(strings.NewReplacer("-b0 1 -b1 2", "", "-b0 1 -b1 1", "", "-b0 0 -b1 2", "").Replace(strings.TrimPrefix(r.Flags, "-algo "+r.Algorithm)))
	}
	var cells []string
	for _, c := range r.Cells {
		s := "✓"
		if c.Violated {
			s = fmt.Sprintf("✗%d", c.Steps())
			if c.Trace == nil {
				t.Errorf("%s %s: violated without a trace", name, c.Property)
			} else if again, err := catalog.Replay(c.Trace); err != nil || !again.Violated || again.Property != c.Property {
				t.Errorf("%s %s: the counterexample replays to %+v, %v", name, c.Property, again, err)
			}
		}
		if c.Guaranteed {
			s += "*"
		}
		if c.Guaranteed && c.Violated {
			t.Errorf("%s promises %s but: %s", name, c.Property, c.Reason)
		}
		cells = append(cells, s)
	}
	return name + ": " + strings.Join(cells, " ")
}

// Course 5.3: which broadcast each replicated data type needs. A register
// needs total order; a counter and an add-only set converge over any
// reliable broadcast; a set with removal diverges under a concurrent add
// and remove unless the order is total.
func TestReplicationNeeds(t *testing.T) {
	rows, err := catalog.Replication(explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"register: ✗4 ✗4 ✓", "counter: ✓ ✓ ✓", "addset: ✓ ✓ ✓", "set: ✗4 ✗4 ✓"}
	for i, r := range rows {
		var cells []string
		for _, c := range r.Cells {
			if c.Violated {
				cells = append(cells, fmt.Sprintf("✗%d", c.Steps()))
				if again, err := catalog.Replay(c.Trace); err != nil || !again.Violated {
					t.Errorf("%s: divergence does not replay: %+v %v", r.Machine, again, err)
				}
			} else {
				cells = append(cells, "✓")
			}
		}
		if got := r.Machine + ": " + strings.Join(cells, " "); got != want[i] {
			t.Errorf("got %s, want %s", got, want[i])
		}
	}
}
