package modeltest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/rpc"
)

// TestAtLeastOnceRetryIsCaughtAndReplays: a retry without a table
// executes an increment twice; the helpers find it, replay it, and read
// the figures.
func TestAtLeastOnceRetryIsCaughtAndReplays(t *testing.T) {
	proto, err := rpc.New(rpc.Params{Semantics: rpc.AtLeastOnce, Ops: 1, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, res := modeltest.Check(t, proto, model.Config{}, proto.Workload(), checked(rpc.AtLeastOnce), explore.Options{KeepGoing: true})
	modeltest.WantVerdict(t, m, res, map[string]int{rpc.PropAtMostOnce: 4, rpc.PropExactlyOnce: 6})
	m, res = modeltest.Check(t, proto, model.Config{}, proto.Workload(), checked(rpc.AtLeastOnce), explore.Options{})
	if labels := modeltest.WantViolated(t, m, res, rpc.PropAtMostOnce); len(labels) != 4 {
		t.Fatalf("labels %v", labels)
	}
	modeltest.WantVerdict(t, m, res, map[string]int{rpc.PropAtMostOnce: 4})
}

// checked returns the properties a check of semantics s evaluates: the
// three guarantees and the sometimes properties that apply to s.
func checked(s rpc.Semantics) []spec.Property[rpc.State, rpc.Msg] {
	var props []spec.Property[rpc.State, rpc.Msg]
	for _, p := range rpc.Properties() {
		if slices.Contains(s.Checked(), p.Name) {
			props = append(props, p)
		}
	}
	return props
}

// printer is a testing.TB for the example: it prints what a test would
// report.
type printer struct{ testing.TB }

func (printer) Helper()                           {}
func (printer) Logf(string, ...any)               {}
func (printer) Errorf(format string, args ...any) { fmt.Printf("error: "+format+"\n", args...) }
func (printer) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (printer) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }

// At-least-once calls retry without a table of executed ids: a timeout
// that fires while the reply is on its way executes the call twice. One
// keep-going search gives the shortest counterexample of every property
// it breaks, each replayed by its labels to the same violation; the
// verdict is checked whole: status, violations and sometimes properties.
func Example() {
	proto, err := rpc.New(rpc.Params{Semantics: rpc.AtLeastOnce, Ops: 1, Retries: 1})
	if err != nil {
		panic(err)
	}
	t := printer{}
	m, res := modeltest.Check(t, proto, model.Config{}, proto.Workload(), checked(rpc.AtLeastOnce), explore.Options{Workers: 1, KeepGoing: true})
	fmt.Println(res.Status, len(res.Violations), "violations")
	// A verdict is asserted whole: here a wrong expectation, that the
	// retry also loses a call.
	modeltest.WantVerdict(t, m, res, map[string]int{rpc.PropAtMostOnce: 4, rpc.PropExactlyOnce: 6, rpc.PropAtLeastOnce: 5})
	// Output:
	// violated 2 violations
	// error: at-least-once holds, want it violated in 5 steps
}
