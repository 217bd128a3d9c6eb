package quorum

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// call is one operation of the history: a write of val, or a read that
// returned val. start and end are positions in the history; end is -1
// while the operation has not returned.
type call struct {
	write      bool
	id, val    int8
	start, end int
}

// calls reads the operations out of history h. A write starts at its
// WriteStart (with one writer, unobserved: at 0) and ends at its WriteDone;
// a read starts at its ReadStart and ends at its ReadDone. Values are
// unique to their write, ids to their read.
func calls(h []spec.Event[Msg]) []call {
	var cs []call
	find := func(write bool, id int8) int {
		for i := range cs {
			if cs[i].write == write && cs[i].id == id {
				return i
			}
		}
		cs = append(cs, call{write: write, id: id, val: id, end: -1})
		if !write {
			cs[len(cs)-1].val = 0
		}
		return len(cs) - 1
	}
	for k, e := range h {
		switch e.Obs.Kind {
		case WriteStart:
			cs[find(true, e.Obs.Val)].start = k
		case WriteDone:
			cs[find(true, e.Obs.Val)].end = k
		case ReadStart:
			cs[find(false, e.Obs.ID)].start = k
		case ReadDone:
			c := &cs[find(false, e.Obs.ID)]
			c.end, c.val = k, e.Obs.Val
		}
	}
	return cs
}

// checkLinearizable searches for a sequential order of the operations of
// the history — every completed one, and any of the pending ones — in
// which an operation comes after every operation that ended before it
// started, and every read returns the value of the last write before it
// (0 if none).
func checkLinearizable(v spec.View[State, Msg]) error {
	cs := calls(v.History())
	ops := make([]spec.Call[call, int8], len(cs))
	for i, c := range cs {
		ops[i] = spec.Call[call, int8]{Op: c, Invoked: c.start, Replied: c.end}
		if !c.write {
			ops[i].Result = c.val
		}
	}
	if spec.Linearizable(ops, int8(0), registerApply) {
		return nil
	}
	var b strings.Builder
	for _, c := range cs {
		b.WriteByte(' ')
		switch {
		case c.write:
			fmt.Fprintf(&b, "write(%d)", c.val)
		case c.end >= 0:
			fmt.Fprintf(&b, "read#%d→%d", c.id, c.val)
		default:
			fmt.Fprintf(&b, "read#%d", c.id)
		}
		if c.end < 0 {
			b.WriteString(" pending")
		}
	}
	return fmt.Errorf("no sequential order of the operations explains the values read:%s", b.String())
}

// registerApply runs one operation on a register holding reg: a write
// stores its value and returns 0, a read returns reg.
func registerApply(reg int8, c call) (int8, int8) {
	if c.write {
		return c.val, 0
	}
	return reg, reg
}
