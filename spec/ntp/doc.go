// Package ntp is physical time and clock synchronisation, course
// sections 3.1 ("Physical time") and 3.2 ("Clock synchronisation"): NTP's
// estimate of the offset θ and the delay δ from the four timestamps of one
// request and its reply, with a drifting client oscillator and asymmetric
// delays, and the client's correction — slew if |θ| < 125 ms, step if
// |θ| < 1000 s, otherwise panic — applied to its two clocks: the time of
// day, which a step may send backwards, and the monotonic clock, which NTP
// slews but never steps. Everything is a pure function on integer
// nanoseconds (Nanos); the offset is kept doubled so that θ is exact.
//
// The estimate (Timestamps.Estimate):
//
//	δ = (t4 − t1) − (t3 − t2)        θ = ((t2 − t1) + (t3 − t4)) / 2
//
// Without drift, θ is off by half the difference of the two one-way
// delays, and δ is their sum: the error is at most δ/2, exactly δ/2 when
// one way takes no time (full asymmetry). With drift the offset itself
// moves while the exchange lasts, and the textbook bound, measured against
// the offset when the reply arrives, fails by up to the drift over the
// exchange; what holds exactly is that θ is within δ/2 of the true offset
// at some instant between t1 and t4 (a client clock running slow can even
// measure δ < 0, which then counts as 0). The tests check both over a
// grid of 8,505 scenarios — the five offsets below, drifts of 0, ±1,
// ±200 and ±500 ppm, delays of 0..4 ms each way in steps of 0.5 ms, the
// server holding the request 0, 1 or 3 ms — and that the time of day goes
// back exactly when a negative offset is stepped, the monotonic clock
// never.
//
// Grid explores the same as a transition system the catalog checks
// (modelcheck check ntp): each path chooses an offset (Offsets: two to
// slew, two to step, one to panic), a drift, the request's delay, the
// server's holding time and the reply's delay, then the client corrects
// and reads its clocks twice more (Reads). Properties:
//
//   - error-within-half-delay (always): θ is within δ/2 of the true offset
//     at some instant of the exchange.
//   - monotonic-never-backwards (on-transition): the monotonic clock never
//     reads less than before.
//   - sometimes: time-of-day-backwards (a duration measured across a step
//     is negative: course 3.1), error-bound-tight, slewed, stepped,
//     panicked.
//
// Mutants (Mutants), with the shortest counterexample under
// DefaultParams:
//
//   - cristian-offset: the offset of Cristian's algorithm, forgetting the
//     server's holding time, with NTP's δ; error-within-half-delay, 6
//     steps (client 50 ms behind, server holding 1 ms, both ways
//     instantaneous: θ = 50.5 ms, δ = 0).
//   - step-monotonic: a step moves the monotonic clock too;
//     monotonic-never-backwards, 7 steps (a -300 ms step).
//
// Pinned figures (exhaustive breadth-first search, one worker; the grid
// is a tree, so states equal transitions; each check takes a few
// milliseconds):
//
//	delay  proc  drift    states  depth  result
//	2      1     200       1,251      9  ok (default)
//	0      0     0            46      9  error-bound-tight unreachable: no delay, δ = 0
//	1      0     0           116      9  ok
//	4      4     1000      3,261      9  ok
//
// The runtime will turn this into a clock-synchronisation service between
// nodes; here one exchange is the whole world.
package ntp
