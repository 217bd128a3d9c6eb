package modeltest_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
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
	m, res := modeltest.Check(t, proto, model.Config{}, proto.Workload(), rpc.Properties(), explore.Options{KeepGoing: true})
	got := modeltest.Verdicts(t, m, res)
	if got[rpc.PropAtMostOnce] != 4 {
		t.Fatalf("verdicts %v, want at-most-once in 4 steps", got)
	}
	m, res = modeltest.Check(t, proto, model.Config{}, proto.Workload(), rpc.Properties(), explore.Options{})
	if labels := modeltest.WantViolated(t, m, res, rpc.PropAtMostOnce); len(labels) != 4 {
		t.Fatalf("labels %v", labels)
	}
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
// it breaks, each replayed by its labels to the same violation.
func Example() {
	proto, err := rpc.New(rpc.Params{Semantics: rpc.AtLeastOnce, Ops: 1, Retries: 1})
	if err != nil {
		panic(err)
	}
	t := printer{}
	m, res := modeltest.Check(t, proto, model.Config{}, proto.Workload(), rpc.Properties(), explore.Options{Workers: 1, KeepGoing: true})
	fmt.Println(modeltest.Verdicts(t, m, res))
	// Output:
	// map[at-most-once:4 exactly-once:6]
}
