package protocols

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

func init() {
	register(entry("quorum",
		"the writer and each reader issue their requests one after the other and wait for the reply; the client history is checked for linearizability (with -writeback 1, readers write back what they return before returning: linearizable)",
		[]Param{{Name: "writeback", Doc: "readers write back before returning (ABD), 0 or 1", Max: 1}},
		nil, quorumTarget))
}

// quorumTarget builds the register, or its write-back variant (ABD) with
// -writeback 1.
func quorumTarget(params map[string]int, mutant string) (*Target[WBState, quorum.Msg], error) {
	qp := catalog.QuorumParams(params, mutant)
	p, err := quorum.New(qp)
	if err != nil {
		return nil, err
	}
	return QuorumTarget(p, p.Workload(), params["writeback"] == 1), nil
}

// QuorumTarget runs the quorum register p with workload work; with
// writeBack, its readers write back the value they read to a write quorum
// before returning it (WriteBack).
//
// Each read is held (Target.After) until the first write has finished —
// the first read always, later ones in most rounds — so that reads start
// after a completed write and read-after-write has something to check;
// the other writes, and the reads not held, overlap as they come.
func QuorumTarget(p *quorum.Protocol, work []spec.WorkItem[quorum.Msg], writeBack bool) *Target[WBState, quorum.Msg] {
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
	return &Target[WBState, quorum.Msg]{
		Name:         "quorum",
		Protocol:     WriteBack(p, writeBack),
		Work:         work,
		After:        after,
		Properties:   project(quorum.Properties(), func(s WBState) quorum.State { return s.Q }),
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

// WBState is a node of the quorum register with write-back: the register's
// state, and a reader's write-back in progress.
type WBState struct {
	Q quorum.State
	// Back is set while the reader writes back Done's value; Acks are the
	// replicas that have acknowledged it.
	Back bool
	Done quorum.Msg
	Acks uint8
}

// wb is the quorum register whose readers write back (course 7.2, ABD):
// after a read quorum answered, the reader sends the newest value, with
// its timestamp, to every replica as a Write, and returns it (observes
// ReadDone) only once a write quorum has acknowledged it. A later read's
// quorum then meets a replica holding that value or a newer one, which
// makes the register linearizable. The write-back replaces the
// fire-and-forget read repair of that step. Everything else is the
// register's own Step.
type wb struct {
	*quorum.Protocol
	on bool
}

// WriteBack returns p with write-back (on) or p itself, as a protocol over
// WBState.
func WriteBack(p *quorum.Protocol, on bool) spec.Protocol[WBState, quorum.Msg] {
	return wb{p, on}
}

func (p wb) Init(id spec.NodeID) WBState { return WBState{Q: p.Protocol.Init(id)} }

// Crash keeps the register's persisted part; a write-back in progress is
// volatile (the reader's operation is lost with it).
func (p wb) Crash(s WBState) WBState { return WBState{Q: p.Protocol.Crash(s.Q)} }

func (p wb) Step(s WBState, in spec.Input[quorum.Msg]) (WBState, []spec.Output[quorum.Msg]) {
	par := p.Params()
	if p.on && s.Q.Role == quorum.Reader && in.Kind == spec.Receive && in.Msg.Kind == quorum.Ack {
		if !s.Back || int(in.From) >= par.N || in.Msg.TS != s.Done.TS {
			return s, nil
		}
		s.Acks |= 1 << in.From
		if bits.OnesCount8(s.Acks) < par.W {
			return s, nil
		}
		done := s.Done
		s.Back, s.Done, s.Acks = false, quorum.Msg{}, 0
		return s, []spec.Output[quorum.Msg]{spec.Emit(done)}
	}
	q, outs := p.Protocol.Step(s.Q, in)
	s.Q = q
	if !p.on || s.Q.Role != quorum.Reader {
		return s, outs
	}
	done := -1
	for i, o := range outs {
		if o.Kind == spec.Observe && o.Msg.Kind == quorum.ReadDone {
			done = i
		}
	}
	if done < 0 {
		return s, outs
	}
	d := outs[done].Msg
	s.Back, s.Done, s.Acks = true, d, 0
	var kept []spec.Output[quorum.Msg]
	for i, o := range outs {
		if i == done || o.Kind == spec.Send && o.Msg.Kind == quorum.Repair {
			continue
		}
		kept = append(kept, o)
	}
	for r := range par.N {
		kept = append(kept, spec.SendTo(spec.NodeID(r), quorum.Msg{Kind: quorum.Write, TS: d.TS, Val: d.Val}))
	}
	return s, kept
}

func (p wb) AppendState(b []byte, s WBState) []byte {
	b = p.Protocol.AppendState(b, s.Q)
	b = spec.AppendBool(b, s.Back)
	b = p.Protocol.AppendMsg(b, s.Done)
	return append(b, s.Acks)
}

func (p wb) FormatState(s WBState) string {
	f := p.Protocol.FormatState(s.Q)
	if s.Back {
		f += fmt.Sprintf(" writing back ts=%d v=%d acks=%08b", s.Done.TS, s.Done.Val, s.Acks)
	}
	return f
}
