package catalog

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
)

func init() { register(broadcastEntry()) }

func broadcastEntry() *Entry {
	var algos, machines []string
	for _, a := range broadcast.Algorithms() {
		algos = append(algos, a.String())
	}
	for _, m := range broadcast.Machines() {
		machines = append(machines, m.String())
	}
	d := broadcast.DefaultParams(broadcast.Eager)
	e := &Entry{
		Name:    "broadcast",
		Summary: "the broadcast hierarchy (best-effort … FIFO-total order) and state machine replication",
		Section: "4.2, 4.3, 5.3",
		Params: []Param{
			{Name: "n", Doc: "nodes", Default: d.N, Min: 2, Max: broadcast.MaxNodes},
			{Name: "algo", Doc: "algorithm", Default: int(broadcast.Eager), Max: len(algos) - 1, Choices: algos},
		},
		Mutants: broadcast.Mutants,
	}
	for i := range broadcast.MaxNodes {
		name := fmt.Sprintf("b%d", i)
		e.Params = append(e.Params, Param{Name: name, Doc: fmt.Sprintf("messages node %d broadcasts", i), Default: d.Sends[i], Max: broadcast.MaxPerNode,
			Fits: ofNode(name, i)})
	}
	algo := e.Params[1]
	fanout := Param{Name: "fanout", Doc: "peers a gossip round forwards to", Default: d.Fanout, Min: 1, Max: broadcast.MaxNodes - 1}
	fanout.Fits = allOf(
		onlyWith(fanout, algo, []int{int(broadcast.Gossip)}, nil, "only gossip forwards to chosen peers"),
		atMost("fanout", "n", -1, "a node forwards to its peers at most"))
	retries := Param{Name: "retries", Doc: "resends per message (fanout)", Default: d.Retries, Max: 3}
	retries.Fits = onlyWith(retries, algo, []int{int(broadcast.FanOut)}, nil, "only fan-out resends unacknowledged messages")
	e.Params = append(e.Params, fanout, retries,
		Param{Name: "machine", Doc: "replicated state machine fed by the deliveries", Default: int(broadcast.None), Max: len(machines) - 1, Choices: machines},
		Param{Name: "live", Doc: "1: check validity and agreement as liveness (eventual-validity, eventual-agreement) on fair lassos, instead of at quiescence", Max: 1},
	)
	return broadcastProtocol().install(e)
}

// broadcastProtocol is the broadcast entry's protocol under the model.
func broadcastProtocol() nodeProtocol[broadcast.State, broadcast.Msg] {
	return nodeProtocol[broadcast.State, broadcast.Msg]{
		props: broadcast.Properties(),
		// A check proves what the algorithm's level promises (and the
		// state machine's convergence, and the sometimes properties); -all
		// and the hierarchy also show what it does not promise.
		choose: func(params map[string]int) []string {
			level, _ := broadcast.LevelOf(broadcast.Algorithm(params["algo"]))
			names := append(level.Guarantees(), broadcast.PropConvergence)
			if params["live"] == 1 {
				names = liveForms(names)
			}
			for _, p := range broadcast.Properties() {
				if p.Kind == spec.Sometimes {
					names = append(names, p.Name)
				}
			}
			return names
		},
		// Causal chains and concurrency need two nodes that broadcast.
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			senders := 0
			for i := range params["n"] {
				if params[fmt.Sprintf("b%d", i)] > 0 {
					senders++
				}
			}
			if senders >= 2 {
				return nil
			}
			why := "only one node broadcasts, so no message follows or is concurrent with another node's"
			return map[string]string{"causal-chain": why, "concurrent-broadcasts": why}
		},
		leftOut: func(params map[string]int, p spec.Property[broadcast.State, broadcast.Msg]) string {
			a := broadcast.Algorithm(params["algo"])
			level, _ := broadcast.LevelOf(a)
			switch live := params["live"] == 1; {
			case p.Kind.Live() && !live:
				return "liveness, checked on fair lassos with -live 1"
			case !live:
			case liveForm[p.Name] != "" && slices.Contains(level.Guarantees(), p.Name):
				return fmt.Sprintf("checked as liveness instead (%s), with -live 1", liveForm[p.Name])
			}
			return fmt.Sprintf("not promised by algorithm %s (level: %s); -all to include", a, level)
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[broadcast.State, broadcast.Msg], []spec.WorkItem[broadcast.Msg], error) {
			proto, err := broadcast.New(BroadcastParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return proto, proto.Workload(), nil
		},
	}
}

// liveForm names the liveness form of a property checked at quiescence.
var liveForm = map[string]string{
	broadcast.PropValidity:  broadcast.PropEventualValidity,
	broadcast.PropAgreement: broadcast.PropEventualAgreement,
}

// liveForms replaces validity and agreement by their liveness forms.
func liveForms(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if f, ok := liveForm[n]; ok {
			n = f
		}
		out = append(out, n)
	}
	return out
}
