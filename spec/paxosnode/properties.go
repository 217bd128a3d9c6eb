package paxosnode

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropAgreement: no two nodes learn different values (a learner, or a
	// proposer that heard a quorum accept its ballot), and no learner
	// learns two.
	PropAgreement = "agreement"
	// PropValidity: a learned value was proposed.
	PropValidity = "validity"
	// PropLearned: some learner learns a value (with no learner, some
	// proposer learns its value chosen).
	PropLearned = "learned"
	// PropTerminates: when nothing more can happen, some node learned a
	// value. The proposer of the highest ballot started wins unless a
	// fault stops it: a lost message, or a crash that costs a proposer
	// its ballot in progress, can leave nothing chosen when the checker's
	// bound on ballots is used up (a run, whose proposers retry without
	// bound, keeps it under every fault).
	PropTerminates = "terminates"
)

// Properties returns the guarantees of Paxos (agreement, validity), its
// termination within the bounded ballots when no fault strikes, and the
// good path.
func (pr *Protocol) Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{Name: PropAgreement, Doc: "no two nodes learn different values, and no learner learns two", Kind: spec.Always, State: pr.checkAgreement},
		{Name: PropValidity, Doc: "a learned value was proposed", Kind: spec.Always, State: pr.checkValidity},
		{Name: PropTerminates, Doc: "when nothing more can happen, a value was learned (without faults; a lost message or a crash can use up the ballots the check allows)", Kind: spec.AtQuiescence, State: pr.checkTerminates},
		{Name: PropLearned, Doc: "a value is learned", Kind: spec.Sometimes, Reach: pr.reachLearned},
	}
}

// learned returns the values node i learned (bit v), and what it is
// called.
func (pr *Protocol) learned(v spec.View[State, Msg], i spec.NodeID) (uint8, string) {
	s := v.State(i)
	switch pr.RoleOf(i) {
	case Proposer:
		if s.Chosen == 0 {
			return 0, ""
		}
		return 1 << s.Chosen, fmt.Sprintf("p%d", i)
	case Learner:
		return s.Learned, fmt.Sprintf("l%d", i)
	}
	return 0, ""
}

func (pr *Protocol) checkAgreement(v spec.View[State, Msg]) error {
	var seen uint8
	who := ""
	for i := range spec.NodeID(v.Nodes()) {
		set, name := pr.learned(v, i)
		if set&(set-1) != 0 {
			return fmt.Errorf("%s learned {%s}", name, valueSet(set))
		}
		if set == 0 {
			continue
		}
		if seen != 0 && seen != set {
			return fmt.Errorf("%s learned %s, %s learned %s", who, valueSet(seen), name, valueSet(set))
		}
		seen, who = set, name
	}
	return nil
}

func (pr *Protocol) checkValidity(v spec.View[State, Msg]) error {
	var proposed uint8
	for i := range pr.p.Proposers {
		if own := v.State(spec.NodeID(i)).Own; own != 0 {
			proposed |= 1 << own
		}
	}
	for i := range spec.NodeID(v.Nodes()) {
		set, name := pr.learned(v, i)
		if bad := set &^ proposed; bad != 0 {
			return fmt.Errorf("%s learned %s, which no proposer was asked to propose", name, valueSet(bad))
		}
	}
	return nil
}

func (pr *Protocol) checkTerminates(v spec.View[State, Msg]) error {
	for i := range spec.NodeID(v.Nodes()) {
		if set, _ := pr.learned(v, i); set != 0 {
			return nil
		}
	}
	return fmt.Errorf("nothing more can happen and no node learned a value")
}

func (pr *Protocol) reachLearned(v spec.View[State, Msg]) bool {
	for i := range spec.NodeID(v.Nodes()) {
		if set, _ := pr.learned(v, i); set != 0 && (pr.RoleOf(i) == Learner || pr.p.Learners == 0) {
			return true
		}
	}
	return false
}
