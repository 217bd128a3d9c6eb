package atomiccommit

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Liveness property names.
const (
	// PropAllYesCommits: with every participant voting yes, every
	// participant eventually commits, unless the coordinator's vote
	// timeout fired first (a timeout stands for a suspected fault; with
	// no fault and no premature timeout the outcome is commit).
	PropAllYesCommits = "all-yes-commits"
	// PropPreparedDecides: every prepared participant that is up
	// eventually decides.
	PropPreparedDecides = "prepared-eventually-decides"
)

// LiveFairness is what the liveness properties assume: every message in
// flight is delivered, a timer left armed fires, and a participant asked
// for its vote casts one (the course's reliable links and timeouts).
const LiveFairness = spec.FairAll

// LiveProperties are the course's two liveness claims of 2PC (7.1), for a
// check on fair lassos (model.Lasso). Without faults both hold; a coordinator's crash
// breaks both: a prepared participant waits for ever, fairly.
//
// prepared-eventually-decides is a conjunction over the participants of "prepared ~>
// decided". A participant leaves prepared only by deciding, and never
// comes back to it; so the conjunction holds iff "no participant that is
// up is prepared" holds again after every state where it fails, which is
// how it is checked (a participant that crashed for good owes nothing).
func LiveProperties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropPreparedDecides, Kind: spec.LeadsTo, Fairness: LiveFairness,
			Trigger: func(v spec.View[State, Msg]) bool { return upPrepared(v) != 0 }, State: nonePrepared,
			Doc: "every prepared participant that is up eventually decides (liveness; -live 1)"},
		{Name: PropAllYesCommits, Kind: spec.LeadsTo, Fairness: LiveFairness,
			Trigger: allVotedYes, State: committedOrTimedOut,
			Doc: "with every participant voting yes, every participant eventually commits unless the coordinator's vote timeout aborted first (liveness; -live 1)"},
	}
}

func allVotedYes(v spec.View[State, Msg]) bool {
	for i := 1; i < v.Nodes(); i++ {
		if !v.State(spec.NodeID(i)).VotedYes {
			return false
		}
	}
	return true
}

// committedOrTimedOut: every participant committed, or the coordinator
// aborted though every participant voted yes (only its vote timeout does
// that).
func committedOrTimedOut(v spec.View[State, Msg]) error {
	if v.State(Coordinator).Decision == Abort || all(v, Committed) {
		return nil
	}
	for i := 1; i < v.Nodes(); i++ {
		if s := v.State(spec.NodeID(i)); s.Phase != Committed {
			return fmt.Errorf("every participant voted yes and the coordinator did not time out, but p%d is %s", i, s.Phase)
		}
	}
	return nil
}

// upPrepared returns a participant that is up and prepared, or 0.
func upPrepared(v spec.View[State, Msg]) int {
	for i := 1; i < v.Nodes(); i++ {
		if id := spec.NodeID(i); v.Up(id) && v.State(id).Phase == Prepared {
			return i
		}
	}
	return 0
}

func nonePrepared(v spec.View[State, Msg]) error {
	if i := upPrepared(v); i != 0 {
		return fmt.Errorf("p%d is prepared and waits for the outcome", i)
	}
	return nil
}
