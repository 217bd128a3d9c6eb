package spectest

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/distsys/distsys/spec"
)

// counter is a one-node protocol whose state holds a slice; its variants
// break purity on purpose.
type counter struct{ variant string }

type counterState struct{ seen []int }

var calls int

func (c counter) Nodes() int                    { return 1 }
func (c counter) Init(spec.NodeID) counterState { return counterState{seen: []int{0}} }
func (c counter) Crash(s counterState) counterState {
	if c.variant == "capacity" {
		// The initial state again, built with room to grow.
		seen := make([]int, 1, 4)
		return counterState{seen: seen}
	}
	return s
}

func (c counter) AppendMsg(b []byte, m int) []byte {
	if c.variant == "message-blind" {
		return append(b, 'm') // every message alike
	}
	return spec.AppendInt(b, int64(m))
}
func (c counter) FormatState(s counterState) string { return fmt.Sprint(s.seen) }
func (c counter) FormatMsg(m int) string            { return fmt.Sprint(m) }
func (c counter) TimerName(spec.Timer) string       { return "t" }
func (c counter) AppendState(b []byte, s counterState) []byte {
	switch c.variant {
	case "parity":
		return spec.AppendUint(b, uint64(len(s.seen)%2)) // forgets almost everything
	case "capacity":
		b = spec.AppendUint(b, uint64(cap(s.seen))) // the representation, not the value
	}
	return spec.AppendInts(b, s.seen)
}

func (c counter) Step(s counterState, in spec.Input[int]) (counterState, []spec.Output[int]) {
	if in.Kind != spec.Request {
		return s, nil
	}
	switch c.variant {
	case "mutates":
		s.seen[0] += in.Msg // writes through the shared slice
	case "nondeterministic":
		calls++
		return counterState{seen: append(append([]int(nil), s.seen...), calls)}, nil
	default:
		return counterState{seen: append(append([]int(nil), s.seen...), in.Msg)}, nil
	}
	return s, nil
}

var work = []spec.WorkItem[int]{{Node: 0, Choices: []int{1, 2}}}

func TestPureAcceptsAPureStep(t *testing.T) {
	Pure[counterState, int](t, counter{}, work, 10)
}

func TestPureCatchesImpureStepsAndEncodings(t *testing.T) {
	// These failures are expected: keep rapid from saving them as
	// regressions to replay.
	old := flag.Lookup("rapid.nofailfile").Value.String()
	flag.Set("rapid.nofailfile", "true")
	defer flag.Set("rapid.nofailfile", old)
	for variant, want := range map[string]string{
		"mutates":          "mutated its argument",
		"nondeterministic": "is not deterministic",
		// The encodings must tell values apart exactly.
		"parity":        "AppendState is not injective: two different values encode",
		"message-blind": "AppendMsg is not injective: two different values encode",
		"capacity":      "AppendState: equal values encode differently",
	} {
		t.Run(variant, func(t *testing.T) {
			rec := &recorder{name: t.Name()}
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				Pure[counterState, int](rec, counter{variant: variant}, work, 10)
			}()
			wg.Wait()
			if !strings.Contains(rec.msg.String(), want) {
				t.Fatalf("Pure did not report %q; it said:\n%s", want, rec.msg.String())
			}
		})
	}
}

// recorder is a rapid.TB that keeps what a failing check says.
type recorder struct {
	name   string
	msg    strings.Builder
	failed bool
}

func (r *recorder) Helper()                   {}
func (r *recorder) Name() string              { return r.name }
func (r *recorder) Logf(f string, a ...any)   {}
func (r *recorder) Log(a ...any)              {}
func (r *recorder) Skipf(f string, a ...any)  { runtime.Goexit() }
func (r *recorder) Skip(a ...any)             { runtime.Goexit() }
func (r *recorder) SkipNow()                  { runtime.Goexit() }
func (r *recorder) Errorf(f string, a ...any) { r.failed = true; fmt.Fprintf(&r.msg, f+"\n", a...) }
func (r *recorder) Error(a ...any)            { r.failed = true; fmt.Fprintln(&r.msg, a...) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); runtime.Goexit() }
func (r *recorder) Fatal(a ...any)            { r.Error(a...); runtime.Goexit() }
func (r *recorder) FailNow()                  { r.failed = true; runtime.Goexit() }
func (r *recorder) Fail()                     { r.failed = true }
func (r *recorder) Failed() bool              { return r.failed }
