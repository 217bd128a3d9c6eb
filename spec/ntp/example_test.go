package ntp_test

import (
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec/ntp"
)

// One exchange of course 3.2: the client is 50 ms behind the server; the
// request takes 2 ms, the server holds it 1 ms, the reply is instantaneous.
// The estimate is off by 1 ms — half the asymmetry — which is exactly δ/2:
// at full asymmetry the bound is tight.
func Example() {
	x := ntp.Scenario{Offset: 50 * ntp.Millisecond, D1: 2 * ntp.Millisecond, Proc: ntp.Millisecond}.Run()
	fmt.Println("t2-t1 =", x.T2-x.T1, " t3-t4 =", x.T3-x.T4)
	fmt.Println("θ =", x.Theta(), " δ =", x.Delta, " error =", x.Theta()-x.Offset, "→", x.Correction)
	// Output:
	// t2-t1 = 52ms  t3-t4 = 50ms
	// θ = 51ms  δ = 2ms  error = 1ms → slew
}

// A time-of-day clock may jump backwards, a monotonic clock never does
// (course 3.1): the client is 300 ms ahead, NTP steps it back, and a 10 ms
// interval measured across the step with the time of day is negative.
func Example_stepBackwards() {
	x := ntp.Scenario{Offset: -300 * ntp.Millisecond, D1: ntp.Millisecond, D2: ntp.Millisecond}.Run()
	fmt.Println(x.Correction, "by", x.Theta())
	start, end := x.Back, x.Back+10*ntp.Millisecond
	fmt.Println("time of day measures", x.After.TimeOfDay(end)-x.Client.TimeOfDay(start))
	fmt.Println("monotonic measures", x.After.Monotonic(end)-x.Client.Monotonic(start))
	// Output:
	// step by -300ms
	// time of day measures -290ms
	// monotonic measures 10ms
}

// The whole default grid — five offsets, three drifts, delays of 0, 1 and
// 2 ms each way, the server holding the request 0 or 1 ms — explored: the
// properties hold, and the step that sends the time of day back, the
// tight bound, slew, step and panic are all reached.
func Example_grid() {
	g, _ := ntp.New(ntp.DefaultParams())
	res, _ := explore.Check[ntp.State, ntp.Action](g, properties(g), explore.Options{Workers: 1})
	fmt.Println(res.Status, res.Stats.States, "states")
	for _, w := range res.Sometimes {
		fmt.Println(w.Property, "reached in", w.Path.Len(), "steps")
	}
	// Output:
	// ok 1251 states
	// time-of-day-backwards reached in 7 steps
	// error-bound-tight reached in 6 steps
	// slewed reached in 7 steps
	// stepped reached in 7 steps
	// panicked reached in 7 steps
}
