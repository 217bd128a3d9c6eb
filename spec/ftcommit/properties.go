package ftcommit

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropAgreement: no two participants decided differently.
	PropAgreement = "agreement"
	// PropCommitCountedYes: once a participant committed, every vote any
	// participant counted is yes.
	PropCommitCountedYes = "commit-means-counted-yes"
	// PropValidity: a participant commits only if every participant
	// voted yes itself.
	PropValidity = "validity"
	// PropDecided: when nothing more can happen and the sequencer is up,
	// every participant that is up has decided (a crashed participant
	// blocks no one).
	PropDecided = "all-decide"
	// PropCommitted: a participant committed.
	PropCommitted = "committed"
	// PropProxyAbort: a participant aborted on a no cast on a suspected
	// participant's behalf.
	PropProxyAbort = "proxy-abort"
)

// Properties returns fault-tolerant 2PC's guarantees and its witnesses.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropAgreement, Doc: "no two participants decided differently", Kind: spec.Always, State: checkAgreement},
		{Name: PropCommitCountedYes, Doc: "once a participant committed, every vote any participant counted is yes", Kind: spec.Always, State: checkCommitCountedYes},
		{Name: PropValidity, Doc: "a participant commits only if every participant voted yes itself", Kind: spec.Always, State: checkValidity},
		{Name: PropDecided, Doc: "when nothing more can happen and the sequencer is up, every participant that is up has decided", Kind: spec.AtQuiescence, State: checkDecided},
		{Name: PropCommitted, Doc: "a participant committed", Kind: spec.Sometimes, Reach: committed},
		{Name: PropProxyAbort, Doc: "a participant aborted on a no cast for a suspected participant", Kind: spec.Sometimes, Reach: proxyAbort},
	}
}

func participants(v spec.View[State, Msg]) int { return v.Nodes() - 1 }

// committer returns a participant that committed, or 0.
func committer(v spec.View[State, Msg]) int {
	for i := 1; i <= participants(v); i++ {
		if v.State(spec.NodeID(i)).Outcome == Commit {
			return i
		}
	}
	return 0
}

func checkAgreement(v spec.View[State, Msg]) error {
	first := 0
	for i := 1; i <= participants(v); i++ {
		o := v.State(spec.NodeID(i)).Outcome
		if o == Undecided {
			continue
		}
		if first == 0 {
			first = i
			continue
		}
		if f := v.State(spec.NodeID(first)).Outcome; f != o {
			return fmt.Errorf("p%d decided %s, p%d %s", first, f, i, o)
		}
	}
	return nil
}

func checkCommitCountedYes(v spec.View[State, Msg]) error {
	c := committer(v)
	if c == 0 {
		return nil
	}
	for i := 1; i <= participants(v); i++ {
		for _, b := range v.State(spec.NodeID(i)).Counted {
			if b.Vote == No {
				return fmt.Errorf("p%d committed, but p%d counted %s", c, i, FormatBallot(b))
			}
		}
	}
	return nil
}

func checkValidity(v spec.View[State, Msg]) error {
	c := committer(v)
	if c == 0 {
		return nil
	}
	for i := 1; i <= participants(v); i++ {
		if vote := v.State(spec.NodeID(i)).Vote; vote != Yes {
			return fmt.Errorf("p%d committed, but p%d voted %s", c, i, vote)
		}
	}
	return nil
}

func checkDecided(v spec.View[State, Msg]) error {
	if !v.Up(Sequencer) {
		return nil
	}
	for i := 1; i <= participants(v); i++ {
		id := spec.NodeID(i)
		if v.Up(id) && v.State(id).Outcome == Undecided {
			return fmt.Errorf("p%d is undecided and nothing more can happen", i)
		}
	}
	return nil
}

func committed(v spec.View[State, Msg]) bool { return committer(v) != 0 }

func proxyAbort(v spec.View[State, Msg]) bool {
	for i := 1; i <= participants(v); i++ {
		s := v.State(spec.NodeID(i))
		if s.Outcome != Abort {
			continue
		}
		for _, b := range s.Counted {
			if b.Vote == No && b.Proxy() {
				return true
			}
		}
	}
	return false
}
