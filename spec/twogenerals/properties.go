package twogenerals

import (
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropAgreement: at quiescence A attacks iff B attacks.
	PropAgreement = "agreement"
	// PropValidity: if A's plan is to retreat, nobody attacks.
	PropValidity = "validity"
	// PropBothAttack: some execution has both generals attack.
	PropBothAttack = "both-attack"
	// PropBothRetreat: some execution ends with A's plan to retreat and
	// nobody attacking.
	PropBothRetreat = "both-retreat"
)

// Properties returns the generals' properties: agreement and validity, and
// the sometimes properties showing that both the attack and the retreat are
// reached (a rule that never attacks agrees trivially).
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name:  PropAgreement,
			Doc:   "when nothing more can happen, A attacks iff B attacks (undecided counts as not attacking)",
			Kind:  spec.AtQuiescence,
			State: checkAgreement,
		},
		{
			Name:  PropValidity,
			Doc:   "if A's plan is to retreat, no general attacks",
			Kind:  spec.Always,
			State: checkValidity,
		},
		{
			Name:  PropBothAttack,
			Doc:   "both generals attack",
			Kind:  spec.Sometimes,
			Reach: func(v spec.View[State, Msg]) bool { return v.State(A).Attacking && v.State(B).Attacking },
		},
		{
			Name: PropBothRetreat,
			Doc:  "A's plan is to retreat and nobody attacks",
			Kind: spec.Sometimes,
			Reach: func(v spec.View[State, Msg]) bool {
				return v.State(A).Plan == PlanRetreat && !v.State(A).Attacking && !v.State(B).Attacking
			},
		},
	}
}

func checkAgreement(v spec.View[State, Msg]) error {
	a, b := v.State(A), v.State(B)
	if a.Attacking == b.Attacking {
		return nil
	}
	if a.Attacking {
		return fmt.Errorf("A attacks alone: B received %d of the messengers and waits for one that will never come", b.Got)
	}
	return fmt.Errorf("B attacks alone: A received %d of the messengers and waits for one that will never come", a.Got)
}

func checkValidity(v spec.View[State, Msg]) error {
	if v.State(A).Plan != PlanRetreat {
		return nil
	}
	for _, g := range []spec.NodeID{A, B} {
		if v.State(g).Attacking {
			return fmt.Errorf("%s attacks although A's plan is to retreat", name(g))
		}
	}
	return nil
}

// mutant selects a known bug; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	waitForOneMore
	attackWithoutOrder
)

// Mutants are the known-buggy variants New accepts (Params.Mutant). Both
// are caught on a reliable link, where the correct protocol is safe.
var Mutants = []spec.Mutant{
	{
		Name:   "wait-for-one-more",
		Doc:    "the general who receives the last messenger waits for one more, which is never sent: the other attacks alone",
		Breaks: PropAgreement,
	},
	{
		Name:   "attack-without-order",
		Doc:    "B attacks at once, before any messenger has told it the plan",
		Breaks: PropValidity,
	},
}

var mutantNames = map[string]mutant{"": none, "wait-for-one-more": waitForOneMore, "attack-without-order": attackWithoutOrder}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("twogenerals", name, Mutants, mutantNames)
}
