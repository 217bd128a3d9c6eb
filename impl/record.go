package impl

import (
	"fmt"
	"time"

	"github.com/distsys/distsys/spec"
)

// EventKind says what an Event of a run is.
type EventKind uint8

// The kinds of events.
const (
	// StepEvent: a node took an input (Input) and Step returned Outputs
	// and State.
	StepEvent EventKind = iota
	// CrashEvent: the node crashed; State is what Crash kept.
	CrashEvent
	// DropEvent: the network lost the message Input.Msg from Input.From to
	// Node (Partition: because a partition separated them).
	DropEvent
	// DuplicateEvent: the network copied the message; both copies travel.
	DuplicateEvent
	// LostEvent: the message reached Node while it was down.
	LostEvent
)

var eventKindNames = [...]string{"step", "crash", "drop", "duplicate", "lost"}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Event is one thing that happened during a run, in Seq order: a node's
// step, a crash, or something the network did to a message. The order of
// sequence numbers respects causality (a message's send comes before its
// receipt) and real time (an operation that returned before another was
// called comes first).
type Event[S, M any] struct {
	Seq  uint64
	At   time.Duration // since the cluster started
	Kind EventKind
	// Node is the node that acts; for the network's events, the receiver.
	Node spec.NodeID
	// Input is the step's input; for the network's events, Input.From and
	// Input.Msg are the sender and the message.
	Input   spec.Input[M]
	Outputs []spec.Output[M]
	// State is the node's state after the step, or what a crash kept.
	State S
	// Loaded is, for a Recover step, the state the node's store gave back
	// (which the step started from).
	Loaded S
	// Cause is, for a receipt and the network's events, the Seq of the
	// step that sent the message (0 if unknown), and Send the index of the
	// send among its outputs; Copy marks the network's copy.
	Cause uint64
	Send  int
	Copy  bool
	// Origin is, for the receipt of a message from another process, that
	// process's incarnation (its Transport's): Cause and Send are then
	// the Seq and output of its step (MergeJournals links them).
	Origin uint64
	// Partition marks a drop caused by a partition.
	Partition bool
}

// Op is one client operation: a request, its node and its reply.
type Op[M any] struct {
	// Client is the id of the client that issued it.
	Client int
	// Node is the node that answered (or the last one tried).
	Node spec.NodeID
	Req  M
	// Reply is the observation that answered it; OK is false if none did
	// before the client gave up (the operation may or may not have taken
	// effect).
	Reply M
	OK    bool
	// Tries is the number of nodes the request was sent to.
	Tries int
	// Call and Return are when the client called and got its reply (or
	// gave up), since the cluster started.
	Call, Return time.Duration
}

// Stats counts what happened in a run.
type Stats struct {
	Steps      int // node steps (inputs handled)
	Sent       int // messages sent by nodes
	Delivered  int // messages handled by their receiver
	Dropped    int // lost by the network (loss rate)
	Cut        int // lost to a partition
	Duplicated int // copied by the network
	Lost       int // reached a node that was down
	Fired      int // timers that went off
	Requests   int // client requests handled
	Crashes    int
	Restarts   int
	Partitions int // partitions set
	Heals      int
}

// Faults is the number of faults injected: losses, copies, crashes and
// partitions.
func (s Stats) Faults() int { return s.Dropped + s.Cut + s.Duplicated + s.Crashes + s.Partitions }

// String summarises the counts on one line.
func (s Stats) String() string {
	return fmt.Sprintf("%d steps, %d sent, %d delivered; faults: %d dropped, %d cut by partitions, %d duplicated, %d lost at down nodes, %d crashes (%d restarts), %d partitions (%d heals)",
		s.Steps, s.Sent, s.Delivered, s.Dropped, s.Cut, s.Duplicated, s.Lost, s.Crashes, s.Restarts, s.Partitions, s.Heals)
}

// Add adds t's counts to s's.
func (s *Stats) Add(t Stats) {
	s.Steps += t.Steps
	s.Sent += t.Sent
	s.Delivered += t.Delivered
	s.Dropped += t.Dropped
	s.Cut += t.Cut
	s.Duplicated += t.Duplicated
	s.Lost += t.Lost
	s.Fired += t.Fired
	s.Requests += t.Requests
	s.Crashes += t.Crashes
	s.Restarts += t.Restarts
	s.Partitions += t.Partitions
	s.Heals += t.Heals
}

// Run is what a cluster recorded, returned by Cluster.Stop: enough to
// replay every step through the protocol, evaluate its properties, check
// its client history and draw it.
type Run[S, M any] struct {
	Protocol spec.Protocol[S, M]
	Seed     uint64
	Network  Network
	// Events are in Seq order (empty unless Config.Record).
	Events []Event[S, M]
	// Ops are the client operations, in the order they were called.
	Ops []Op[M]
	// Quiescent reports that the run ended with nothing left to happen: no
	// message in flight or waiting, no request waiting, no timer set at a
	// running node.
	Quiescent bool
	Elapsed   time.Duration
	Stats     Stats
	// Err is the first failure of the runtime itself (a store that could
	// not save), if any.
	Err error
}
