package protocols_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

// linWork is a workload for the linearizability tests: writes 1..writes
// at the writer, reads 1..reads spread over the readers.
func linWork(p *quorum.Protocol, writes, reads, readers int) []spec.WorkItem[quorum.Msg] {
	var w []spec.WorkItem[quorum.Msg]
	for k := 1; k <= writes; k++ {
		w = append(w, spec.WorkItem[quorum.Msg]{Node: p.Writer(), Choices: []quorum.Msg{{Kind: quorum.WriteReq, Val: int8(k)}}})
	}
	for k := 1; k <= reads; k++ {
		w = append(w, spec.WorkItem[quorum.Msg]{Node: p.Reader((k - 1) % readers), Choices: []quorum.Msg{{Kind: quorum.ReadReq, ID: int8(k)}}})
	}
	return w
}

func TestQuorumWithoutWriteBackIsNotLinearizable(t *testing.T) {
	p, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Readers: 3})
	tg := protocols.QuorumTarget(p, linWork(p, envInt("W", 20), envInt("R", 60), 3), false)
	res, err := protocols.Run(tg, protocols.Options{Seed: uint64(envInt("SEED", 1)), Ops: 8000, StopAtFailure: true,
		Network:     impl.Network{Loss: float64(envInt("LOSS", 10)) / 100, Delay: impl.Delay{Dist: "exp", Mean: time.Duration(envInt("MEAN", 200)) * time.Microsecond, Max: 2 * time.Millisecond}},
		CallTimeout: time.Duration(envInt("CT", 5)) * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rounds, %+v, replay %v, %v", res.Rounds, res.Lin, res.Replay, res.Elapsed)
	for _, p := range res.Properties {
		t.Logf("%+v", p)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
