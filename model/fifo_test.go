package model_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/spectest"
)

// aba is a two-node test protocol for FIFO links holding copies of one
// message apart: on a request node 0 sends a, b, a to node 1, which counts
// what it receives, in order (its state is the sequence in base 3).
type aba struct{}

func (aba) Nodes() int                         { return 2 }
func (aba) Init(spec.NodeID) int               { return 0 }
func (aba) Crash(s int) int                    { return s }
func (aba) TimerName(spec.Timer) string        { return "none" }
func (aba) FormatState(s int) string           { return fmt.Sprint(s) }
func (aba) FormatMsg(m byte) string            { return string(m) }
func (aba) AppendMsg(b []byte, m byte) []byte  { return append(b, m) }
func (aba) AppendState(b []byte, s int) []byte { return spec.AppendUint(b, uint64(s)) }

func (aba) Step(s int, in spec.Input[byte]) (int, []spec.Output[byte]) {
	switch in.Kind {
	case spec.Request:
		return s, []spec.Output[byte]{spec.SendTo(1, byte('a')), spec.SendTo(1, byte('b')), spec.SendTo(1, byte('a'))}
	case spec.Receive:
		return s*3 + int(in.Msg-'a') + 1, nil
	}
	return s, nil
}

var abaWork = []spec.WorkItem[byte]{{Node: 0, Choices: []byte{'r'}}}

func TestAbaStepIsPure(t *testing.T) {
	spectest.Pure[int, byte](t, aba{}, abaWork, 10)
}

// Under FIFO, link n0→n1 holds a, b, a. Dropping the first a leaves b, a;
// dropping the second leaves a, b: two worlds, so two labels (a trace
// replays by its labels). Duplicating either a appends an a to the link:
// one world, so one edge. Found by the naive composition
// (TestModelAgreesWithANaiveComposition): before, both drops read "drop
// n0→n1 a", and two duplications led to one world (74 transitions for 73).
func TestFIFOCopiesApartOnALink(t *testing.T) {
	m, err := model.New[int, byte](aba{}, model.Config{Network: model.FIFO, Drops: 1, Dups: 1}, abaWork, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := explore.ReplayLabels(m, 0, []string{"request n0 r", "drop n0→n1 a", "deliver n0→n1 b", "deliver n0→n1 a"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := explore.ReplayLabels(m, 0, []string{"request n0 r", "drop n0→n1 a (copy 2 on the link)", "deliver n0→n1 a", "deliver n0→n1 b"})
	if err != nil {
		t.Fatal(err)
	}
	// b then a is 2·3+1 = 7; a then b is 1·3+2 = 5.
	if a, b := first.Last().State(1), second.Last().State(1); a != 7 || b != 5 {
		t.Errorf("n1 received %d and %d, want 7 (b, a) and 5 (a, b)", a, b)
	}
	w := first.Steps[0].State
	dups := 0
	for _, e := range explore.Edges[*model.World[int, byte], model.Action](m, w, nil) {
		if e.Action.Kind == model.Duplicate {
			dups++
		}
	}
	if dups != 2 {
		t.Errorf("%d duplications of a, b, a; want 2 (a and b)", dups)
	}
	res, err := explore.Check(m, nil, explore.Options{Workers: 1})
	if err != nil || res.Status != explore.OK || res.Stats.States != 48 || res.Stats.Transitions != 73 {
		t.Errorf("%v %v: %d states, %d transitions; pinned 48, 73", res.Status, err, res.Stats.States, res.Stats.Transitions)
	}
	// Every world's labels are distinct.
	seen := map[uint64]bool{}
	stack := m.Init()
	for len(stack) > 0 {
		w := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[m.Fingerprint(w)] {
			continue
		}
		seen[m.Fingerprint(w)] = true
		labels := map[string]bool{}
		for _, e := range explore.Edges[*model.World[int, byte], model.Action](m, w, nil) {
			if l := m.Label(w, e.Action); labels[l] {
				t.Fatalf("label %q twice in one world", l)
			} else {
				labels[l] = true
			}
			stack = append(stack, e.State)
		}
	}
}
