package quorum

import (
	"testing"

	"github.com/distsys/distsys/spec"
)

// history is a spec.View that holds only a history.
type history []spec.Event[Msg]

func (h history) Nodes() int                 { return 0 }
func (h history) State(spec.NodeID) State    { return State{} }
func (h history) Up(spec.NodeID) bool        { return true }
func (h history) Correct(spec.NodeID) bool   { return true }
func (h history) History() []spec.Event[Msg] { return h }

// events numbers the observations in order, all at node 0 (reads are told
// apart by id).
func events(obs ...Msg) history {
	h := make(history, len(obs))
	for i, o := range obs {
		h[i] = spec.Event[Msg]{Seq: i, Obs: o}
	}
	return h
}

func ws(v int8) Msg     { return Msg{Kind: WriteStart, Val: v} }
func wd(v int8) Msg     { return Msg{Kind: WriteDone, Val: v} }
func rs(id int8) Msg    { return Msg{Kind: ReadStart, ID: id} }
func rd(id, v int8) Msg { return Msg{Kind: ReadDone, ID: id, Val: v} }

// Reference: course 7.2, the checker: a history is linearizable when some
// sequential order, each operation between its start and its end,
// explains every value read; a pending write may or may not have taken
// effect.
func TestLinearizableSearchesForASequentialOrder(t *testing.T) {
	for _, c := range []struct {
		name string
		h    history
		ok   bool
	}{
		{"read after a completed write returns it", events(ws(1), wd(1), rs(1), rd(1, 1)), true},
		{"read after a completed write returns the initial value", events(ws(1), wd(1), rs(1), rd(1, 0)), false},
		{"read concurrent with a pending write sees it", events(ws(1), rs(1), rd(1, 1)), true},
		{"read concurrent with a pending write misses it", events(ws(1), rs(1), rd(1, 0)), true},
		{"a later write lost to an earlier one", events(ws(2), wd(2), ws(1), wd(1), rs(1), rd(1, 2)), false},
		{"concurrent writes, either order", events(ws(1), ws(2), wd(1), wd(2), rs(1), rd(1, 1)), true},
		{"new-old inversion", events(ws(1), rs(1), rd(1, 1), rs(2), rd(2, 0)), false},
		{"two reads that disagree on the order of concurrent writes", events(ws(1), ws(2), rs(1), rd(1, 1), rs(2), rd(2, 2), rs(3), rd(3, 1)), false},
		{"a value never written", events(rs(1), rd(1, 3)), false},
	} {
		err := checkLinearizable(c.h)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want linearizable %v", c.name, err, c.ok)
		}
	}
}
