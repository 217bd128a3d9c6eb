package protocols

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/traces"
)

// Roles of the operations of a conflict.
const (
	// The last operation of the longest prefix porcupine could order.
	RoleLinearizedLast = "linearized last"
	// An operation that could come next by real time, refused by the
	// model after that prefix.
	RoleCannotComeNext = "cannot come next"
	// The operation of the prefix that returned last before a refused one
	// was invoked: the refused one must come after it.
	RoleCompletedBefore = "completed before it"
)

// maxStuck bounds the operations a conflict lists as unable to come next.
const maxStuck = 6

// Conflict is why a client history has no linearization, in porcupine's
// terms: the longest prefix of the history it could order (taking its
// operations one at a time, each between its invocation and its return),
// the state the model is in after it, and the operations that could come
// next in real time but that the model refuses in that state.
type Conflict struct {
	// Ops counts the operations of the part of the history (porcupine's
	// partition: one key of a store) that has no linearization;
	// Linearized how many of them the longest prefix orders.
	Ops, Linearized int
	// State describes the model's state after the prefix.
	State string
	// Operations are the prefix's last operation (if any), then each
	// operation that cannot come next, each followed by the operation that
	// completed last before it was invoked (unless listed already).
	Operations []traces.Operation
}

// Reason says in one line which operations conflict, for a trace's
// violation.
func (c *Conflict) Reason() string {
	if c == nil {
		return "porcupine: the client history has no linearization"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "porcupine: no linearization of %d operations: ", c.Ops)
	var stuck []string
	for _, o := range c.Operations {
		switch o.Role {
		case RoleLinearizedLast:
			fmt.Fprintf(&b, "the longest prefix it can order has %d, the last %s, after which the model's state is %s", c.Linearized, o, c.State)
		case RoleCannotComeNext:
			stuck = append(stuck, o.String())
		default:
			stuck[len(stuck)-1] += fmt.Sprintf(", after %s had completed", o)
		}
	}
	if c.Linearized == 0 {
		fmt.Fprintf(&b, "none can be ordered first from the initial state %s", c.State)
	}
	fmt.Fprintf(&b, "; none of these can come next: %s", strings.Join(stuck, "; "))
	return b.String()
}

// conflict finds the conflict in a history porcupine found illegal: in the
// first part (partition) of the history it could not linearize, its
// longest partial linearization, replayed on the model, and the
// operations that could come next by real time (no other remaining one
// returned before they were invoked) but are refused. hist are the
// operations porcupine checked, from ops[src[i]].
func conflict[M any](l *Linearizable[M], ops []impl.Op[M], hist []porcupine.Operation, src []int, info porcupine.LinearizationInfo) *Conflict {
	parts := [][]porcupine.Operation{hist}
	if l.Model.Partition != nil {
		parts = l.Model.Partition(hist)
	}
	partials := info.PartialLinearizationsOperations()
	type key struct {
		client int
		call   int64
	}
	index := map[key]int{} // an operation of hist → its op in ops
	for i, o := range hist {
		index[key{o.ClientId, o.Call}] = src[i]
	}
	describe := func(o porcupine.Operation) string {
		if l.Model.DescribeOperation != nil {
			return l.Model.DescribeOperation(o.Input, o.Output)
		}
		return fmt.Sprintf("%v → %v", o.Input, o.Output)
	}
	operation := func(o porcupine.Operation, role string) traces.Operation {
		op := ops[index[key{o.ClientId, o.Call}]]
		ret := op.Return
		if !op.OK {
			ret = -1
		}
		return traces.Operation{Client: o.ClientId, Node: fmt.Sprintf("n%d", op.Node), Op: describe(o), Call: op.Call, Return: ret, Role: role}
	}
	for p, part := range parts {
		if p >= len(partials) {
			break
		}
		var longest []porcupine.Operation
		for _, lin := range partials[p] {
			if len(lin) > len(longest) || len(lin) == len(longest) && earlier(lin, longest) {
				longest = lin
			}
		}
		if len(longest) >= len(part) {
			continue // this part has a linearization
		}
		state := l.Model.Init()
		done := map[key]bool{}
		for _, o := range longest {
			_, state = l.Model.Step(state, o.Input, o.Output)
			done[key{o.ClientId, o.Call}] = true
		}
		var rest []porcupine.Operation
		for _, o := range part {
			if !done[key{o.ClientId, o.Call}] {
				rest = append(rest, o)
			}
		}
		slices.SortStableFunc(rest, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
		var next, refused []porcupine.Operation
		for i, o := range rest {
			first := true
			for j, q := range rest {
				if j != i && q.Return < o.Call {
					first = false
					break
				}
			}
			if !first {
				continue
			}
			next = append(next, o)
			if ok, _ := l.Model.Step(state, o.Input, o.Output); !ok {
				refused = append(refused, o)
			}
		}
		if len(refused) == 0 {
			refused = next // porcupine's search gave up on all of them
		}
		c := &Conflict{Ops: len(part), Linearized: len(longest), State: fmt.Sprint(state)}
		if l.Model.DescribeState != nil {
			c.State = l.Model.DescribeState(state)
		}
		listed := map[key]bool{}
		if n := len(longest); n > 0 {
			c.Operations = append(c.Operations, operation(longest[n-1], RoleLinearizedLast))
			listed[key{longest[n-1].ClientId, longest[n-1].Call}] = true
		}
		for i, o := range refused {
			if i == maxStuck {
				break
			}
			c.Operations = append(c.Operations, operation(o, RoleCannotComeNext))
			before := -1
			for j, q := range longest {
				if q.Return < o.Call && (before < 0 || q.Return > longest[before].Return) {
					before = j
				}
			}
			if before >= 0 && !listed[key{longest[before].ClientId, longest[before].Call}] {
				q := longest[before]
				c.Operations = append(c.Operations, operation(q, RoleCompletedBefore))
				listed[key{q.ClientId, q.Call}] = true
			}
		}
		return c
	}
	return nil
}

// earlier orders two linearizations of the same length by their
// operations' invocation times, so that the longest is chosen the same
// way every time (porcupine returns them from a map).
func earlier(a, b []porcupine.Operation) bool {
	for i := range min(len(a), len(b)) {
		if a[i].Call != b[i].Call {
			return a[i].Call < b[i].Call
		}
		if a[i].ClientId != b[i].ClientId {
			return a[i].ClientId < b[i].ClientId
		}
	}
	return false
}
