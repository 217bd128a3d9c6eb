// Package detector is the eventually perfect failure detector of course
// section 2.4 ("Fault tolerance"): each node pings every other, for ever,
// and suspects a peer whose ack has not come when its timeout fires; a
// late ack withdraws the suspicion. Nodes are crash-stop.
//
// The course: a perfect detector needs synchronous timing; an eventually
// perfect one (◇P: "after GST, a node is suspected iff it has crashed")
// exists under partial synchrony; none exists under asynchrony. The
// checker shows all three with the model's timing (model.Config): with
// asynchronous timers a timeout may fire while the ack is on its way;
// with PartialSync (-partial-sync) that is so only until a global
// stabilisation step, after which a timer fires only when no message is in
// flight (delays are bounded below every timeout).
//
// Properties. Completeness and accuracy of ◇P speak of infinite
// executions ("eventually, for ever"), and the detector never stops, so
// they are liveness properties of kind spec.EventuallyAlways, checked on
// lassos (model.Lasso): a path into a loop that can repeat for ever,
// fairly (Fairness: every ping and ack in flight is delivered, every
// timeout left armed fires; no fault in the loop; under partial
// synchrony the loop lies after stabilisation). A fair loop through a
// bad state is a counterexample. Every finite asynchronous execution is
// also a finite partially synchronous one (stabilisation simply has not
// come yet), so no property of states or steps alone can tell the two
// timing models apart: the difference is in the loops.
//
//   - completeness (eventually-always): eventually every crashed node is
//     suspected by every correct node, for ever.
//   - eventual-accuracy (eventually-always): eventually no correct node is
//     suspected by a correct node, for ever.
//   - accurate-after-stabilisation (on-transition): after stabilisation no
//     correct node starts suspecting a correct node (vacuous without
//     -partial-sync).
//   - sometimes: false-suspicion (no detector is perfect without
//     synchrony), suspicion-withdrawn, crash-suspected (with a crash).
//
// Results, with two nodes: under partial synchrony, with or without a
// crash, every property holds. Under asynchrony completeness still holds
// but eventual accuracy does not: a loop of 7 steps in which every
// timeout fires before its ack, so that a correct node is suspected
// again in every round, for ever (the catalog's classic
// detector-asynchronous-suspects-forever, 12 steps in all).
//
// Mutants (Mutants), under -partial-sync -crashes 1, with the length of
// the shortest counterexample the catalog finds:
//
//   - sticky-suspicion: a suspicion is never withdrawn; eventual-accuracy,
//     10 steps (one early timeout, then a loop after stabilisation).
//   - no-timeout: a check without an ack does not suspect; completeness,
//     6 steps.
//   - no-next-ping: after a good check the next ping is not sent;
//     accurate-after-stabilisation, 7 steps (eventual-accuracy, 11).
//
// Pinned figures, two nodes (exhaustive breadth-first search on one
// worker; "model" is the model alone, as this package's tests explore it
// — where the liveness oracle walks its fair cycles; "lasso" is the
// catalog's check, whose states are the model's plus, for each loop begun,
// where it began, the properties it may still violate and the fairness
// obligations it still owes):
//
//	system model                   model states  transitions  depth   lasso states  transitions  depth  violated
//	partial sync, 1 crash (default)          984        2,781     15          3,100        6,173     21  -
//	partial sync                             200          629     13          1,244        2,189     21  -
//	asynchronous                             100          361     12          5,595       20,019     20  eventual-accuracy
//	asynchronous, 1 crash                    492        1,401     14          8,171       25,659     20  eventual-accuracy
//
// The detector assumes crash-stop nodes and reliable links, and the
// checker shows why (properties judge nodes by whether they are up, which
// under crash-stop is whether they are correct): a node waits for the
// answer to its ping before it pings again, so a ping or an ack lost
// (-drops 1), or a ping lost to a node down that later recovers
// (-crash-mode recover), leaves a node that is up suspected for ever.
//
// Each ordered pair of nodes is a monitor of its own, ten states apiece:
// three nodes make 10^6 states of the model alone, which is why the
// catalog checks two.
package detector
