package protocols

import (
	"fmt"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/cas"
)

func init() {
	register(entry("cas",
		"each client's operation of the scenario, sent to its replica, numbered by the sequencer n0 and applied by every replica in the order of the numbers; the client history is checked for linearizability by porcupine (-reads local answers reads from the local copy: not linearizable)",
		nil, casTarget))
}

func casTarget(params map[string]int, mutant string) (*Target[cas.State, cas.Msg], error) {
	p, err := cas.New(catalog.CASParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// Which CAS wins hangs on the timing of the round: no witness is
	// expected.
	return &Target[cas.State, cas.Msg]{
		Name: "cas", Protocol: p, Work: p.Workload(),
		Properties:   p.Properties(),
		Replies:      CASReplies,
		Linearizable: CASModel,
	}, nil
}

// CASReplies: an operation is answered by the Done that carries its ID
// (IDs are unique in a scenario).
var CASReplies = impl.Replies[cas.Msg]{
	Key: func(req cas.Msg) uint64 { return uint64(uint8(req.Op.ID)) },
	Reply: func(_ spec.NodeID, obs cas.Msg) (uint64, bool) {
		if obs.Kind == cas.Done {
			return uint64(uint8(obs.Op.ID)), true
		}
		return 0, false
	},
}

// CASModel is the sequential specification of a register holding 0
// initially, with read, write and compare-and-swap (cas.Op.Apply).
var CASModel = &Linearizable[cas.Msg]{
	Model: porcupine.Model{
		Init: func() any { return int8(0) },
		Step: func(state, input, output any) (bool, any) {
			next, r := input.(cas.Op).Apply(state.(int8))
			if _, unknown := output.(Unknown); unknown {
				return true, next
			}
			return output.(int8) == r, next
		},
		DescribeOperation: func(input, output any) string {
			op := input.(cas.Op)
			if _, unknown := output.(Unknown); unknown {
				return fmt.Sprintf("%s → ?", op)
			}
			return fmt.Sprintf("%s → %s", op, op.Result(output.(int8)))
		},
		DescribeState: func(state any) string { return fmt.Sprint(state.(int8)) },
	},
	Input:    func(req cas.Msg) any { return req.Op },
	Output:   func(reply cas.Msg) any { return reply.Result },
	ReadOnly: func(req cas.Msg) bool { return req.Op.Kind == cas.Read },
}
