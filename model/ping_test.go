package model_test

import (
	"errors"
	"fmt"

	"github.com/distsys/distsys/spec"
)

// ping is the smallest protocol that uses every part of the model: node 0,
// asked by a request, sends ping to node 1 and retries on a timer until a
// pong comes back; node 1 answers every ping; node 0 observes the pong.
type ping struct {
	n int
	// same makes every retry resend Ping0, so that with ghost clocks two
	// packets in flight differ only in their clocks.
	same bool
}

type pingState struct {
	id      spec.NodeID
	sent    bool // persisted
	tries   int
	got     bool
	answers int
}

type pingMsg struct {
	kind byte // 'p' ping, 'o' pong, 'r' request, 'g' observed pong
	try  int  // which try a ping is, echoed by its pong
}

const retry spec.Timer = 0

func (p ping) Nodes() int                     { return p.n }
func (p ping) Init(id spec.NodeID) pingState  { return pingState{id: id} }
func (p ping) Crash(s pingState) pingState    { return pingState{id: s.id, sent: s.sent} }
func (p ping) FormatState(s pingState) string { return fmt.Sprintf("%+v", s) }
func (p ping) TimerName(spec.Timer) string    { return "retry" }
func (p ping) AppendMsg(b []byte, m pingMsg) []byte {
	return spec.AppendUint(append(b, m.kind), uint64(m.try))
}
func (p ping) FormatMsg(m pingMsg) string {
	name := map[byte]string{'p': "Ping", 'o': "Pong", 'r': "go", 'g': "got-pong"}[m.kind]
	if m.kind == 'p' || m.kind == 'o' {
		name += fmt.Sprint(m.try)
	}
	return name
}
func (p ping) AppendState(b []byte, s pingState) []byte {
	b = spec.AppendUint(b, uint64(s.id))
	b = spec.AppendBool(b, s.sent)
	b = spec.AppendBool(b, s.got)
	b = spec.AppendUint(b, uint64(s.tries))
	return spec.AppendUint(b, uint64(s.answers))
}

func (p ping) Step(s pingState, in spec.Input[pingMsg]) (pingState, []spec.Output[pingMsg]) {
	switch in.Kind {
	case spec.Request:
		s.sent = true
		return s, []spec.Output[pingMsg]{spec.SendTo(1, pingMsg{'p', 0}), spec.SetTimerOut[pingMsg](retry)}
	case spec.Fire:
		if !s.got && s.tries < 2 {
			s.tries++
			try := s.tries
			if p.same {
				try = 0
			}
			return s, []spec.Output[pingMsg]{spec.SendTo(1, pingMsg{'p', try}), spec.SetTimerOut[pingMsg](retry)}
		}
	case spec.Receive:
		switch in.Msg.kind {
		case 'p':
			s.answers++
			return s, []spec.Output[pingMsg]{spec.SendTo(in.From, pingMsg{'o', in.Msg.try})}
		case 'o':
			if s.got {
				return s, nil
			}
			s.got = true
			return s, []spec.Output[pingMsg]{spec.CancelTimerOut[pingMsg](retry), spec.Emit(pingMsg{'g', in.Msg.try})}
		}
	case spec.Recover:
		if s.sent && !s.got {
			return s, []spec.Output[pingMsg]{spec.SetTimerOut[pingMsg](retry)}
		}
	}
	return s, nil
}

func pingWork() []spec.WorkItem[pingMsg] {
	return []spec.WorkItem[pingMsg]{{Node: 0, Choices: []pingMsg{{kind: 'r'}}}}
}

var gotPong = spec.Property[pingState, pingMsg]{
	Name: "got-pong", Kind: spec.Sometimes,
	Reach: func(v spec.View[pingState, pingMsg]) bool { return v.State(0).got },
}

var pongAtQuiescence = spec.Property[pingState, pingMsg]{
	Name: "pong-at-quiescence", Kind: spec.AtQuiescence,
	State: func(v spec.View[pingState, pingMsg]) error {
		if s := v.State(0); s.sent && !s.got && s.tries == 2 {
			return errors.New("n0 gave up without a pong")
		}
		if v.State(0).sent && !v.State(0).got && v.Up(0) {
			return errors.New("n0 sent a ping and never got a pong")
		}
		return nil
	},
}

var answersBounded = spec.Property[pingState, pingMsg]{
	Name: "answers-at-most-3", Kind: spec.Always,
	State: func(v spec.View[pingState, pingMsg]) error {
		if a := v.State(1).answers; a > 3 {
			return fmt.Errorf("n1 answered %d pings", a)
		}
		return nil
	},
}

var observedOnce = spec.Property[pingState, pingMsg]{
	Name: "observed-once", Kind: spec.Always, Needs: spec.NeedsHappensBefore,
	State: func(v spec.View[pingState, pingMsg]) error {
		h := v.History()
		if len(h) > 1 {
			return fmt.Errorf("%d observations", len(h))
		}
		if len(h) == 1 && len(h[0].Clock) != 2 {
			return fmt.Errorf("clock %v", h[0].Clock)
		}
		return nil
	},
}
