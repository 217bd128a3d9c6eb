package ntp

// Timestamps are the four of one NTP exchange (course 3.2): the client
// sends its request at T1 (client clock), the server receives it at T2 and
// sends its reply at T3 (server clock), the client receives the reply at
// T4 (client clock).
type Timestamps struct {
	T1, T2, T3, T4 Nanos
}

// Estimate is what the client learns from one exchange. The offset is
// kept doubled, so that it is exact in integers.
type Estimate struct {
	// Theta2 is 2θ = (T2 − T1) + (T3 − T4): twice the estimated offset of
	// the server's clock from the client's, the amount the client should
	// add to its clock.
	Theta2 Nanos
	// Delta is δ = (T4 − T1) − (T3 − T2): the round trip, less the time
	// the server held the request.
	Delta Nanos
}

// Estimate computes θ and δ from the four timestamps.
func (ts Timestamps) Estimate() Estimate {
	return Estimate{
		Theta2: (ts.T2 - ts.T1) + (ts.T3 - ts.T4),
		Delta:  (ts.T4 - ts.T1) - (ts.T3 - ts.T2),
	}
}

// Theta is the estimated offset θ, rounded down to a nanosecond.
func (e Estimate) Theta() Nanos { return Nanos(floorDiv(int64(e.Theta2), 2)) }

// cristian is the offset of Cristian's algorithm — the server's time at
// its reply plus half the round trip — written as NTP's doubled θ: right
// only if the server answers at once.
func (ts Timestamps) cristian() Nanos { return 2*ts.T3 - ts.T1 - ts.T4 }

// Distance2 is twice the distance from the estimate to the nearest true
// offset in [lo, hi] (0 if θ lies within).
func (e Estimate) Distance2(lo, hi Nanos) Nanos {
	switch {
	case e.Theta2 < 2*lo:
		return 2*lo - e.Theta2
	case e.Theta2 > 2*hi:
		return e.Theta2 - 2*hi
	}
	return 0
}
