// Package byzantine is the Byzantine generals problem of course section
// 2.2, solved by oral messages with one round of relaying: OM(1) of
// Lamport, Shostak and Pease, tolerating one traitor.
//
// General 0 is the commander, generals 1..N-1 the lieutenants (Params.N,
// 3 or 4). The commander is given an order (a request: attack or retreat)
// and sends it to every lieutenant (round 1). Each lieutenant relays the
// first order it receives to every other lieutenant (round 2). A
// lieutenant decides by majority over the order it received and the
// orders relayed to it, a value never received counting as retreat. With
// N = 4 it holds three values and there is always a majority; with N = 3
// it holds two, which can split, and Params.Tie says how it breaks the tie:
// retreat (the rule of the paper), attack, the commander's word or the
// other lieutenant's — every way there is. Links are reliable and
// authenticated (a lieutenant knows who speaks), and the rounds end at
// quiescence, when every loyal general's message has arrived.
//
// The traitor is the model's byzantine node (model.Config.Byzantine,
// modelcheck -byzantine): it runs no Step and may send, at any time and
// each at most once, any message of Protocol.Forgeries — a commander
// either order to each lieutenant (both, one or neither), a lieutenant
// either relay to each other lieutenant — so every traitor behaviour over
// that domain is explored.
//
// Guarantees: n ≥ 3f+1 is what makes the difference. With N = 4 and one
// traitor (4 ≥ 3·1+1) the checker proves agreement and validity wherever
// the traitor sits, commander or any lieutenant. With N = 3 (3 < 4) it
// finds the counterexample of the course: a lieutenant cannot tell "the
// commander lies" from "the other lieutenant lies", so whichever way it
// breaks a tie, some traitor wins. Breaking it towards retreat, a silent
// traitorous lieutenant ties a loyal commander's attack (validity, 4
// steps); towards attack, a traitorous lieutenant relaying attack ties a
// loyal retreat (validity, 6 steps); trusting the commander, a traitorous
// commander that orders one lieutenant to attack and tells the other
// nothing splits them (agreement, 3 steps); trusting the relay, both the
// traitorous commander and a traitorous lieutenant win. Every violation's
// text says which side of 3f+1 the configuration is on ("n = 3 < 3f+1 = 4
// with traitor n2: too few generals to outvote a traitor").
//
// Properties (Properties):
//
//   - agreement (at quiescence): every loyal lieutenant decides the same.
//   - validity (at quiescence): if the commander is loyal, every loyal
//     lieutenant decides its order.
//   - loyal-attack, loyal-retreat (sometimes): every loyal lieutenant has
//     heard every loyal general and decides attack (retreat).
//
// Mutants (Mutants), caught with N = 4 where OM(1) holds:
//
//   - no-relay: lieutenants obey the commander without relaying; a
//     traitorous commander (-byzantine 0) splits them; agreement, 2 steps.
//   - ignore-own-order: a lieutenant votes with the relays only; a silent
//     traitorous lieutenant (-byzantine 3) ties the vote; validity, 8 steps.
//
// Pinned figures (exhaustive breadth-first search on one worker, reliable
// unordered network, the commander's order attack or retreat; with N = 4
// no tie arises, so every tie rule gives the same figures):
//
//	N  traitor     tie        result     states  transitions  depth  counterexample
//	4  none        any        ok            251          753     10
//	4  n0          any        ok         21,952      112,897     18
//	4  n1, n2, n3  any        ok         10,100       49,441     16
//	3  none        any        ok             19           27      5
//	3  n0          retreat    ok            256          705     10
//	3  n1 or n2    retreat    violated       66          129      4  validity, 4 steps
//	3  n0          attack     ok            256          705     10
//	3  n1 or n2    attack     violated      121          288      6  validity, 6 steps
//	3  n0          commander  violated       38           64      3  agreement, 3 steps
//	3  n1 or n2    commander  ok            130          317      8
//	3  n0          relay      violated       38           64      3  agreement, 3 steps
//	3  n1 or n2    relay      violated       66          129      4  validity, 4 steps
//
// The default check of modelcheck (check byzantine) puts the traitor at
// n1; "modelcheck check byzantine -n 3" finds the counterexample there,
// and "modelcheck generals" prints the whole comparison. The package stops
// at N = 4, the fewest generals that outvote one traitor.
package byzantine
