package ntp_test

import (
	"testing"

	"github.com/distsys/distsys/spec/ntp"
)

// Reference: course 3.1, "a monotonic clock never decreases; a
// time-of-day clock may jump backwards (steps)". The client is 300 ms
// ahead of the server: NTP steps its time of day back, and a duration
// measured across the step with the time of day is negative, while the
// monotonic clock measures it right.
func TestStepSendsTimeOfDayBackButNotMonotonic(t *testing.T) {
	x := ntp.Scenario{Offset: -300 * ntp.Millisecond, D1: ntp.Millisecond, D2: ntp.Millisecond}.Run()
	if x.Correction != ntp.Step || x.Theta() != -300*ntp.Millisecond {
		t.Fatalf("%v by %v, want a step by -300ms", x.Correction, x.Theta())
	}
	start, later := x.Back, x.Back+10*ntp.Millisecond
	todDuration := x.After.TimeOfDay(later) - x.Client.TimeOfDay(start)
	monoDuration := x.After.Monotonic(later) - x.Client.Monotonic(start)
	if todDuration != -290*ntp.Millisecond || monoDuration != 10*ntp.Millisecond {
		t.Errorf("10 ms measured across the step: time of day %v, monotonic %v; want -290ms and 10ms", todDuration, monoDuration)
	}
}

// Over the whole grid, at every correction, both clocks read at the
// arrival of the reply, just after the correction and at later times: the
// monotonic clock never decreases; the time of day decreases exactly
// when a negative offset is stepped.
func TestMonotonicNeverDecreasesOverTheGrid(t *testing.T) {
	backwards := 0
	wideGrid(func(sc ntp.Scenario) {
		x := sc.Run()
		times := []ntp.Nanos{0, ntp.Millisecond, ntp.Second, 100 * ntp.Second, 1000 * ntp.Second}
		mono, tod := x.Client.Monotonic(x.Back), x.Client.TimeOfDay(x.Back)
		todBack := false
		for _, dt := range times {
			m, d := x.After.Monotonic(x.Back+dt), x.After.TimeOfDay(x.Back+dt)
			if m < mono {
				t.Fatalf("%+v: the monotonic clock went back from %v to %v at +%v", sc, mono, m, dt)
			}
			todBack = todBack || d < tod
			mono, tod = m, d
		}
		if want := x.Correction == ntp.Step && x.Theta() < 0; todBack != want {
			t.Fatalf("%+v: time of day went back: %v, want %v (%v by %v)", sc, todBack, want, x.Correction, x.Theta())
		}
		if todBack {
			backwards++
		}
	})
	if backwards == 0 {
		t.Fatal("the time of day never goes back")
	}
}

// A slew moves the clock at MaxSlewPPM: 100 ms take 200 s, and the
// clocks never run backwards while it lasts.
func TestSlewTakesItsTime(t *testing.T) {
	c := ntp.Client{Epoch: ntp.Epoch, Boot: ntp.Uptime}
	c, d := c.Correct(0, -100*ntp.Millisecond)
	if d != ntp.Slew {
		t.Fatalf("%v, want slew", d)
	}
	for _, tc := range []struct{ at, slewed ntp.Nanos }{
		{ntp.Second, -500 * ntp.Microsecond},
		{100 * ntp.Second, -50 * ntp.Millisecond},
		{200 * ntp.Second, -100 * ntp.Millisecond},
		{300 * ntp.Second, -100 * ntp.Millisecond},
	} {
		if got := c.TimeOfDay(tc.at) - ntp.Epoch - tc.at; got != tc.slewed {
			t.Errorf("at %v: slewed %v, want %v", tc.at, got, tc.slewed)
		}
	}
}
