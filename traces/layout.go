package traces

import "fmt"

// Layout is a trace placed on a space-time diagram: one lane per node, one
// row per step (row 0 holds the nodes' starts), a mark per event and an
// arrow per message copy, from the event that sent it to the event that
// ended it. Every renderer (text, Mermaid, HTML) draws a Layout and nothing
// else, so what they show is decided, and tested, here.
type Layout struct {
	// Title is the protocol with its settings and mutant.
	Title string `json:"title"`
	// Model is the system model in words ("" for none).
	Model string `json:"model,omitempty"`
	// Seed reproduces the run or random search the trace comes from (0:
	// none); Bounds are the checker's bounds, as it printed them.
	Seed   uint64 `json:"seed,omitempty"`
	Bounds string `json:"bounds,omitempty"`
	Lanes  []Lane `json:"lanes"`
	// Rows are the steps, indexed by step number.
	Rows   []Row   `json:"rows"`
	Marks  []Mark  `json:"marks"`
	Arrows []Arrow `json:"arrows"`
	// Violation is the broken property, drawn at the last step.
	Violation *Broken `json:"violation,omitempty"`
}

// Lane is one node's line of the diagram.
type Lane struct {
	Name string `json:"name"`
	// Down lists when the node is down.
	Down []Span `json:"down,omitempty"`
}

// Span is a stretch of rows: a node is down from row From (the step that
// crashed it) until row To (the step that recovered it); To is len(Rows)
// when it never recovers.
type Span struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Row is one step of the execution.
type Row struct {
	Step int `json:"step"`
	// Action is the checker's label of the step ("" for row 0).
	Action string `json:"action,omitempty"`
	Fault  bool   `json:"fault,omitempty"`
	// Marks are the indices in Layout.Marks of the step's events.
	Marks []int `json:"marks"`
}

// Mark is one event, placed at its row on its lane.
type Mark struct {
	// Event is the event's ID in the trace, Step its row.
	Event int    `json:"event"`
	Step  int    `json:"step"`
	Kind  string `json:"kind"`
	// Lane is the acting node; -1 for an event of the whole system.
	Lane int `json:"lane"`
	// Peer is the other node involved (the sender of a message), or -1.
	Peer int `json:"peer"`
	// OnLink: the event happens on the link from Peer to Lane (the network
	// dropped or duplicated a message), not at a node.
	OnLink bool `json:"on_link,omitempty"`
	// Label says what happened, without the step's effects: "request
	// write(v=1)", "timer resend", "crash".
	Label        string   `json:"label"`
	Action       string   `json:"action,omitempty"`
	Message      string   `json:"message,omitempty"`
	Sends        []Send   `json:"sends,omitempty"`
	Timers       []string `json:"timers,omitempty"`
	Observations []string `json:"observations,omitempty"`
	Fault        bool     `json:"fault,omitempty"`
	// Crashed: the node crashed in the middle of this step.
	Crashed bool `json:"crashed,omitempty"`
	// State is the node's state after the event; Changed says it differs
	// from the node's state before it (every start counts as a change).
	State   string `json:"state,omitempty"`
	Changed bool   `json:"changed,omitempty"`
	Lamport int    `json:"lamport,omitempty"`
	Vector  []int  `json:"vector,omitempty"`
	// Violating marks the events of the step at which the property fails.
	Violating bool `json:"violating,omitempty"`
}

// Arrow is one copy of a message, from the event that sent it to the event
// that ended it.
type Arrow struct {
	// From is the sending event's ID, To the ending event's (-1 while the
	// message is still in flight at the end of the trace).
	From     int `json:"from"`
	To       int `json:"to"`
	FromLane int `json:"from_lane"`
	ToLane   int `json:"to_lane"`
	FromStep int `json:"from_step"`
	// ToStep is the ending event's row; len(Rows) for a message in flight.
	ToStep  int    `json:"to_step"`
	Message string `json:"message"`
	Fate    string `json:"fate"`
	// Copy marks a copy the network made; Duplicated is the event that
	// made it (-1 if unknown).
	Copy       bool `json:"copy,omitempty"`
	Duplicated int  `json:"duplicated"`
}

// Fates of a message copy.
const (
	FateDelivered = "delivered" // received and handled
	FateLost      = "lost"      // delivered to a node that was down
	FateDropped   = "dropped"   // lost by the network (a fault)
	FateInFlight  = "in-flight" // never delivered in this execution
)

// Broken is the violated property, at the step where it fails.
type Broken struct {
	Property string `json:"property"`
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
	Step     int    `json:"step"`
}

// Layout computes t's diagram. It accepts any trace that validates.
func (t *Trace) Layout() *Layout {
	l := &Layout{Title: t.title(), Seed: t.Seed, Bounds: t.Bounds, Lanes: make([]Lane, len(t.Nodes)), Marks: []Mark{}, Arrows: []Arrow{}}
	if t.Model != nil {
		l.Model = t.Model.Text
	}
	for i, n := range t.Nodes {
		l.Lanes[i].Name = n
	}
	last := 0
	if len(t.Events) > 0 {
		last = t.Events[len(t.Events)-1].Step
	}
	l.Rows = make([]Row, last+1)
	for i := range l.Rows {
		l.Rows[i] = Row{Step: i, Marks: []int{}}
	}
	if v := t.Violation; v != nil {
		l.Violation = &Broken{Property: v.Property, Kind: v.Kind, Reason: v.Reason, Step: last}
	}
	w := wires{t: t, l: l, copies: map[[2]int]int{}, made: map[[2]int][]int{}, used: map[[2]int]int{}}
	state := make([]string, len(t.Nodes))
	known := make([]bool, len(t.Nodes))
	down := make([]int, len(t.Nodes)) // row the node went down at, or -1
	for i := range down {
		down[i] = -1
	}
	for _, e := range t.Events {
		m := Mark{
			Event: e.ID, Step: e.Step, Kind: e.Kind, Lane: e.Node, Peer: e.Peer,
			OnLink: e.Kind == KindDrop || e.Kind == KindDuplicate,
			Label:  label(e), Action: e.Action, Message: e.Message,
			Sends: e.Sends, Timers: e.Timers, Observations: e.Observations,
			Fault: e.Fault, Crashed: e.Crashed, State: e.State,
			Lamport: e.Lamport, Vector: e.Vector,
			Violating: l.Violation != nil && e.Step == last,
		}
		if n := e.Node; n >= 0 && e.State != "" {
			m.Changed = !known[n] || state[n] != e.State || e.Kind == KindStart
			state[n], known[n] = e.State, true
		}
		row := &l.Rows[e.Step]
		if e.Step > 0 && row.Action == "" {
			row.Action, row.Fault = e.Action, e.Fault
		}
		row.Marks = append(row.Marks, len(l.Marks))
		l.Marks = append(l.Marks, m)
		w.end(e)
		for j := range e.Sends {
			w.copies[[2]int{e.ID, j}] = 1
		}
		if n := e.Node; n >= 0 {
			switch {
			case e.Kind == KindCrash || e.Crashed:
				if down[n] < 0 {
					down[n] = e.Step
				}
			case e.Kind == KindRecover && down[n] >= 0:
				l.Lanes[n].Down = append(l.Lanes[n].Down, Span{From: down[n], To: e.Step})
				down[n] = -1
			}
		}
	}
	for n, from := range down {
		if from >= 0 {
			l.Lanes[n].Down = append(l.Lanes[n].Down, Span{From: from, To: len(l.Rows)})
		}
	}
	w.inFlight()
	return l
}

// wires pairs each message copy with the event that ends it.
type wires struct {
	t *Trace
	l *Layout
	// copies counts the copies of send j of event i still in flight, made
	// the duplications that made extra copies (in order), and used how
	// many copies have ended.
	copies map[[2]int]int
	made   map[[2]int][]int
	used   map[[2]int]int
}

// end handles an event that ends or copies a message: a receive, a loss
// at a down node, a drop, a duplication.
func (w *wires) end(e Event) {
	fate := ""
	switch e.Kind {
	case KindReceive:
		fate = FateDelivered
	case KindLost:
		fate = FateLost
	case KindDrop:
		fate = FateDropped
	case KindDuplicate:
	default:
		return
	}
	if e.Cause < 0 || e.Node < 0 {
		return
	}
	from := w.t.Events[e.Cause]
	key := w.match(from, e)
	if e.Kind == KindDuplicate {
		if key[1] >= 0 {
			w.copies[key]++
			w.made[key] = append(w.made[key], e.ID)
		}
		return
	}
	if from.Node < 0 {
		return
	}
	if w.copies[key] > 0 {
		w.copies[key]--
	}
	msg := e.Message
	if key[1] >= 0 {
		msg = from.Sends[key[1]].Message
	}
	w.l.Arrows = append(w.l.Arrows, w.arrow(key, from, e.Node, e.ID, e.Step, msg, fate))
}

// match finds which send of from the event e ends: one to e's node with
// e's message, preferring one with a copy left. Its second index is -1 if
// none matches.
func (w *wires) match(from Event, e Event) [2]int {
	found := [2]int{from.ID, -1}
	for j, s := range from.Sends {
		if s.To != e.Node || (e.Message != "" && s.Message != e.Message) {
			continue
		}
		k := [2]int{from.ID, j}
		if w.copies[k] > 0 {
			return k
		}
		if found[1] < 0 {
			found = k
		}
	}
	return found
}

// arrow makes the arrow of the next copy of send key: the first copy to
// end is the original, later ones are the network's copies.
func (w *wires) arrow(key [2]int, from Event, toLane, to, toStep int, msg, fate string) Arrow {
	a := Arrow{From: from.ID, To: to, FromLane: from.Node, ToLane: toLane, FromStep: from.Step, ToStep: toStep, Message: msg, Fate: fate, Duplicated: -1}
	if key[1] >= 0 {
		n := w.used[key]
		w.used[key] = n + 1
		if n > 0 {
			a.Copy = true
			if made := w.made[key]; n-1 < len(made) {
				a.Duplicated = made[n-1]
			}
		}
	}
	return a
}

// inFlight adds an arrow for every copy never delivered, in the order the
// messages were sent.
func (w *wires) inFlight() {
	for _, e := range w.t.Events {
		if e.Node < 0 {
			continue
		}
		for j, s := range e.Sends {
			key := [2]int{e.ID, j}
			for range w.copies[key] {
				w.l.Arrows = append(w.l.Arrows, w.arrow(key, e, s.To, -1, len(w.l.Rows), s.Message, FateInFlight))
			}
		}
	}
}

// label says what an event is, without its effects.
func label(e Event) string {
	join := func(verb string) string {
		if e.Message == "" {
			return verb
		}
		return verb + " " + e.Message
	}
	switch e.Kind {
	case KindStart:
		return "start"
	case KindReceive:
		return join("receive")
	case KindLost:
		return join("lost")
	case KindDrop:
		return join("drop")
	case KindDuplicate:
		return join("duplicate")
	case KindTimer:
		return join("timer")
	case KindRequest:
		return join("request")
	case KindChoose:
		return join("choose")
	case KindForge:
		return "forge"
	case KindStep:
		return e.Action
	}
	return e.Kind
}

// title is the protocol with its settings and mutant.
func (t *Trace) title() string {
	s := t.Protocol
	switch {
	case t.Settings != "":
		s += " " + t.Settings
	case len(t.Params) > 0:
		s += " " + formatParams(t.Params)
	}
	if t.Mutant != "" {
		s += fmt.Sprintf(" mutant=%s", t.Mutant)
	}
	return s
}
