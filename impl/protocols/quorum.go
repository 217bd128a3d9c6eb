package protocols

import (
	"fmt"
	"slices"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

func init() {
	register(entry("quorum",
		"each writer and each reader issue their requests one after the other and wait for the reply; the client history is checked for linearizability (with -writeback 1, readers write back what they return before returning: linearizable; with -writers 2 or more, a write first asks a read quorum for the newest timestamp)",
		nil, quorumTarget))
}

// quorumTarget builds the register, with write-back (ABD) under
// -writeback 1 and several writers under -writers: spec/quorum's own
// parameters, the very Step the checker explores.
func quorumTarget(params map[string]int, mutant string) (*Target[quorum.State, quorum.Msg], error) {
	p, err := quorum.New(catalog.QuorumParams(params, mutant))
	if err != nil {
		return nil, err
	}
	return QuorumTarget(p, p.Workload()), nil
}

// QuorumTarget runs the quorum register p with workload work. Its
// properties are the checker's, less read-after-read and linearizable when
// p does not write back: the register without write-back does not promise
// them, and porcupine's linearizability check shows what it costs. With
// one writer linearizable is left out as in a check (p.Vacuous).
//
// Each read is held (Target.After) until the first write has finished —
// the first read always, later ones in most rounds — so that reads start
// after a completed write and read-after-write has something to check;
// the other writes, and the reads not held, overlap as they come.
func QuorumTarget(p *quorum.Protocol, work []spec.WorkItem[quorum.Msg]) *Target[quorum.State, quorum.Msg] {
	after := make([]int, len(work))
	firstWrite := slices.IndexFunc(work, func(w spec.WorkItem[quorum.Msg]) bool { return w.Choices[0].Kind == quorum.WriteReq })
	var expected []string
	if firstWrite >= 0 {
		expected = append(expected, "write-completes")
	}
	for i, w := range work {
		after[i] = -1
		if w.Choices[0].Kind == quorum.ReadReq && firstWrite >= 0 && firstWrite < i {
			after[i] = firstWrite
		}
	}
	if slices.ContainsFunc(after, func(j int) bool { return j >= 0 }) {
		expected = append(expected, "read-after-write-happens")
	}
	props := slices.DeleteFunc(quorum.Properties(), func(q spec.Property[quorum.State, quorum.Msg]) bool {
		switch q.Name {
		case quorum.PropReadAfterRead:
			return !p.Params().WriteBack
		case quorum.PropLinearizable:
			_, vacuous := p.Vacuous()[q.Name]
			return vacuous || !p.Params().WriteBack
		}
		return false
	})
	return &Target[quorum.State, quorum.Msg]{
		Name:         "quorum",
		Protocol:     p,
		Work:         work,
		After:        after,
		Properties:   props,
		Expected:     expected,
		Replies:      QuorumReplies,
		Linearizable: RegisterModel,
	}
}

// QuorumReplies: a write is answered by its WriteDone (values are unique
// in a workload), a read by its ReadDone (ids are unique).
var QuorumReplies = impl.Replies[quorum.Msg]{
	Key: func(req quorum.Msg) uint64 {
		if req.Kind == quorum.WriteReq {
			return 1<<8 | uint64(uint8(req.Val))
		}
		return uint64(uint8(req.ID))
	},
	Reply: func(_ spec.NodeID, obs quorum.Msg) (uint64, bool) {
		switch obs.Kind {
		case quorum.WriteDone:
			return 1<<8 | uint64(uint8(obs.Val)), true
		case quorum.ReadDone:
			return uint64(uint8(obs.ID)), true
		}
		return 0, false
	},
}

// RegisterModel is the sequential specification of a register holding
// 0 initially: a write sets it, a read returns it.
var RegisterModel = &Linearizable[quorum.Msg]{
	Model: porcupine.Model{
		Init: func() any { return int8(0) },
		Step: func(state, input, output any) (bool, any) {
			in := input.(quorum.Msg)
			if in.Kind == quorum.WriteReq {
				return true, in.Val
			}
			if _, unknown := output.(Unknown); unknown {
				return true, state
			}
			return output.(int8) == state.(int8), state
		},
		DescribeOperation: func(input, output any) string {
			in := input.(quorum.Msg)
			if in.Kind == quorum.WriteReq {
				return fmt.Sprintf("write(%d)", in.Val)
			}
			if _, unknown := output.(Unknown); unknown {
				return fmt.Sprintf("read#%d → ?", in.ID)
			}
			return fmt.Sprintf("read#%d → %d", in.ID, output.(int8))
		},
		DescribeState: func(state any) string { return fmt.Sprint(state.(int8)) },
	},
	Input:    func(req quorum.Msg) any { return req },
	Output:   func(reply quorum.Msg) any { return reply.Val },
	ReadOnly: func(req quorum.Msg) bool { return req.Kind == quorum.ReadReq },
}
