package model_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/spec/byzantine"
	"github.com/distsys/distsys/spec/clocks"
	"github.com/distsys/distsys/spec/detector"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/quorum"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/spec/replica"
	"github.com/distsys/distsys/spec/rpc"
	"github.com/distsys/distsys/spec/twogenerals"
)

// Short names of the system models the differential cases use.
var (
	reliable   = model.Config{}
	fifo       = model.Config{Network: model.FIFO}
	lossy      = model.Config{Drops: 1}
	lossyFIFO  = model.Config{Network: model.FIFO, Drops: 1, Dups: 1}
	dupy       = model.Config{Dups: 1}
	stop1      = model.Config{Crashes: 1}
	stopMid    = model.Config{Crashes: 1, CrashMidStep: true}
	recover1   = model.Config{Crashes: 1, CrashMode: model.CrashRecover}
	recoverMid = model.Config{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true}
	psync      = model.Config{PartialSync: true, Drops: 1}
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A differential case: one protocol, one system model, one ghost choice.
type diffCase struct {
	name string
	run  func(t *testing.T, name string) counts
}

func caseOf[S, M any](name string, proto spec.Protocol[S, M], cfg model.Config, work []spec.WorkItem[M], props []spec.Property[S, M]) diffCase {
	return diffCase{name: fmt.Sprintf("%s_%v", name, cfgName(cfg)), run: func(t *testing.T, name string) counts {
		return compare(t, name, proto, cfg, work, props)
	}}
}

func cfgName(c model.Config) string {
	s := c.Network.String()
	if c.Drops > 0 {
		s += fmt.Sprintf(",drops%d", c.Drops)
	}
	if c.Dups > 0 {
		s += fmt.Sprintf(",dups%d", c.Dups)
	}
	if c.Crashes > 0 {
		s += fmt.Sprintf(",crash-%s%d", c.CrashMode, c.Crashes)
	}
	if c.CrashMidStep {
		s += ",mid-step"
	}
	if c.Byzantine != 0 {
		s += fmt.Sprintf(",byzantine%b", c.Byzantine)
	}
	if c.PartialSync {
		s += ",psync"
	}
	return s
}

// differentialCases are small configurations of every model-based
// protocol (and of the model's own test protocols), together covering both
// networks, drops, duplications, crash-stop, crash-recovery, crashes
// mid-step (recoveries and Start steps cut included), timers, requests,
// choices, partial synchrony, byzantine forging (an empty domain
// included) and the four ghost states.
func differentialCases() []diffCase {
	var cs []diffCase
	// The model's test protocols.
	for _, cfg := range []model.Config{reliable, lossy, lossyFIFO, recover1, psync} {
		cs = append(cs, caseOf("ping", spec.Protocol[pingState, pingMsg](ping{n: 2}), cfg, pingWork(), props()))
	}
	cs = append(cs,
		caseOf("ping-hb", spec.Protocol[pingState, pingMsg](ping{n: 2, same: true}), dupy, pingWork(), []spec.Property[pingState, pingMsg]{observedOnce}),
		caseOf("fan-picky", spec.Protocol[fanState, fanMsg](fan{picky: true}), stopMid, fanWork, nil),
		caseOf("fan-byzantine", spec.Protocol[fanState, fanMsg](fan{}), model.Config{Byzantine: 1, Drops: 1}, fanWork, nil),
		caseOf("hello", spec.Protocol[helloState, helloMsg](hello{}), model.Config{Crashes: 2, CrashMidStep: true}, nil, nil),
		caseOf("aba", spec.Protocol[int, byte](aba{}), model.Config{Network: model.FIFO, Drops: 2, Dups: 2}, abaWork, nil),
		caseOf("hello2", spec.Protocol[helloState, helloMsg](hello{n: 2}), model.Config{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true, Network: model.FIFO}, nil, needs[helloState, helloMsg](spec.NeedsHappensBefore|spec.NeedsHistory)),
	)

	// clocks: happens-before ghost; requests with choices.
	ck := must(clocks.New(clocks.Params{N: 2, Events: 2}))
	for _, cfg := range []model.Config{reliable, fifo, lossy} {
		cs = append(cs, caseOf("clocks", spec.Protocol[clocks.State, clocks.Msg](ck), cfg, ck.Workload(), clocks.Properties()))
	}

	// quorum: real-time history.
	q := must(quorum.New(quorum.Params{N: 2, W: 1, R: 1, Writes: 1, Reads: 1, Readers: 1}))
	for _, cfg := range []model.Config{reliable, {Network: model.FIFO, Dups: 1}, stop1} {
		cs = append(cs, caseOf("quorum", spec.Protocol[quorum.State, quorum.Msg](q), cfg, q.Workload(), quorum.Properties()))
	}

	// rpc: local-order ghost; timers; recoveries that send (Restarted).
	for _, sem := range []rpc.Semantics{rpc.AtLeastOnce, rpc.ExactlyOnce} {
		r := must(rpc.New(rpc.Params{Semantics: sem, Ops: 1, Retries: 1}))
		for _, cfg := range []model.Config{lossy, dupy, recoverMid} {
			cs = append(cs, caseOf(fmt.Sprintf("rpc-%v", sem), spec.Protocol[rpc.State, rpc.Msg](r), cfg, r.Workload(), rpc.Properties()))
		}
	}

	// twogenerals: messengers lost.
	tg := must(twogenerals.New(twogenerals.DefaultParams()))
	for _, cfg := range []model.Config{model.Config{Drops: 2}, stopMid} {
		cs = append(cs, caseOf("twogenerals", spec.Protocol[twogenerals.State, twogenerals.Msg](tg), cfg, tg.Workload(), twogenerals.Properties()))
	}

	// byzantine: forging, a traitor with nothing to forge.
	bz3 := must(byzantine.New(byzantine.Params{N: 3}))
	for tr := range 3 {
		cs = append(cs, caseOf("byzantine3", spec.Protocol[byzantine.State, byzantine.Msg](bz3), model.Config{Byzantine: 1 << tr}, bz3.Workload(), byzantine.Properties()))
	}
	bz4 := must(byzantine.New(byzantine.Params{N: 4}))
	cs = append(cs, caseOf("byzantine4-mute", spec.Protocol[byzantine.State, byzantine.Msg](mute{Protocol: bz4, traitor: 2, steps: new(atomic.Int64)}), model.Config{Byzantine: 1 << 2}, bz4.Workload(), byzantine.Properties()))

	// detector: Start and recovery steps that send; partial synchrony.
	d := must(detector.New(detector.Params{N: 2}))
	for _, cfg := range []model.Config{psync, recover1, {Crashes: 1, CrashMidStep: true, PartialSync: true}} {
		cs = append(cs, caseOf("detector", spec.Protocol[detector.State, detector.Msg](d), cfg, d.Workload(), detector.Properties()))
	}

	// replica: happens-before ghost; recovery sends its store.
	rp := must(replica.New(replica.Params{Store: replica.LWW, N: 2, Writes: [replica.MaxNodes]int{1, 1}, Retries: 0}))
	for _, cfg := range []model.Config{reliable, lossyFIFO} {
		cs = append(cs, caseOf("replica", spec.Protocol[replica.State, replica.Msg](rp), cfg, rp.Workload(), replica.Properties()))
	}
	rp2 := must(replica.New(replica.Params{Store: replica.LWW, N: 2, Writes: [replica.MaxNodes]int{1}, Retries: 0}))
	cs = append(cs, caseOf("replica-w1", spec.Protocol[replica.State, replica.Msg](rp2), recoverMid, rp2.Workload(), nil))

	// raft at a tiny bound: local-order ghost, election timers.
	rf := must(raft.New(raft.Params{N: 2, MaxTerm: 1, Requests: 1, Candidates: 1}))
	for _, cfg := range []model.Config{reliable, lossy, recover1} {
		cs = append(cs, caseOf("raft", spec.Protocol[raft.State, raft.Msg](rf), cfg, rf.Workload(), raft.Properties()))
	}

	cs = append(cs, caseOf("raft", spec.Protocol[raft.State, raft.Msg](rf), model.Config{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true, Network: model.FIFO}, rf.Workload(), raft.Properties()))

	// kv over raft, tiny: real-time history.
	k := must(kv.New(kv.Params{Raft: raft.Params{N: 2, MaxTerm: 1, Candidates: 1}, Scenario: "basic"}))
	for _, cfg := range []model.Config{reliable, {Network: model.FIFO, Drops: 1}} {
		cs = append(cs, caseOf("kv", spec.Protocol[kv.State, kv.Msg](k), cfg, k.Workload(), kv.Properties(k)))
	}

	// broadcast, several algorithms: local-order ghost; gossip chooses.
	for _, a := range []broadcast.Algorithm{broadcast.BestEffort, broadcast.FanOut, broadcast.Eager, broadcast.Gossip, broadcast.FIFO, broadcast.Causal, broadcast.Sequencer, broadcast.Lamport, broadcast.FIFOTotal} {
		b := must(broadcast.New(broadcast.Params{Algorithm: a, N: 3, Sends: [broadcast.MaxNodes]int{1}, Fanout: 1, Retries: 1}))
		cfg := stopMid
		switch a {
		case broadcast.FanOut:
			cfg = lossy
		case broadcast.Gossip:
			cfg = model.Config{Drops: 1, Crashes: 1, CrashMidStep: true}
		}
		cs = append(cs, caseOf(fmt.Sprintf("broadcast-%v", a), spec.Protocol[broadcast.State, broadcast.Msg](b), cfg, b.Workload(), broadcast.Properties()))
	}
	two := func(a broadcast.Algorithm, fanout int) *broadcast.Protocol {
		return must(broadcast.New(broadcast.Params{Algorithm: a, N: 3, Sends: [broadcast.MaxNodes]int{1, 1}, Fanout: fanout, Retries: 1}))
	}
	for _, c := range []struct {
		a      broadcast.Algorithm
		fanout int
		cfg    model.Config
	}{
		{broadcast.FIFO, 1, fifo},
		{broadcast.Causal, 1, reliable},
		{broadcast.Sequencer, 1, model.Config{Network: model.FIFO, Crashes: 1, CrashMidStep: true}},
	} {
		b := two(c.a, c.fanout)
		cs = append(cs, caseOf(fmt.Sprintf("broadcast-%v-2", c.a), spec.Protocol[broadcast.State, broadcast.Msg](b), c.cfg, b.Workload(), broadcast.Properties()))
	}
	return cs
}

// Reference: issue 10, item 9; issue 16. The model and a naive
// composition written from the documentation alone find the same number
// of worlds and transitions in every case.
func TestModelAgreesWithANaiveComposition(t *testing.T) {
	for _, c := range differentialCases() {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			got := c.run(t, c.name)
			t.Logf("%d states, %d transitions, %v", got.states, got.transitions, time.Since(start).Round(time.Millisecond))
		})
	}
}
