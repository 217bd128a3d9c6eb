package catalog

import (
	"fmt"

	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/spec/kv"
	"github.com/distsys/distsys/spec/quorum"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/spec/rpc"
)

// The functions below read a protocol's parameters, as the catalog names
// them (resolved: every parameter present), into the protocol's Params.
// The checker's entries and the runtime (impl/protocols) both build their
// protocols through them, so a flag means the same thing in `check` and
// in `run`.

// RaftParams reads the raft entry's parameters.
func RaftParams(params map[string]int, mutant string) raft.Params {
	return raft.Params{
		N: params["n"], MaxTerm: params["maxterm"], Candidates: params["candidates"],
		Requests: params["requests"], MaxBeats: params["beats"], SnapshotEvery: params["snapshot"], Mutant: mutant,
		Pipeline: params["pipeline"], Batch: params["batch"] == 1,
	}
}

// KVParams reads the kv entry's parameters.
func KVParams(params map[string]int, mutant string) kv.Params {
	return kv.Params{
		Raft: raft.Params{N: params["n"], MaxTerm: params["maxterm"],
			Candidates: params["candidates"], MaxBeats: params["beats"], SnapshotEvery: params["snapshot"],
			Pipeline: params["pipeline"], Batch: params["batch"] == 1},
		Scenario: kv.ScenarioNames[params["scenario"]],
		Mutant:   mutant,
	}
}

// QuorumParams reads the quorum entry's parameters.
func QuorumParams(params map[string]int, mutant string) quorum.Params {
	return quorum.Params{
		N: params["n"], W: params["w"], R: params["r"],
		Writes: params["writes"], Reads: params["reads"], Readers: params["readers"], Writers: params["writers"],
		WriteBack: params["writeback"] == 1, Mutant: mutant,
	}
}

// RPCParams reads the rpc entry's parameters.
func RPCParams(params map[string]int, mutant string) rpc.Params {
	return rpc.Params{Semantics: rpc.Semantics(params["sem"]), Ops: params["ops"], Retries: params["retries"], Mutant: mutant}
}

// BroadcastParams reads the broadcast entry's parameters.
func BroadcastParams(params map[string]int, mutant string) broadcast.Params {
	p := broadcast.Params{
		Algorithm: broadcast.Algorithm(params["algo"]),
		N:         params["n"],
		Fanout:    params["fanout"],
		Retries:   params["retries"],
		Machine:   broadcast.Machine(params["machine"]),
		Mutant:    mutant,
	}
	for i := range broadcast.MaxNodes {
		p.Sends[i] = params[fmt.Sprintf("b%d", i)]
	}
	return p
}
