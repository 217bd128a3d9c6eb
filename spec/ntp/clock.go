package ntp

// Thresholds of the clock-discipline policy (course 3.2, as ntpd has
// them): an offset below SlewLimit is slewed, one below PanicLimit is
// stepped, a larger one makes the daemon give up (panic) and leave the
// clock to a person. MaxSlewPPM is how fast a slew moves the clock.
const (
	SlewLimit  = 125 * Millisecond
	PanicLimit = 1000 * Second
	MaxSlewPPM = 500
)

// Correction is what the client does with an estimated offset.
type Correction uint8

// The three corrections.
const (
	Slew Correction = iota
	Step
	Panic
)

var correctionNames = [...]string{"slew", "step", "panic"}

func (c Correction) String() string { return correctionNames[c] }

// Decide picks the correction for offset θ: slew if |θ| < 125 ms, step if
// |θ| < 1000 s, otherwise panic.
func Decide(theta Nanos) Correction {
	switch a := theta.Abs(); {
	case a < SlewLimit:
		return Slew
	case a < PanicLimit:
		return Step
	}
	return Panic
}

// Clock is a local oscillator: at true time t it has counted t plus its
// drift, DriftPPM parts per million of t (t = 0 is when the client sends
// its request).
type Clock struct {
	DriftPPM int64
}

// Count returns what the oscillator has counted at true time t. It never
// decreases while |DriftPPM| < 10^6.
func (c Clock) Count(t Nanos) Nanos { return t + ppm(t, c.DriftPPM) }

// Client is a client's two clocks, both driven by its oscillator: the
// time of day, which NTP slews and steps, and the monotonic clock (time
// since boot), which NTP slews but never steps, so that durations measured
// with it are never negative.
type Client struct {
	Osc Clock
	// Epoch is the time of day when the oscillator reads 0; Boot is the
	// monotonic clock's reading then.
	Epoch, Boot Nanos
	// Stepped is the sum of the steps applied to the time of day.
	Stepped Nanos
	// Slew is the offset being slewed since true time SlewFrom.
	Slew, SlewFrom Nanos
	// stepMono is a mutant: steps move the monotonic clock too.
	stepMono bool
}

// slewed is how much of the slew has been applied by true time t: at most
// MaxSlewPPM of the time since it began, never more than the slew.
func (c Client) slewed(t Nanos) Nanos {
	if c.Slew == 0 || t <= c.SlewFrom {
		return 0
	}
	done := ppm(t-c.SlewFrom, MaxSlewPPM)
	if done >= c.Slew.Abs() {
		return c.Slew
	}
	if c.Slew < 0 {
		return -done
	}
	return done
}

// TimeOfDay reads the time-of-day clock at true time t.
func (c Client) TimeOfDay(t Nanos) Nanos {
	return c.Epoch + c.Osc.Count(t) + c.Stepped + c.slewed(t)
}

// Monotonic reads the monotonic clock at true time t.
func (c Client) Monotonic(t Nanos) Nanos {
	m := c.Boot + c.Osc.Count(t) + c.slewed(t)
	if c.stepMono {
		m += c.Stepped
	}
	return m
}

// Correct applies the correction Decide picks for offset θ at true time
// t: a slew begins (replacing any slew in progress), or the time of day
// steps by θ, or nothing happens (panic).
func (c Client) Correct(t, theta Nanos) (Client, Correction) {
	d := Decide(theta)
	switch d {
	case Slew:
		done := c.slewed(t) // what was slewed so far stays
		c.Epoch, c.Boot = c.Epoch+done, c.Boot+done
		c.Slew, c.SlewFrom = theta, t
	case Step:
		c.Stepped += theta
	}
	return c, d
}
