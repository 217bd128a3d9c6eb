package byzantine

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec"
)

// Property names.
const (
	// PropAgreement: at quiescence, all loyal lieutenants decide alike.
	PropAgreement = "agreement"
	// PropValidity: at quiescence, if the commander is loyal, every loyal
	// lieutenant decides its order.
	PropValidity = "validity"
	// PropLoyalAttack and PropLoyalRetreat: every loyal lieutenant has
	// heard every loyal general and decides attack (retreat).
	PropLoyalAttack  = "loyal-attack"
	PropLoyalRetreat = "loyal-retreat"
)

// Properties returns the interactive-consistency conditions of OM, checked
// at quiescence on the lieutenants' decisions (when every loyal general's
// message has arrived: the end of round 2), and sometimes properties
// showing both decisions are reached. Traitors are the model's byzantine
// nodes: View.Correct is false for them.
func Properties() []spec.Property[State, Msg] {
	return []spec.Property[State, Msg]{
		{
			Name:  PropAgreement,
			Doc:   "every loyal lieutenant decides the same order (needs n ≥ 3f+1)",
			Kind:  spec.AtQuiescence,
			State: checkAgreement,
		},
		{
			Name:  PropValidity,
			Doc:   "if the commander is loyal, every loyal lieutenant decides its order (needs n ≥ 3f+1)",
			Kind:  spec.AtQuiescence,
			State: checkValidity,
		},
		{
			Name:  PropLoyalAttack,
			Doc:   "every loyal lieutenant has heard from every loyal general and decides attack",
			Kind:  spec.Sometimes,
			Reach: func(v spec.View[State, Msg]) bool { return allDecide(v, Attack) },
		},
		{
			Name:  PropLoyalRetreat,
			Doc:   "every loyal lieutenant has heard from every loyal general and decides retreat",
			Kind:  spec.Sometimes,
			Reach: func(v spec.View[State, Msg]) bool { return allDecide(v, Retreat) },
		},
	}
}

func checkAgreement(v spec.View[State, Msg]) error {
	first := spec.NodeID(-1)
	for j := 1; j < v.Nodes(); j++ {
		id := spec.NodeID(j)
		if !v.Correct(id) {
			continue
		}
		if first < 0 {
			first = id
			continue
		}
		if a, b := v.State(first).Decision, v.State(id).Decision; a != b {
			return fmt.Errorf("loyal n%d decides %s, loyal n%d decides %s (%s)", first, a, id, b, resilience(v))
		}
	}
	return nil
}

func checkValidity(v spec.View[State, Msg]) error {
	if !v.Correct(Commander) || v.State(Commander).Order == None {
		return nil
	}
	order := v.State(Commander).Order
	for j := 1; j < v.Nodes(); j++ {
		id := spec.NodeID(j)
		if d := v.State(id).Decision; v.Correct(id) && d != order {
			return fmt.Errorf("the loyal commander ordered %s but loyal n%d decides %s (%s)", order, id, d, resilience(v))
		}
	}
	return nil
}

// resilience says how n compares with 3f+1, f the number of traitors.
func resilience(v spec.View[State, Msg]) string {
	n, f := v.Nodes(), 0
	var traitors []string
	for i := range n {
		if !v.Correct(spec.NodeID(i)) {
			f++
			traitors = append(traitors, fmt.Sprintf("n%d", i))
		}
	}
	if n < 3*f+1 {
		return fmt.Sprintf("n = %d < 3f+1 = %d with traitor %s: too few generals to outvote a traitor", n, 3*f+1, strings.Join(traitors, ","))
	}
	return fmt.Sprintf("n = %d ≥ 3f+1 = %d with f = %d: OM(1) must not fail here", n, 3*f+1, f)
}

// allDecide reports that every loyal lieutenant has an order from the
// commander and the relay of every other loyal lieutenant that has one,
// and decides want.
func allDecide(v spec.View[State, Msg], want Value) bool {
	for j := 1; j < v.Nodes(); j++ {
		id := spec.NodeID(j)
		if !v.Correct(id) {
			continue
		}
		s := v.State(id)
		if s.Order == None || s.Decision != want {
			return false
		}
		for k := 1; k < v.Nodes(); k++ {
			if k != j && v.Correct(spec.NodeID(k)) && v.State(spec.NodeID(k)).Order != None && s.Heard[k] == None {
				return false
			}
		}
	}
	return true
}

// mutant selects a known bug; none is the correct protocol.
type mutant uint8

const (
	none mutant = iota
	noRelay
	ignoreOwnOrder
)

// Mutants are the known-buggy variants New accepts (Params.Mutant). Each
// is caught with n = 4, where OM(1) itself holds.
var Mutants = []spec.Mutant{
	{
		Name:   "no-relay",
		Doc:    "lieutenants obey the commander without relaying: a traitorous commander splits them",
		Breaks: PropAgreement,
		Shows:  "-byzantine 0",
	},
	{
		Name:   "ignore-own-order",
		Doc:    "a lieutenant votes with the relays only: a traitorous lieutenant ties the vote against a loyal commander",
		Breaks: PropValidity,
		Shows:  "-byzantine 3",
	},
}

var mutantNames = map[string]mutant{"": none, "no-relay": noRelay, "ignore-own-order": ignoreOwnOrder}

func parseMutant(name string) (mutant, error) {
	return spec.MutantNamed("byzantine", name, Mutants, mutantNames)
}
