package ntp_test

import (
	"testing"

	"github.com/distsys/distsys/spec/ntp"
)

// wideGrid calls f for every scenario of a grid wider than the catalog's:
// every offset of ntp.Offsets, drifts up to ±500 ppm, each one-way delay
// 0..4 ms in steps of 0.5 ms, the server holding the request 0, 1 or 3 ms.
func wideGrid(f func(ntp.Scenario)) {
	for _, off := range ntp.Offsets {
		for _, drift := range []int64{-500, -200, -1, 0, 1, 200, 500} {
			for d1 := ntp.Nanos(0); d1 <= 4*ntp.Millisecond; d1 += ntp.Millisecond / 2 {
				for d2 := ntp.Nanos(0); d2 <= 4*ntp.Millisecond; d2 += ntp.Millisecond / 2 {
					for _, p := range []ntp.Nanos{0, ntp.Millisecond, 3 * ntp.Millisecond} {
						f(ntp.Scenario{Offset: off, DriftPPM: drift, D1: d1, Proc: p, D2: d2})
					}
				}
			}
		}
	}
}

// Reference: course 3.2, "P: the error in θ is at most δ/2". Over the
// whole grid the estimate is within δ/2 of the true offset at some instant
// of the exchange; without drift, it is within δ/2 of the (constant)
// offset, exactly δ/2 away when one way took no time (full asymmetry),
// and strictly closer otherwise.
func TestErrorIsAtMostHalfTheDelayOverTheGrid(t *testing.T) {
	n, tight := 0, 0
	wideGrid(func(sc ntp.Scenario) {
		n++
		x := sc.Run()
		_, _, d2 := x.ErrorRange()
		if d2 > max(x.Delta, 0) {
			t.Fatalf("%+v: 2×error %v > δ = %v", sc, d2, x.Delta)
		}
		if sc.DriftPPM != 0 {
			return
		}
		if x.Delta != sc.D1+sc.D2 {
			t.Fatalf("%+v: δ = %v, want the two one-way delays, %v", sc, x.Delta, sc.D1+sc.D2)
		}
		err2 := (x.Theta2 - 2*sc.Offset).Abs()
		asymmetric := sc.D1 == 0 || sc.D2 == 0
		if err2 > x.Delta || (err2 == x.Delta) != asymmetric {
			t.Fatalf("%+v: 2×error %v, δ %v: want ≤, and = exactly when one way is instantaneous", sc, err2, x.Delta)
		}
		if err2 == x.Delta && x.Delta > 0 {
			tight++
		}
	})
	if tight == 0 {
		t.Fatal("the bound is never tight")
	}
	t.Logf("%d scenarios, %d with the bound tight", n, tight)
}

// With drift, the offset itself moves during the exchange, and the
// textbook bound measured against the offset when the reply arrives (the
// moment the client corrects) fails — by no more than the drift over the
// exchange. This is why error-within-half-delay takes the offset at some
// instant of the exchange.
func TestWithDriftTheOffsetAtT4CanBeMoreThanHalfTheDelayAway(t *testing.T) {
	beyond := 0
	wideGrid(func(sc ntp.Scenario) {
		x := sc.Run()
		atT4 := x.TrueOffset(x.Back)
		moved := (atT4 - x.TrueOffset(x.Sent)).Abs()
		excess := (x.Theta2 - 2*atT4).Abs() - max(x.Delta, 0)
		if excess > 0 {
			beyond++
			if sc.DriftPPM == 0 || excess > 2*moved {
				t.Fatalf("%+v: 2×error at t4 exceeds δ by %v, with the offset moving %v", sc, excess, moved)
			}
		}
	})
	if beyond == 0 {
		t.Fatal("the bound at t4 always holds: the drift is not in the grid")
	}
}

// A concrete exchange (course 3.2): the client is 50 ms behind, the
// request takes 2 ms, the server holds it 1 ms, the reply takes 0.
func TestFourTimestamps(t *testing.T) {
	x := ntp.Scenario{Offset: 50 * ntp.Millisecond, D1: 2 * ntp.Millisecond, Proc: ntp.Millisecond}.Run()
	want := ntp.Timestamps{T1: ntp.Epoch - 50*ntp.Millisecond, T2: ntp.Epoch + 2*ntp.Millisecond, T3: ntp.Epoch + 3*ntp.Millisecond, T4: ntp.Epoch - 47*ntp.Millisecond}
	if x.Timestamps != want {
		t.Fatalf("timestamps %+v, want %+v", x.Timestamps, want)
	}
	if x.Theta() != 51*ntp.Millisecond || x.Delta != 2*ntp.Millisecond || x.Correction != ntp.Slew {
		t.Errorf("θ = %v, δ = %v, %v; want 51ms (1 ms off: half the asymmetry), 2ms, slew", x.Theta(), x.Delta, x.Correction)
	}
}

func TestDecideThresholds(t *testing.T) {
	for _, c := range []struct {
		theta ntp.Nanos
		want  ntp.Correction
	}{
		{0, ntp.Slew},
		{ntp.SlewLimit - 1, ntp.Slew},
		{-(ntp.SlewLimit - 1), ntp.Slew},
		{ntp.SlewLimit, ntp.Step},
		{-ntp.SlewLimit, ntp.Step},
		{ntp.PanicLimit - 1, ntp.Step},
		{ntp.PanicLimit, ntp.Panic},
		{-ntp.PanicLimit, ntp.Panic},
	} {
		if got := ntp.Decide(c.theta); got != c.want {
			t.Errorf("Decide(%v) = %v, want %v", c.theta, got, c.want)
		}
	}
}

func TestNanosString(t *testing.T) {
	for d, want := range map[ntp.Nanos]string{
		0: "0", 250: "250ns", 1500 * ntp.Microsecond: "1.5ms", -300 * ntp.Millisecond: "-300ms",
		2000 * ntp.Second: "2000s", 2*ntp.Second + 1: "2.000000001s", ntp.Microsecond: "1µs",
	} {
		if got := d.String(); got != want {
			t.Errorf("%d: %q, want %q", int64(d), got, want)
		}
	}
}
