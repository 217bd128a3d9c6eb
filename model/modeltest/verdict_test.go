package modeltest_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/rpc"
)

// recorder is a testing.TB that keeps what a helper reports; Fatal ends
// the helper's goroutine, as in a test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()             {}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// report runs f against a recorder, in a goroutine of its own so that a
// Fatal ends only f, and returns what it reported.
func report(f func(t testing.TB)) string {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return strings.Join(r.errs, "\n")
}

// exactlyOnce checks exactly-once calls, which keep every guarantee, with
// every sometimes property of the package, of which duplicate-answered
// needs retries and a reply slower than the timeout.
func exactlyOnce(t testing.TB, opts explore.Options) (*model.Model[rpc.State, rpc.Msg], modeltest.Result[rpc.State, rpc.Msg]) {
	proto, err := rpc.New(rpc.Params{Semantics: rpc.ExactlyOnce, Ops: 1, Retries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return modeltest.Check(t, proto, model.Config{}, proto.Workload(), rpc.Properties(), opts)
}

// A result with no property violated but a sometimes property never
// reached is VIOLATED, and its list of violations is empty: a helper that
// reads only that list (as broadcast's expect did) passes it. The verdict
// helpers do not.
func TestVerdictHelpersFailOnAnUnreachedSometimesProperty(t *testing.T) {
	for _, keepGoing := range []bool{false, true} {
		m, res := exactlyOnce(t, explore.Options{Workers: 1, KeepGoing: keepGoing})
		if res.Status != explore.Violated || len(res.Violations) != 0 {
			t.Fatalf("keep going %v: status %v, %d violations; the test needs a VIOLATED result with none listed", keepGoing, res.Status, len(res.Violations))
		}
		if got := report(func(t testing.TB) { modeltest.WantVerdict(t, m, res, nil) }); !strings.Contains(got, "never reached") || !strings.Contains(got, "status violated, want ok") {
			t.Errorf("keep going %v: WantVerdict(nothing violated) reported %q", keepGoing, got)
		}
		if got := report(func(t testing.TB) { modeltest.WantOK(t, res) }); !strings.Contains(got, "status violated") {
			t.Errorf("keep going %v: WantOK reported %q", keepGoing, got)
		}
		if got := report(func(t testing.TB) { modeltest.WantReached(t, res) }); !strings.Contains(got, "never reached") {
			t.Errorf("keep going %v: WantReached reported %q", keepGoing, got)
		}
		var unreached []string
		for _, w := range res.Sometimes {
			if !w.Reached {
				unreached = append(unreached, w.Property)
			}
		}
		if got := report(func(t testing.TB) { modeltest.WantVerdict(t, m, res, nil, unreached...) }); got != "" {
			t.Errorf("keep going %v: WantVerdict(unreached %v) reported %q", keepGoing, unreached, got)
		}
	}
}

// Each part of a verdict is checked: a wrong length, a property that
// holds, one violated unexpectedly, a bound that stopped the search.
func TestWantVerdictChecksEveryPart(t *testing.T) {
	proto, err := rpc.New(rpc.Params{Semantics: rpc.AtLeastOnce, Ops: 1, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, res := modeltest.Check(t, proto, model.Config{}, proto.Workload(), checked(rpc.AtLeastOnce), explore.Options{Workers: 1, KeepGoing: true})
	modeltest.WantVerdict(t, m, res, map[string]int{rpc.PropAtMostOnce: 4, rpc.PropExactlyOnce: 6})
	for _, c := range []struct {
		want map[string]int
		says string
	}{
		{map[string]int{rpc.PropAtMostOnce: 5, rpc.PropExactlyOnce: 6}, "at-most-once violated in 4 steps, want 5"},
		{map[string]int{rpc.PropAtMostOnce: 4, rpc.PropExactlyOnce: 6, rpc.PropAtLeastOnce: 3}, "at-least-once holds"},
		{map[string]int{rpc.PropAtMostOnce: 4}, "exactly-once unexpectedly violated"},
		{nil, "status violated, want ok"},
	} {
		if got := report(func(t testing.TB) { modeltest.WantVerdict(t, m, res, c.want) }); !strings.Contains(got, c.says) {
			t.Errorf("want %v: reported %q, want %q", c.want, got, c.says)
		}
	}
	_, cut := modeltest.Check(t, proto, model.Config{}, proto.Workload(), checked(rpc.AtLeastOnce), explore.Options{Workers: 1, KeepGoing: true, MaxDepth: 2})
	if got := report(func(t testing.TB) { modeltest.WantVerdict(t, m, cut, nil) }); !strings.Contains(got, "not exhausted") {
		t.Errorf("a bounded search: reported %q", got)
	}
}
