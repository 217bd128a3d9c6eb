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
// the history — every completed one, and any of the pending writes — in
// which an operation comes after every operation that ended before it
// started, and every read returns the value of the last write before it
// (0 if none). Histories hold a handful of operations, so the search is
// a plain depth-first one.
func checkLinearizable(v spec.View[State, Msg]) error {
	cs := calls(v.History())
	if len(cs) > 16 {
		return fmt.Errorf("%d operations: more than the search handles", len(cs))
	}
	if linearize(cs, 0, 0) {
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

// linearize reports whether the operations not in placed (a bit set over
// cs) can follow in some order, the register holding reg.
func linearize(cs []call, placed uint16, reg int8) bool {
	done := true
	for i, c := range cs {
		if placed&(1<<i) != 0 {
			continue
		}
		if c.end >= 0 {
			done = false
		}
		if !placeable(cs, placed, i) {
			continue
		}
		next := reg
		switch {
		case c.write:
			next = c.val
		case c.end < 0:
			continue // a pending read constrains nothing: leave it out
		case c.val != reg:
			continue
		}
		if linearize(cs, placed|1<<i, next) {
			return true
		}
	}
	return done
}

// placeable reports that no operation still to place ended before
// operation i started: real time lets i come next.
func placeable(cs []call, placed uint16, i int) bool {
	for j, c := range cs {
		if placed&(1<<j) == 0 && j != i && c.end >= 0 && c.end < cs[i].start {
			return false
		}
	}
	return true
}
