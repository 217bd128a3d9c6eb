package ntp

import (
	"fmt"
	"strings"
)

// Bounds of Params.
const (
	MaxDelayMillis = 4
	MaxProcMillis  = 4
	MaxDriftPPM    = 1000
)

// Epoch is the server's time of day when the client sends its request
// (true time 0); the server's clock is exact. Uptime is the client's
// monotonic clock then.
const (
	Epoch  = 1_700_000_000 * Second
	Uptime = 3600 * Second
)

// Offsets are the grid's offsets of the server's clock from the client's
// when the request leaves: two to slew, two to step, one to panic.
var Offsets = []Nanos{50 * Millisecond, -50 * Millisecond, 300 * Millisecond, -300 * Millisecond, 2000 * Second}

// Reads are when, after its correction, the client reads its clocks again.
var Reads = []Nanos{Second, 1000 * Second}

// Params bound the grid of one exploration.
type Params struct {
	// DelayMillis: each one-way delay is one of 0, 1, …, DelayMillis ms
	// (0..MaxDelayMillis), chosen independently: symmetric, asymmetric and
	// fully asymmetric (one way instantaneous).
	DelayMillis int
	// ProcMillis: the server holds the request 0 or ProcMillis ms
	// (0..MaxProcMillis).
	ProcMillis int
	// DriftPPM: the client's oscillator drifts by 0, −DriftPPM or
	// +DriftPPM parts per million (0..MaxDriftPPM).
	DriftPPM int
	// Mutant is "" or the name of one of Mutants.
	Mutant string
}

// DefaultParams: delays 0, 1, 2 ms each way, the server holding the
// request 0 or 1 ms, a drift of ±200 ppm (course 8.2's figure).
func DefaultParams() Params { return Params{DelayMillis: 2, ProcMillis: 1, DriftPPM: 200} }

// Grid is the bounded exploration of one NTP exchange and the correction
// that follows, over every offset, drift, delay and processing time of
// Params. It satisfies the explorer's System interface (Init, Next,
// Fingerprint, Label) without importing it.
type Grid struct {
	p                     Params
	delays, procs, drifts []int64
	mu                    mutant
}

// New validates p and returns its grid.
func New(p Params) (*Grid, error) {
	switch {
	case p.DelayMillis < 0 || p.DelayMillis > MaxDelayMillis:
		return nil, fmt.Errorf("ntp: DelayMillis = %d, want 0..%d", p.DelayMillis, MaxDelayMillis)
	case p.ProcMillis < 0 || p.ProcMillis > MaxProcMillis:
		return nil, fmt.Errorf("ntp: ProcMillis = %d, want 0..%d", p.ProcMillis, MaxProcMillis)
	case p.DriftPPM < 0 || p.DriftPPM > MaxDriftPPM:
		return nil, fmt.Errorf("ntp: DriftPPM = %d, want 0..%d", p.DriftPPM, MaxDriftPPM)
	}
	mu, err := parseMutant(p.Mutant)
	if err != nil {
		return nil, err
	}
	g := &Grid{p: p, mu: mu}
	for d := range p.DelayMillis + 1 {
		g.delays = append(g.delays, int64(d))
	}
	g.procs = []int64{0}
	if p.ProcMillis > 0 {
		g.procs = append(g.procs, int64(p.ProcMillis))
	}
	g.drifts = []int64{0}
	if p.DriftPPM > 0 {
		g.drifts = []int64{0, -int64(p.DriftPPM), int64(p.DriftPPM)}
	}
	return g, nil
}

// Params returns the grid's parameters.
func (g *Grid) Params() Params { return g.p }

// Phase is how far the exchange has got.
type Phase uint8

// The phases, in order. Reading k (from 0) is phase ReadFirst+k.
const (
	ChooseOffset Phase = iota
	ChooseDrift
	Sending   // offset and drift chosen: the client is about to send
	Requested // the request is on its way
	AtServer  // the server has it
	Replied   // the reply is on its way
	Received  // the client has the four timestamps
	Corrected // the client has corrected its clocks
	ReadFirst
)

// State is one point of the exploration, packed: the phase and the index
// of each choice made so far. It is its own fingerprint.
type State uint64

const (
	phaseBits  = 0
	offsetBits = 4
	driftBits  = 8
	d1Bits     = 12
	procBits   = 16
	d2Bits     = 20
)

func (s State) field(shift uint) int         { return int(s >> shift & 15) }
func (s State) with(shift uint, v int) State { return s&^(15<<shift) | State(v)<<shift }

// Phase is s's phase.
func (s State) Phase() Phase { return Phase(s.field(phaseBits)) }

// Action is a step of the exploration: Choice indexes the grid's values
// in a phase that chooses (offset, drift, delays, processing time).
type Action struct {
	Phase  Phase
	Choice int
}

// Init is the single initial state: nothing chosen.
func (g *Grid) Init() []State { return []State{0} }

// choices is how many ways phase ph can go on (0: it is the last).
func (g *Grid) choices(ph Phase) int {
	switch ph {
	case ChooseOffset:
		return len(Offsets)
	case ChooseDrift:
		return len(g.drifts)
	case Requested, Replied:
		return len(g.delays)
	case AtServer:
		return len(g.procs)
	}
	if ph >= ReadFirst+Phase(len(Reads))-1 {
		return 0
	}
	return 1
}

// Next yields the steps of s: one per choice of its phase.
func (g *Grid) Next(s State, yield func(Action, State, bool)) {
	ph := s.Phase()
	for c := range g.choices(ph) {
		next := s.with(phaseBits, int(ph)+1)
		switch ph {
		case ChooseOffset:
			next = next.with(offsetBits, c)
		case ChooseDrift:
			next = next.with(driftBits, c)
		case Requested:
			next = next.with(d1Bits, c)
		case AtServer:
			next = next.with(procBits, c)
		case Replied:
			next = next.with(d2Bits, c)
		}
		yield(Action{Phase: ph, Choice: c}, next, false)
	}
}

// Fingerprint is the packed state.
func (g *Grid) Fingerprint(s State) uint64 { return uint64(s) }

// Scenario is the conditions of one exchange.
type Scenario struct {
	// Offset is the server's clock minus the client's when the request
	// leaves (true time 0); DriftPPM is the client oscillator's drift.
	Offset   Nanos
	DriftPPM int64
	// D1 and D2 are the one-way delays, Proc the time the server holds
	// the request.
	D1, Proc, D2 Nanos
}

// Exchange is one exchange played out, and the correction that follows.
type Exchange struct {
	Scenario
	// Client is the client's clocks before the correction.
	Client Client
	// Sent, Arrived, Answered and Back are the true times of the four
	// events: request sent (0) and received, reply sent and received.
	Sent, Arrived, Answered, Back Nanos
	Timestamps
	Estimate
	// Correction and After: what the client did at Back, and its clocks
	// after.
	Correction Correction
	After      Client
}

// Run plays the exchange of sc: the server's clock is exact, the
// client's time of day is Epoch − Offset when the request leaves and its
// monotonic clock Uptime.
func (sc Scenario) Run() Exchange { return sc.run(none) }

func (sc Scenario) run(mu mutant) Exchange {
	x := Exchange{Scenario: sc}
	x.Client = Client{Osc: Clock{DriftPPM: sc.DriftPPM}, Epoch: Epoch - sc.Offset, Boot: Uptime, stepMono: mu == stepMonotonic}
	x.Arrived = sc.D1
	x.Answered = x.Arrived + sc.Proc
	x.Back = x.Answered + sc.D2
	x.Timestamps = Timestamps{
		T1: x.Client.TimeOfDay(x.Sent),
		T2: Server(x.Arrived),
		T3: Server(x.Answered),
		T4: x.Client.TimeOfDay(x.Back),
	}
	x.Estimate = x.Timestamps.Estimate()
	if mu == cristianOffset {
		x.Theta2 = x.Timestamps.cristian()
	}
	x.After, x.Correction = x.Client.Correct(x.Back, x.Theta())
	return x
}

// Exchange plays the exchange of s, from the choices made so far (those
// not yet made count as the first).
func (g *Grid) Exchange(s State) Exchange {
	return Scenario{
		Offset:   Offsets[s.field(offsetBits)],
		DriftPPM: g.drifts[s.field(driftBits)],
		D1:       Nanos(g.delays[s.field(d1Bits)]) * Millisecond,
		Proc:     Nanos(g.procs[s.field(procBits)]) * Millisecond,
		D2:       Nanos(g.delays[s.field(d2Bits)]) * Millisecond,
	}.run(g.mu)
}

// ErrorRange returns the true offset's lowest and highest values during
// the exchange (it moves steadily with the drift, taking every value
// between) and twice the estimate's distance to the nearest of them.
func (x Exchange) ErrorRange() (lo, hi, distance2 Nanos) {
	lo, hi = x.TrueOffset(x.Sent), x.TrueOffset(x.Back)
	if lo > hi {
		lo, hi = hi, lo
	}
	return lo, hi, x.Distance2(lo, hi)
}

// Server reads the server's clock at true time t.
func Server(t Nanos) Nanos { return Epoch + t }

// TrueOffset is the offset of the server's clock from the client's at
// true time t, before the correction.
func (x Exchange) TrueOffset(t Nanos) Nanos { return Server(t) - x.Client.TimeOfDay(t) }

// Reading is what the client's clocks show in state s: nothing before the
// reply is back (ok false); on its arrival, before the correction; then
// right after it, and at each of Reads later.
func (g *Grid) Reading(s State) (tod, mono Nanos, ok bool) {
	x := g.Exchange(s)
	ph := s.Phase()
	switch {
	case ph < Received:
		return 0, 0, false
	case ph == Received:
		return x.Client.TimeOfDay(x.Back), x.Client.Monotonic(x.Back), true
	}
	t := x.Back
	if ph >= ReadFirst {
		t += Reads[ph-ReadFirst]
	}
	return x.After.TimeOfDay(t), x.After.Monotonic(t), true
}

// Label describes action a in s.
func (g *Grid) Label(s State, a Action) string {
	next := s
	g.Next(s, func(b Action, n State, _ bool) {
		if b == a {
			next = n
		}
	})
	x := g.Exchange(next)
	switch a.Phase {
	case ChooseOffset:
		if x.Offset < 0 {
			return fmt.Sprintf("the server's clock is %s behind the client's", -x.Offset)
		}
		return fmt.Sprintf("the server's clock is %s ahead of the client's", x.Offset)
	case ChooseDrift:
		if x.DriftPPM == 0 {
			return "the client's oscillator keeps exact time"
		}
		return fmt.Sprintf("the client's oscillator drifts %+d ppm", x.DriftPPM)
	case Sending:
		return fmt.Sprintf("client sends its request at t1 = %s", stamp(x.T1))
	case Requested:
		return fmt.Sprintf("request arrives after %s, at t2 = %s", x.D1, stamp(x.T2))
	case AtServer:
		return fmt.Sprintf("server replies after %s, at t3 = %s", x.Proc, stamp(x.T3))
	case Replied:
		return fmt.Sprintf("reply arrives after %s, at t4 = %s: θ = %s, δ = %s", x.D2, stamp(x.T4), signed(x.Theta()), x.Delta)
	case Received:
		switch x.Correction {
		case Slew:
			return fmt.Sprintf("client slews its clocks by %s", signed(x.Theta()))
		case Step:
			return fmt.Sprintf("client steps its time of day by %s", signed(x.Theta()))
		}
		return fmt.Sprintf("client panics: an offset of %s is too large to correct", signed(x.Theta()))
	}
	return fmt.Sprintf("client reads its clocks %s later", Reads[a.Phase-Corrected])
}

// Describe writes what the client's clocks are in s: how they were set
// up, then, once the reply is back, what they read.
func (g *Grid) Describe(s State) string {
	if tod, mono, ok := g.Reading(s); ok {
		return fmt.Sprintf("time of day %s, monotonic %s", stamp(tod), mono)
	}
	if s.Phase() == ChooseOffset {
		return ""
	}
	x := g.Exchange(s)
	clock := fmt.Sprintf("%s behind the server", x.Offset)
	if x.Offset < 0 {
		clock = fmt.Sprintf("%s ahead of the server", -x.Offset)
	}
	if s.Phase() > ChooseDrift {
		clock += fmt.Sprintf(", drifting %+d ppm", x.DriftPPM)
	}
	return clock
}

// signed writes d with its sign.
func signed(d Nanos) string {
	if d > 0 {
		return "+" + d.String()
	}
	return d.String()
}

// stamp writes a time of day relative to Epoch: "E+2ms", "E-300ms".
func stamp(t Nanos) string {
	s := signed(t - Epoch)
	if !strings.HasPrefix(s, "-") && !strings.HasPrefix(s, "+") {
		s = "+" + s
	}
	return "E" + s
}
