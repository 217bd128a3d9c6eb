package catalog

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/replica"
)

func init() {
	register(replicaEntry())
	registerClassic(Classic{Name: "replica-naive-diverges", Protocol: "replica", Flags: "-store naive -retries 0", Breaks: replica.PropConvergence,
		Doc: "no timestamps: two concurrent puts cross, each replica adopts the other's store, and they diverge; nothing tells a replica which store is newer, nor a lost remove from a lost put (course 5.1, Cx2)"})
	registerClassic(Classic{Name: "replica-naive-stale-retry", Protocol: "replica", Flags: "-store naive", Breaks: replica.PropNoCausal,
		Doc: "no timestamps: a retried put lands after a write made later, and both replicas end with the older value (course 5.1, Cx1)"})
	registerClassic(Classic{Name: "replica-physical-skew", Protocol: "replica", Flags: "-store physical -skew 2", Breaks: replica.PropNoCausal,
		Doc: "last writer wins by physical timestamps: node 0's clock runs 2 ticks ahead, and its older write beats a causally later one (course 5.1, Cassandra exercise)"})
	registerClassic(Classic{Name: "replica-resends-exhausted", Protocol: "replica", Flags: "-drops 2", Breaks: replica.PropConvergence,
		Doc: "bounded resends stand for anti-entropy forever only up to as many losses: two drops beat one resend"})
}

func replicaEntry() *Entry {
	var stores []string
	for _, s := range replica.Stores() {
		stores = append(stores, s.String())
	}
	d := replica.DefaultParams()
	e := &Entry{
		Name:    "replica",
		Summary: "replicas of a key under retries and anti-entropy: naive, last-writer-wins (Lamport or physical timestamps), multi-value register",
		Section: "5.1",
		Params: []Param{
			{Name: "store", Doc: "how a replica keeps the key and merges", Default: int(d.Store), Max: len(stores) - 1, Choices: stores},
			{Name: "n", Doc: "replicas", Default: d.N, Min: 2, Max: replica.MaxNodes},
		},
		Mutants: replica.Mutants,
	}
	for i := range replica.MaxNodes {
		name := fmt.Sprintf("w%d", i)
		e.Params = append(e.Params, Param{Name: name, Doc: fmt.Sprintf("writes (put or remove) replica %d makes", i), Default: d.Writes[i], Max: replica.MaxWrites,
			Fits: ofNode(name, i)})
	}
	skew := Param{Name: "skew", Doc: "ticks node 0's physical clock runs ahead (physical)", Default: d.Skew, Max: replica.MaxSkew}
	skew.Fits = onlyWith(skew, e.Params[0], []int{int(replica.Physical)}, nil, "only physical timestamps read a clock")
	e.Params = append(e.Params,
		Param{Name: "retries", Doc: "resends of the store after a write", Default: d.Retries, Max: replica.MaxRetries},
		skew,
	)
	return nodeProtocol[replica.State, replica.Msg]{
		props: replica.Properties(),
		// A check evaluates convergence and no-causal-loss (and, where it
		// applies, no-older-overwrite and maximal-versions) — those the
		// store does not guarantee are its counterexamples — and the
		// store's own witnesses.
		choose: func(params map[string]int) []string { return replica.Store(params["store"]).Checked() },
		leftOut: func(params map[string]int, p spec.Property[replica.State, replica.Msg]) string {
			if p.Kind == spec.Sometimes {
				var by []string
				for _, s := range replica.Stores() {
					if slices.Contains(s.Witnesses(), p.Name) {
						by = append(by, s.String())
					}
				}
				return fmt.Sprintf("a witness of -store %s only", orList(by))
			}
			if p.Name == replica.PropNoOlder {
				return "naive versions carry no timestamp to compare; -all to include"
			}
			var by []string
			for _, s := range replica.Stores() {
				if slices.Contains(s.Guarantees(), p.Name) {
					by = append(by, s.String())
				}
			}
			return fmt.Sprintf("promised only by -store %s; -all to include", orList(by))
		},
		// With one replica writing, no two writes are concurrent.
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			skip := map[string]string{}
			for _, name := range replicaParams(params, "").Unreachable() {
				skip[name] = "fewer than two replicas write, so no two writes are concurrent"
			}
			return skip
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[replica.State, replica.Msg], []spec.WorkItem[replica.Msg], error) {
			proto, err := replica.New(replicaParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return proto, proto.Workload(), nil
		},
	}.install(e)
}

// replicaParams builds the protocol's parameters from the resolved flags.
func replicaParams(params map[string]int, mutant string) replica.Params {
	p := replica.Params{
		Store:   replica.Store(params["store"]),
		N:       params["n"],
		Retries: params["retries"],
		Skew:    params["skew"],
		Mutant:  mutant,
	}
	for i := range replica.MaxNodes {
		p.Writes[i] = params[fmt.Sprintf("w%d", i)]
	}
	return p
}
