package protocols

import (
	"bytes"
	"math"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/impl"
)

// Linearizable is what porcupine needs to check a client history: the
// sequential specification and the way client operations map onto it.
type Linearizable[M any] struct {
	// Model is the sequential specification. An operation whose outcome
	// is unknown (no reply) has Output Unknown{}: its Step must accept it.
	Model porcupine.Model
	// Input and Output turn a request and its reply into the model's.
	Input  func(req M) any
	Output func(reply M) any
	// ReadOnly, if set, tells a request that changes nothing: one without
	// a reply is left out of the history (it constrains nothing, and
	// operations pending forever are what makes the search expensive).
	ReadOnly func(req M) bool

	_ struct{}
}

// Unknown is the output of an operation that got no reply: it may or may
// not have taken effect, at any time after its call.
type Unknown struct{}

// LinResult is the outcome of a linearizability check.
type LinResult struct {
	// Result is porcupine's: Ok, Illegal or Unknown (timed out: never a
	// pass).
	Result porcupine.CheckResult
	Ops    int
	// HTML is porcupine's own visualisation of an Illegal history, and
	// Conflict the operations that make it so.
	HTML     []byte
	Conflict *Conflict
}

// CheckHistory checks ops with porcupine, within timeout.
func CheckHistory[M any](l *Linearizable[M], ops []impl.Op[M], timeout time.Duration) LinResult {
	hist := make([]porcupine.Operation, 0, len(ops))
	src := make([]int, 0, len(ops)) // hist[i] is ops[src[i]]
	for i, op := range ops {
		if !op.OK && l.ReadOnly != nil && l.ReadOnly(op.Req) {
			continue
		}
		o := porcupine.Operation{ClientId: op.Client, Input: l.Input(op.Req), Call: int64(op.Call), Output: Unknown{}, Return: math.MaxInt64}
		if op.OK {
			o.Output, o.Return = l.Output(op.Reply), int64(op.Return)
		}
		hist, src = append(hist, o), append(src, i)
	}
	res, info := porcupine.CheckOperationsVerbose(l.Model, hist, timeout)
	out := LinResult{Result: res, Ops: len(hist)}
	if res == porcupine.Illegal {
		var b bytes.Buffer
		if err := porcupine.Visualize(l.Model, info, &b); err == nil {
			out.HTML = b.Bytes()
		}
		out.Conflict = conflict(l, ops, hist, src, info)
	}
	return out
}
