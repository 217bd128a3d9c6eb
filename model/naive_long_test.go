//go:build long

package model_test

import (
	"fmt"
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

// longCases are bigger configurations for the differential test, closer
// to the protocols' default checks (go test -tags long ./model).
func longCases() []diffCase {
	var cs []diffCase
	for _, cfg := range []model.Config{recoverMid, {Network: model.FIFO, Drops: 2, Dups: 1}} {
		cs = append(cs, caseOf("ping", spec.Protocol[pingState, pingMsg](ping{n: 2}), cfg, pingWork(), props()))
	}
	cs = append(cs, caseOf("hello", spec.Protocol[helloState, helloMsg](hello{}), model.Config{Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true, Network: model.FIFO}, nil, needs[helloState, helloMsg](spec.NeedsHappensBefore)))

	ck := must(clocks.New(clocks.DefaultParams()))
	cs = append(cs, caseOf("clocks", spec.Protocol[clocks.State, clocks.Msg](ck), lossy, ck.Workload(), clocks.Properties()))

	q := must(quorum.New(quorum.DefaultParams()))
	for _, cfg := range []model.Config{stop1, {Network: model.FIFO, Drops: 1}} {
		cs = append(cs, caseOf("quorum", spec.Protocol[quorum.State, quorum.Msg](q), cfg, q.Workload(), quorum.Properties()))
	}

	r := must(rpc.New(rpc.DefaultParams()))
	for _, cfg := range []model.Config{{Crashes: 1, CrashMode: model.CrashRecover, CrashMidStep: true}, recoverMid, {Drops: 1, Dups: 1}} {
		cs = append(cs, caseOf("rpc", spec.Protocol[rpc.State, rpc.Msg](r), cfg, r.Workload(), rpc.Properties()))
	}

	tg := must(twogenerals.New(twogenerals.Params{K: 4}))
	cs = append(cs, caseOf("twogenerals", spec.Protocol[twogenerals.State, twogenerals.Msg](tg), model.Config{Drops: 2, Dups: 1}, tg.Workload(), twogenerals.Properties()))

	bz := must(byzantine.New(byzantine.DefaultParams()))
	for _, tr := range []int{0, 1} {
		cs = append(cs, caseOf("byzantine", spec.Protocol[byzantine.State, byzantine.Msg](bz), model.Config{Byzantine: 1 << tr}, bz.Workload(), byzantine.Properties()))
	}

	d := must(detector.New(detector.Params{N: 2}))
	for _, cfg := range []model.Config{recoverMid, {PartialSync: true, Drops: 1, Crashes: 2, CrashMode: model.CrashRecover, CrashMidStep: true}} {
		cs = append(cs, caseOf("detector", spec.Protocol[detector.State, detector.Msg](d), cfg, d.Workload(), detector.Properties()))
	}

	rp := must(replica.New(replica.Params{Store: replica.LWW, N: 3, Writes: [replica.MaxNodes]int{1}, Retries: 0}))
	cs = append(cs, caseOf("replica-n3", spec.Protocol[replica.State, replica.Msg](rp), recoverMid, rp.Workload(), nil))
	mv := must(replica.New(replica.Params{Store: replica.MV, N: 2, Writes: [replica.MaxNodes]int{1, 1}, Retries: 1}))
	cs = append(cs, caseOf("replica-mv", spec.Protocol[replica.State, replica.Msg](mv), lossyFIFO, mv.Workload(), replica.Properties()))

	rf := must(raft.New(raft.Params{N: 3, MaxTerm: 1, Requests: 1, Candidates: 1}))
	cs = append(cs, caseOf("raft", spec.Protocol[raft.State, raft.Msg](rf), model.Config{Drops: 1, Crashes: 1, CrashMode: model.CrashRecover}, rf.Workload(), raft.Properties()))

	for _, sc := range []string{"basic", "retry"} {
		k := must(kv.New(kv.Params{Raft: raft.Params{N: 2, MaxTerm: 1, Candidates: 1, MaxBeats: 1}, Scenario: sc}))
		for _, cfg := range []model.Config{reliable, recover1} {
			cs = append(cs, caseOf("kv-"+sc, spec.Protocol[kv.State, kv.Msg](k), cfg, k.Workload(), kv.Properties(k)))
		}
	}

	for _, a := range broadcast.Algorithms() {
		b := must(broadcast.New(broadcast.Params{Algorithm: a, N: 3, Sends: [broadcast.MaxNodes]int{1, 1}, Fanout: 1, Retries: 1}))
		cs = append(cs, caseOf(fmt.Sprintf("broadcast-%v", a), spec.Protocol[broadcast.State, broadcast.Msg](b), stopMid, b.Workload(), broadcast.Properties()))
	}
	return cs
}

func TestModelAgreesWithANaiveCompositionLong(t *testing.T) {
	for _, c := range longCases() {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			got := c.run(t, c.name)
			t.Logf("%d states, %d transitions, %v", got.states, got.transitions, time.Since(start).Round(time.Millisecond))
		})
	}
}
