package detector

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// MinNodes and MaxNodes bound Params.N.
const (
	MinNodes = 2
	MaxNodes = 3
)

// Params configure the detector.
type Params struct {
	// N is the number of nodes (MinNodes..MaxNodes); each watches every
	// other, for ever.
	N int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two nodes watching each other.
func DefaultParams() Params { return Params{N: 2} }

// Protocol is the heartbeat detector of Params. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	if p.N < MinNodes || p.N > MaxNodes {
		return nil, fmt.Errorf("detector: N = %d nodes, want %d..%d", p.N, MinNodes, MaxNodes)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is N.
func (pr *Protocol) Nodes() int { return pr.p.N }

// Workload is empty: the detector runs on its own timers.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] { return nil }

// Msg is a ping, or the ack that answers it.
type Msg struct {
	Ack bool
}

// String describes m: Ping or Ack.
func (m Msg) String() string {
	if m.Ack {
		return "Ack"
	}
	return "Ping"
}

// Watch is what a node knows about one peer.
type Watch struct {
	// Acked: the current ping has been answered.
	Acked bool
	// Suspected: the detector's output, "the peer has crashed".
	Suspected bool
	// Corrected: a suspicion of the peer was withdrawn when its ack came
	// late (the point where a real detector lengthens its timeout).
	Corrected bool
}

// State is one node's state. Everything is volatile: the detector is
// checked under crash-stop.
type State struct {
	Me spec.NodeID
	// Watch[p] is the node's view of peer p (unused at Me).
	Watch [MaxNodes]Watch
}

// Suspects reports whether s's node suspects peer p.
func (s State) Suspects(p spec.NodeID) bool { return s.Watch[p].Suspected }

// Init returns node id's state.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps only the node's identity.
func (pr *Protocol) Crash(s State) State { return State{Me: s.Me} }

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me))
	for p := range pr.p.N {
		w := s.Watch[p]
		b = append(b, bit(w.Acked, 0)|bit(w.Suspected, 1)|bit(w.Corrected, 2))
	}
	return b
}

func bit(v bool, n uint) byte {
	if v {
		return 1 << n
	}
	return 0
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte { return append(b, bit(m.Ack, 0)) }

// FormatState describes s: "suspects n1 (waiting); trusts n2 (acked,
// corrected a suspicion)".
func (pr *Protocol) FormatState(s State) string {
	var parts []string
	for p := range pr.p.N {
		if spec.NodeID(p) == s.Me {
			continue
		}
		w := s.Watch[p]
		verdict := "trusts"
		if w.Suspected {
			verdict = "suspects"
		}
		notes := []string{"waiting"}
		if w.Acked {
			notes[0] = "acked"
		}
		if w.Corrected {
			notes = append(notes, "corrected a suspicion")
		}
		parts = append(parts, fmt.Sprintf("%s n%d (%s)", verdict, p, strings.Join(notes, ", ")))
	}
	return strings.Join(parts, "; ")
}

// FormatMsg describes m as String does.
func (pr *Protocol) FormatMsg(m Msg) string { return m.String() }

// TimerName names the timeout that checks peer t: "check-n1".
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("check-n%d", t) }
