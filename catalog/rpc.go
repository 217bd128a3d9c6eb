package catalog

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/rpc"
)

func init() {
	register(rpcEntry())
	registerClassic(Classic{Name: "rpc-retry-executes-twice", Protocol: "rpc", Flags: "-sem at-least-once", Breaks: rpc.PropAtMostOnce,
		Doc: "a retry without dedup charges twice: the timeout fires while the reply is on its way (course 1.3, 5.1)"})
	registerClassic(Classic{Name: "rpc-lost-request", Protocol: "rpc", Flags: "-sem at-most-once -drops 1", Breaks: rpc.PropAtLeastOnce,
		Doc: "at-most-once: the request is lost, never retried, never executed (course 5.1)"})
	registerClassic(Classic{Name: "rpc-duplicate-without-dedup", Protocol: "rpc", Flags: "-sem at-most-once -dups 1", Breaks: rpc.PropAtMostOnce,
		Doc: "no retry and no table: the network duplicates the request and both copies execute (course 1.3)"})
	registerClassic(Classic{Name: "rpc-idempotent-stale-retry", Protocol: "rpc", Flags: "-sem idempotent -ops 2", Breaks: rpc.PropAtMostOnce,
		Doc: "an idempotent call's retry lands after the next call: f(g(f(x))) ≠ g(f(x)) (course 5.1, Cx1)"})
	registerClassic(Classic{Name: "rpc-retries-exhausted", Protocol: "rpc", Flags: "-sem exactly-once -retries 1 -drops 2", Breaks: rpc.PropAtLeastOnce,
		Doc: "bounded retries stand for retrying forever only up to as many losses: two drops beat one retry"})
}

func rpcEntry() *Entry {
	var sems []string
	for _, s := range rpc.AllSemantics() {
		sems = append(sems, s.String())
	}
	d := rpc.DefaultParams()
	sem := Param{Name: "sem", Doc: "delivery semantics", Default: int(d.Semantics), Max: len(sems) - 1, Choices: sems}
	retries := Param{Name: "retries", Doc: "resends per call on a timeout (not at-most-once)", Default: d.Retries, Min: 0, Max: rpc.MaxRetries}
	var retrying []int
	for _, s := range rpc.AllSemantics() {
		if s.Retries() {
			retrying = append(retrying, int(s))
		}
	}
	retries.Fits = onlyWith(retries, sem, retrying, nil, "an at-most-once client never resends")
	e := &Entry{
		Name:    "rpc",
		Summary: "a client calling a server: at-most-once, at-least-once, exactly-once (dedup) and idempotent calls",
		Section: "1.3, 5.1",
		Params: []Param{
			sem,
			{Name: "ops", Doc: "calls the client makes, one after the other", Default: d.Ops, Min: 1, Max: rpc.MaxOps},
			retries,
		},
		Mutants: rpc.Mutants,
	}
	return nodeProtocol[rpc.State, rpc.Msg]{
		props: rpc.Properties(),
		// Every check evaluates the three guarantees — those the semantics
		// does not promise are its counterexamples — and the semantics'
		// own witnesses.
		choose: func(params map[string]int) []string { return rpc.Semantics(params["sem"]).Checked() },
		leftOut: func(params map[string]int, p spec.Property[rpc.State, rpc.Msg]) string {
			var by []string
			for _, s := range rpc.AllSemantics() {
				if slices.Contains(s.Witnesses(), p.Name) {
					by = append(by, s.String())
				}
			}
			return fmt.Sprintf("a witness of -sem %s only", orList(by))
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[rpc.State, rpc.Msg], []spec.WorkItem[rpc.Msg], error) {
			p, err := rpc.New(RPCParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}
