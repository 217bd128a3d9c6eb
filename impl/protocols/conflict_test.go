package protocols_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec/quorum"
	"github.com/distsys/distsys/traces"
)

// Course 7.2's Cx1 without write-back: porcupine orders the write and
// reader A's read of 1, after which the register holds 1 and reader B's
// read of 0 — invoked after A's returned — cannot come next. The conflict
// names exactly those operations, with their clients, nodes and times, and
// the trace's reason says so in one line.
func TestConflictNamesTheOperationsPorcupineCannotOrder(t *testing.T) {
	t.Parallel()
	lin, run := staleReadAfterRead(t, false)
	if lin.Result != porcupine.Illegal || lin.Conflict == nil {
		t.Fatalf("porcupine says %s, conflict %+v; want Illegal with a conflict", lin.Result, lin.Conflict)
	}
	read := func(id int8) impl.Op[quorum.Msg] {
		for _, op := range run.Ops {
			if op.Req.Kind == quorum.ReadReq && op.Req.ID == id {
				return op
			}
		}
		t.Fatalf("no read %d in the history", id)
		return impl.Op[quorum.Msg]{}
	}
	a, b := read(1), read(2)
	if !a.OK || !b.OK || a.Return >= b.Call {
		t.Fatalf("reads %+v, %+v: want A answered before B was invoked", a, b)
	}
	op := func(o impl.Op[quorum.Msg], what, role string) traces.Operation {
		return traces.Operation{Client: o.Client, Node: fmt.Sprintf("n%d", o.Node), Op: what, Call: o.Call, Return: o.Return, Role: role}
	}
	want := []traces.Operation{
		op(a, "read#1 → 1", protocols.RoleLinearizedLast),
		op(b, "read#2 → 0", protocols.RoleCannotComeNext),
	}
	c := lin.Conflict
	if c.Ops != 3 || c.Linearized != 2 || c.State != "1" || fmt.Sprint(c.Operations) != fmt.Sprint(want) {
		t.Errorf("conflict: %d operations, %d linearized, state %q, %v\nwant 3, 2, \"1\", %v", c.Ops, c.Linearized, c.State, c.Operations, want)
	}
	reason := c.Reason()
	for _, s := range []string{"no linearization of 3 operations", "the last read#1 → 1 by client 1", "the model's state is 1", "none of these can come next: read#2 → 0 by client 2"} {
		if !strings.Contains(reason, s) {
			t.Errorf("reason %q lacks %q", reason, s)
		}
	}
}

// A read of the old value after a write completed: the write is the
// prefix, the read cannot follow it, and the write is also what completed
// last before the read began. A linearizable history has no conflict.
func TestConflictOfAStaleRead(t *testing.T) {
	t.Parallel()
	us := time.Microsecond
	write := impl.Op[quorum.Msg]{Client: 0, Node: 3, Req: quorum.Msg{Kind: quorum.WriteReq, Val: 1}, Reply: quorum.Msg{Kind: quorum.WriteDone, Val: 1}, OK: true, Call: 0, Return: 10 * us}
	stale := impl.Op[quorum.Msg]{Client: 1, Node: 4, Req: quorum.Msg{Kind: quorum.ReadReq, ID: 1}, Reply: quorum.Msg{Kind: quorum.ReadDone, ID: 1, Val: 0}, OK: true, Call: 20 * us, Return: 30 * us}
	lost := impl.Op[quorum.Msg]{Client: 2, Node: 3, Req: quorum.Msg{Kind: quorum.WriteReq, Val: 2}, Call: 40 * us, Return: 90 * us}
	lr := protocols.CheckHistory(protocols.RegisterModel, []impl.Op[quorum.Msg]{write, stale, lost}, time.Second)
	if lr.Result != porcupine.Illegal || lr.Conflict == nil {
		t.Fatalf("porcupine says %s, conflict %+v", lr.Result, lr.Conflict)
	}
	want := "[write(1) by client 0 on n3 (invoked 0s, returned 10µs) read#1 → 0 by client 1 on n4 (invoked 20µs, returned 30µs)]"
	if got := fmt.Sprint(lr.Conflict.Operations); got != want {
		t.Errorf("conflict %s\nwant     %s", got, want)
	}
	if r := lr.Conflict.Operations[1].Role; r != protocols.RoleCannotComeNext {
		t.Errorf("the stale read's role is %q", r)
	}
	fresh := stale
	fresh.Reply.Val = 1
	if lr := protocols.CheckHistory(protocols.RegisterModel, []impl.Op[quorum.Msg]{write, fresh, lost}, time.Second); lr.Result != porcupine.Ok || lr.Conflict != nil {
		t.Errorf("a fresh read: porcupine says %s, conflict %+v", lr.Result, lr.Conflict)
	}
}
