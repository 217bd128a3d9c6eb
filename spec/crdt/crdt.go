package crdt

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Limits of the configurations.
const (
	MaxNodes   = 3
	MaxUpdates = 2 // updates per node
	MaxKeys    = 2
)

// Type is the replicated data type.
type Type uint8

// The types.
const (
	// LWWMap maps keys to (timestamp, value); merge keeps, per key, the
	// entry with the greater timestamp.
	LWWMap Type = iota
	// GCounter counts increments per node; merge takes the maximum per
	// node, the value is the sum.
	GCounter
	// PNCounter is two G-Counters, of increments and of decrements; the
	// value is their difference.
	PNCounter
	// ORSet is the observed-remove set: an add tags the element with a
	// unique (node, counter) tag, a remove tombstones the tags it
	// observed; an element is in the set while it has a tag not
	// tombstoned. Merge is the union of tags and of tombstones.
	ORSet
)

var typeNames = [...]string{"lwwmap", "gcounter", "pncounter", "orset"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", t)
}

// Types lists the types in the order of their numbers.
func Types() []Type { return []Type{LWWMap, GCounter, PNCounter, ORSet} }

// Params configure the replicas.
type Params struct {
	Type Type
	// Nodes is the number of replicas (2..MaxNodes).
	Nodes int
	// Updates[i] is the number of updates replica i makes (0..MaxUpdates):
	// a set of a key (the checker tries each), an increment, or an
	// increment or a decrement (the checker tries both).
	Updates [MaxNodes]int
	// Keys is the number of keys of the map (1..MaxKeys).
	Keys int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams are an LWW map of two keys on two replicas, each making
// one update.
func DefaultParams() Params {
	return Params{Type: LWWMap, Nodes: 2, Updates: [MaxNodes]int{1, 1}, Keys: 2}
}

// Protocol is the replicas of one state-based CRDT. It implements
// spec.Protocol[State, Msg].
type Protocol struct {
	p  Params
	mu mutant
}

var _ spec.Protocol[State, Msg] = (*Protocol)(nil)

// New validates p and returns its protocol.
func New(p Params) (*Protocol, error) {
	switch {
	case p.Type > ORSet:
		return nil, fmt.Errorf("crdt: Type = %d, want 0..%d", p.Type, ORSet)
	case p.Nodes < 2 || p.Nodes > MaxNodes:
		return nil, fmt.Errorf("crdt: %d nodes, want 2..%d", p.Nodes, MaxNodes)
	case p.Keys < 1 || p.Keys > MaxKeys:
		return nil, fmt.Errorf("crdt: %d keys, want 1..%d", p.Keys, MaxKeys)
	}
	for i, u := range p.Updates {
		if u < 0 || u > MaxUpdates || i >= p.Nodes && u != 0 {
			return nil, fmt.Errorf("crdt: node %d makes %d updates, want 0..%d (and none beyond node %d)", i, u, MaxUpdates, p.Nodes-1)
		}
	}
	mu, err := parseMutant(p.Type, p.Mutant)
	if err != nil {
		return nil, err
	}
	return &Protocol{p: p, mu: mu}, nil
}

// Params returns the parameters the protocol was built with.
func (pr *Protocol) Params() Params { return pr.p }

// Nodes is the number of replicas.
func (pr *Protocol) Nodes() int { return pr.p.Nodes }

// Stamp is a unique Lamport timestamp (counter, node): the value an
// edit writes is named by its stamp.
type Stamp = spec.Stamp

// Value is a replica's CRDT state, the payload a replica sends whole:
// the map's entries, the counters' per-node counts (N for PN only), or
// the OR-set's tags and tombstones per element.
type Value struct {
	Map  [MaxKeys]Stamp
	P, N [MaxNodes]uint8
	// Tags[e] is the add tags of element e the value holds and Tombs[e]
	// the tombstoned ones (masks of Tag numbers; OR-set only).
	Tags, Tombs [MaxKeys]uint8
	// Seen is ghost (OR-set only): the updates, adds and removes, whose
	// effect the value includes (a mask of Tag numbers: a replica's k-th
	// update is Tag(node, k)). Merge takes the union whatever the
	// mutant; only the properties read it.
	Seen uint8
}

// Tag numbers replica node's k-th update (k from 0): the tag of an add,
// and the ghost name of any OR-set update.
func Tag(node spec.NodeID, k int) uint8 { return uint8(int(node)*MaxUpdates + k) }

// allTags is every tag a run can make.
const allTags = 1<<(MaxNodes*MaxUpdates) - 1

// State is one replica's state.
type State struct {
	Me spec.NodeID
	// Clock is the Lamport clock (LWW map).
	Clock uint8
	V     Value
	// Made counts the replica's updates; Sets are its sets (LWW map),
	// Incs and Decs its increments and decrements (ghost: read by the
	// properties, never by Step).
	Made       uint8
	Sets       [MaxUpdates]Set
	Incs, Decs uint8
}

// Set is one set of the map: the key and its timestamp (the value).
// For the OR-set it is one update of element Key: an add (Stamp.C = 1)
// or a remove (Stamp.C = 2) whose observed tags are Observed.
type Set struct {
	Key      uint8
	Stamp    Stamp
	Observed uint8
}

// MsgKind says what a Msg is.
type MsgKind uint8

// The kinds of messages.
const (
	// SetReq, IncReq and DecReq are the application's updates.
	SetReq MsgKind = iota
	IncReq
	DecReq
	// StateMsg carries a replica's whole Value to a peer.
	StateMsg
	// AddReq and RemoveReq add and remove an element of the OR-set.
	AddReq
	RemoveReq
)

// Msg is an update request or a replica's state.
type Msg struct {
	Kind MsgKind
	Key  uint8 // SetReq, AddReq, RemoveReq
	V    Value // StateMsg
}

// TimerName names timer t: the replicas set none.
func (pr *Protocol) TimerName(t spec.Timer) string { return fmt.Sprintf("timer%d", t) }

// Init returns replica id's state: the bottom of the lattice.
func (pr *Protocol) Init(id spec.NodeID) State { return State{Me: id} }

// Crash keeps everything: the state would be on disk.
func (pr *Protocol) Crash(s State) State { return s }

func appendValue(b []byte, v Value) []byte {
	for _, e := range v.Map {
		b = append(b, e.C, e.Node)
	}
	b = append(b, v.P[:]...)
	b = append(b, v.N[:]...)
	b = append(b, v.Tags[:]...)
	b = append(b, v.Tombs[:]...)
	return append(b, v.Seen)
}

// AppendState appends s's canonical encoding.
func (pr *Protocol) AppendState(b []byte, s State) []byte {
	b = append(b, byte(s.Me), s.Clock, s.Made, s.Incs, s.Decs)
	for _, st := range s.Sets {
		b = append(b, st.Key, st.Stamp.C, st.Stamp.Node, st.Observed)
	}
	return appendValue(b, s.V)
}

// AppendMsg appends m's canonical encoding.
func (pr *Protocol) AppendMsg(b []byte, m Msg) []byte {
	return appendValue(append(b, byte(m.Kind), m.Key), m.V)
}

// KeyNames name the map's keys.
var KeyNames = [MaxKeys]string{"x", "y"}

// FormatValue describes v: "x=w0.1 y=-" (map), "[1 0]=1" (G-Counter:
// per-node counts, value), "+[1 0] -[0 1]=0" (PN-Counter).
func (pr *Protocol) FormatValue(v Value) string {
	var b strings.Builder
	switch pr.p.Type {
	case LWWMap:
		for k := range pr.p.Keys {
			if k > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s=%s", KeyNames[k], v.Map[k])
		}
	case GCounter:
		fmt.Fprintf(&b, "%v=%d", v.P[:pr.p.Nodes], pr.Count(v))
	case PNCounter:
		fmt.Fprintf(&b, "+%v -%v=%d", v.P[:pr.p.Nodes], v.N[:pr.p.Nodes], pr.Count(v))
	case ORSet:
		b.WriteByte('{')
		first := true
		for k := range pr.p.Keys {
			if Present(v, k) {
				if !first {
					b.WriteByte(',')
				}
				first = false
				b.WriteString(KeyNames[k])
			}
		}
		b.WriteByte('}')
		for k := range pr.p.Keys {
			if v.Tags[k] != 0 {
				fmt.Fprintf(&b, " %s:%s", KeyNames[k], formatTags(v.Tags[k], v.Tombs[k]))
			}
		}
	}
	return b.String()
}

// Present reports that element k is in the OR-set v: it has an add tag
// not tombstoned.
func Present(v Value, k int) bool { return v.Tags[k]&^v.Tombs[k] != 0 }

// FormatTag names tag t: "a<node>.<k>" for node's k-th update.
func FormatTag(t uint8) string { return fmt.Sprintf("a%d.%d", t/MaxUpdates, t%MaxUpdates+1) }

// formatTags is "a0.1,~a1.1": the tags, tombstoned ones marked ~.
func formatTags(tags, tombs uint8) string {
	var parts []string
	for t := range uint8(MaxNodes * MaxUpdates) {
		if tags>>t&1 == 1 {
			if tombs>>t&1 == 1 {
				parts = append(parts, "~"+FormatTag(t))
			} else {
				parts = append(parts, FormatTag(t))
			}
		}
	}
	return strings.Join(parts, ",")
}

// Count is a counter's value: increments less decrements.
func (pr *Protocol) Count(v Value) int {
	n := 0
	for i := range MaxNodes {
		n += int(v.P[i]) - int(v.N[i])
	}
	return n
}

// FormatState describes s: its value (and the clock of a map).
func (pr *Protocol) FormatState(s State) string {
	if pr.p.Type == LWWMap {
		return fmt.Sprintf("clock=%d %s", s.Clock, pr.FormatValue(s.V))
	}
	return pr.FormatValue(s.V)
}

// FormatMsg describes m: "set x", "inc", "dec", "state x=w0.1 y=-".
func (pr *Protocol) FormatMsg(m Msg) string {
	switch m.Kind {
	case SetReq:
		return "set " + KeyNames[m.Key%MaxKeys]
	case IncReq:
		return "inc"
	case DecReq:
		return "dec"
	case AddReq:
		return "add " + KeyNames[m.Key%MaxKeys]
	case RemoveReq:
		return "remove " + KeyNames[m.Key%MaxKeys]
	}
	return "state " + pr.FormatValue(m.V)
}

// Workload is each replica's updates, in order: a set of any key, an
// increment, or an increment or a decrement.
func (pr *Protocol) Workload() []spec.WorkItem[Msg] {
	var choices []Msg
	switch pr.p.Type {
	case LWWMap:
		for k := range pr.p.Keys {
			choices = append(choices, Msg{Kind: SetReq, Key: uint8(k)})
		}
	case GCounter:
		choices = []Msg{{Kind: IncReq}}
	case PNCounter:
		choices = []Msg{{Kind: IncReq}, {Kind: DecReq}}
	case ORSet:
		for k := range pr.p.Keys {
			choices = append(choices, Msg{Kind: AddReq, Key: uint8(k)}, Msg{Kind: RemoveReq, Key: uint8(k)})
		}
	}
	var work []spec.WorkItem[Msg]
	for i := range pr.p.Nodes {
		for range pr.p.Updates[i] {
			work = append(work, spec.WorkItem[Msg]{Node: spec.NodeID(i), Choices: choices})
		}
	}
	return work
}
