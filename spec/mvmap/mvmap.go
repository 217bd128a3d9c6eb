package mvmap

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations (they keep a state a few bytes).
const (
	MaxNodes = 3
	MaxEdits = 2 // sets per node
	MaxKeys  = 2
	// maxIDs is the number of distinct sets (values) a run can make.
	maxIDs = MaxNodes * MaxEdits
)

// Delivery says how an update reaches the other replicas.
type Delivery uint8

const (
	// Causal holds an update back until every update its writer had
	// applied is applied here too (causal broadcast).
	Causal Delivery = iota
	// Reliable applies an update as soon as it arrives: every update
	// reaches every replica, in any order.
	Reliable
)

var deliveryNames = [...]string{"causal", "reliable"}

func (d Delivery) String() string { return deliveryNames[d&1] }

// Deliveries lists the deliveries in the order of their numbers.
func Deliveries() []Delivery { return []Delivery{Causal, Reliable} }

// KeyNames name the map's keys.
var KeyNames = [MaxKeys]string{"x", "y"}

// Params configure the replicas.
type Params struct {
	// Nodes is the number of replicas (2..MaxNodes).
	Nodes int
	// Edits[i] is the number of sets replica i makes (0..MaxEdits); the
	// checker chooses the key of each.
	Edits [MaxNodes]int
	// Keys is the number of keys of the map (1..MaxKeys).
	Keys int
	// Delivery is how updates are delivered.
	Delivery Delivery
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are two replicas of a map with one key, each replica
// setting it once, over causal broadcast.
func DefaultParams() Params { return Params{Nodes: 2, Edits: [MaxNodes]int{1, 1}, Keys: 1} }

// Protocol is the replicas of one multi-value map. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Nodes < 2 || p.Nodes > MaxNodes:
		return nil, fmt.Errorf("mvmap: %d nodes, want 2..%d", p.Nodes, MaxNodes)
	case p.Keys < 1 || p.Keys > MaxKeys:
		return nil, fmt.Errorf("mvmap: %d keys, want 1..%d", p.Keys, MaxKeys)
	case p.Delivery > Reliable:
		return nil, fmt.Errorf("mvmap: Delivery = %d, want causal (0) or reliable (1)", p.Delivery)
	}
	for i, e := range p.Edits {
		if e < 0 || e > MaxEdits || i >= p.Nodes && e != 0 {
			return nil, fmt.Errorf("mvmap: node %d makes %d sets, want 0..%d (and none beyond node %d)", i, e, MaxEdits, p.Nodes-1)
		}
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is the number of replicas.
func (pr *Protocol) Nodes() int { return pr.p.Nodes }

// ID names one set, and the value it writes: node i's k-th set (k from
// 0) is ID(i, k). A set of IDs is a bit mask.
func ID(i spec.NodeID, k int) uint8 { return uint8(int(i)*MaxEdits + k) }

// Set is one set a replica made (ghost, for the properties): the key,
// its ID, and the values of the key it overwrote (a mask of IDs).
type Set struct {
	Key  uint8
	ID   uint8
	Over uint8
}

// State is one replica's state.
type State struct {
	Me spec.NodeID
	// Vals[k] is the values key k holds (a mask of IDs): every value
	// written to k and not overwritten by a set applied here.
	Vals [MaxKeys]uint8
	// Applied is the sets applied here (a mask of IDs).
	Applied uint8
	// Held is the updates received but held back until their causal
	// past is applied (a mask of IDs); Pending[id] is each one.
	Held    uint8
	Pending [maxIDs]Msg
	// Mine are the replica's own sets, in order (ghost: read by the
	// properties, never by Step).
	Mine [MaxEdits]Set
	// Made counts them.
	Made uint8
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// SetReq is the application's request to set Key.
	SetReq MsgKind = iota
	// Update is a set broadcast to the other replicas.
	Update
	// Acked observes a set applied locally: the user sees it done.
	Acked
)

// Msg is a request, an update or an observation.
type Msg struct {
	Kind MsgKind
	Key  uint8
	// ID is the set's (Update, Acked).
	ID uint8
	// Over is the values of Key the set overwrote at its writer (Update,
	// Acked).
	Over uint8
	// Deps is the sets its writer had applied before it (Update): the
	// causal past a replica applies first under causal delivery.
	Deps uint8
}

// TimerName names timer t: the replicas set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }

// Init returns replica id's state: nothing written.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the replicas are checked without crashes, and a
// replica's map, applied set and hold-back queue would be on disk.
func (pr *Protocol) Crash(s State) State { return s }

// AppendState appends s's canonical encoding (only held updates).
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), s.Applied, s.Held, s.Made)
	b = append(b, s.Vals[:]...)
	for id := range maxIDs {
		if s.Held>>id&1 == 1 {
			b = pr.AppendMsg(b, s.Pending[id])
		}
	}
	for _, e := range s.Mine {
		b = append(b, e.Key, e.ID, e.Over)
	}
	return b
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return append(b, byte(m.Kind), m.Key, m.ID, m.Over, m.Deps)
}

// Value names the value of set id: "w<node>.<k>" for node's k-th set.
func Value(id uint8) string { return fmt.Sprintf("w%d.%d", id/MaxEdits, id%MaxEdits+1) }

// FormatValues is "{w0.1,w1.1}".
func FormatValues(mask uint8) string {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for id := range uint8(maxIDs) {
		if mask>>id&1 == 1 {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(Value(id))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// FormatState describes s: "x={w0.1,w1.1} applied={w0.1,w1.1}" with
// " held={...}" when updates wait.
func (pr *Protocol) FormatState(s State) string {
	var b strings.Builder
	for k := range pr.p.Keys {
		fmt.Fprintf(&b, "%s=%s ", KeyNames[k], FormatValues(s.Vals[k]))
	}
	fmt.Fprintf(&b, "applied=%s", FormatValues(s.Applied))
	if s.Held != 0 {
		fmt.Fprintf(&b, " held=%s", FormatValues(s.Held))
	}
	return b.String()
}

// FormatMsg describes m: "set x", "x=w1.1 over {w0.1} after {w0.1}",
// "acked x=w1.1 over {w0.1}".
func (pr *Protocol) FormatMsg(m Msg) string {
	name := KeyNames[m.Key%MaxKeys]
	switch m.Kind {
	case SetReq:
		return "set " + name
	case Acked:
		return fmt.Sprintf("acked %s=%s over %s", name, Value(m.ID), FormatValues(m.Over))
	}
	return fmt.Sprintf("%s=%s over %s after %s", name, Value(m.ID), FormatValues(m.Over), FormatValues(m.Deps))
}

// Workload is each replica's sets, in order; the checker tries every key
// for each.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	var choices []Msg
	for k := range pr.p.Keys {
		choices = append(choices, Msg{Kind: SetReq, Key: uint8(k)})
	}
	var work []spec.WorkItem[Msg]
	for i := range pr.p.Nodes {
		for range pr.p.Edits[i] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: choices})
		}
	}
	return work
}
