package atomiccommit

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropUnanimous: no participant committed while another aborted.
	PropUnanimous = "unanimous"
	// PropCommitNeedsYes: a commit (the coordinator's or a
	// participant's) only once every participant voted yes.
	PropCommitNeedsYes = "commit-needs-all-yes"
	// PropDecidesAlone: a participant that voted yes and decided took
	// the coordinator's logged decision.
	PropDecidesAlone = "prepared-never-decides-alone"
	// PropNoneInDoubt: when nothing more can happen, no participant that
	// is up is still waiting (prepared, or asked and not yet voted).
	PropNoneInDoubt = "none-in-doubt"
	// PropAllCommitted and PropAllAborted: both outcomes are reached.
	PropAllCommitted = "all-committed"
	PropAllAborted   = "all-aborted"
)

// Properties returns the course's guarantees of 2PC (7.1), the blocking
// it suffers, and the sometimes properties showing both outcomes.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropUnanimous, Doc: "no participant committed while another aborted", Kind: spec.Always, State: checkUnanimous},
		{Name: PropCommitNeedsYes, Doc: "commit (decided by the coordinator or done by a participant) only if every participant voted yes", Kind: spec.Always, State: checkCommitNeedsYes},
		{Name: PropDecidesAlone, Doc: "a participant that voted yes and decided took the coordinator's logged decision", Kind: spec.Always, State: checkDecidesAlone},
		{Name: PropNoneInDoubt, Doc: "when nothing more can happen, no participant that is up is still waiting for the outcome (2PC blocks if the coordinator is gone)", Kind: spec.AtQuiescence, State: checkNoneInDoubt},
		{Name: PropAllCommitted, Doc: "every participant committed", Kind: spec.Sometimes, Reach: func(v spec.View[State, Msg]) bool { return all(v, Committed) }},
		{Name: PropAllAborted, Doc: "every participant aborted", Kind: spec.Sometimes, Reach: func(v spec.View[State, Msg]) bool { return all(v, Aborted) }},
	}
}

func all(v spec.View[State, Msg], want Phase) bool {
	for i := 1; i < v.Nodes(); i++ {
		if v.State(spec.NodeID(i)).Phase != want {
			return false
		}
	}
	return true
}

func checkUnanimous(v spec.View[State, Msg]) error {
	committed, aborted := -1, -1
	for i := 1; i < v.Nodes(); i++ {
		switch v.State(spec.NodeID(i)).Phase {
		case Committed:
			committed = i
		case Aborted:
			aborted = i
		}
	}
	if committed > 0 && aborted > 0 {
		return fmt.Errorf("p%d committed while p%d aborted", committed, aborted)
	}
	return nil
}

func checkCommitNeedsYes(v spec.View[State, Msg]) error {
	who := ""
	if v.State(Coordinator).Decision == Commit {
		who = "the coordinator decided commit"
	}
	for i := 1; i < v.Nodes() && who == ""; i++ {
		if v.State(spec.NodeID(i)).Phase == Committed {
			who = fmt.Sprintf("p%d committed", i)
		}
	}
	if who == "" {
		return nil
	}
	for i := 1; i < v.Nodes(); i++ {
		if !v.State(spec.NodeID(i)).VotedYes {
			return fmt.Errorf("%s, but p%d did not vote yes", who, i)
		}
	}
	return nil
}

func checkDecidesAlone(v spec.View[State, Msg]) error {
	d := v.State(Coordinator).Decision
	for i := 1; i < v.Nodes(); i++ {
		s := v.State(spec.NodeID(i))
		if !s.VotedYes || (s.Phase != Committed && s.Phase != Aborted) {
			continue
		}
		if want := map[Phase]Decision{Committed: Commit, Aborted: Abort}[s.Phase]; d != want {
			return fmt.Errorf("p%d voted yes and %s, but the coordinator's decision is %s", i, s.Phase, d)
		}
	}
	return nil
}

func checkNoneInDoubt(v spec.View[State, Msg]) error {
	for i := 1; i < v.Nodes(); i++ {
		id := spec.NodeID(i)
		if s := v.State(id); v.Up(id) && (s.Phase == Prepared || s.Phase == Working && s.Asked) {
			return fmt.Errorf("p%d is %s and nothing more can happen: it waits for a decision that never comes", i, s.Phase)
		}
	}
	return nil
}
