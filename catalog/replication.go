package catalog

import (
	"github.com/distsys/distsys/spec/broadcast"
)

// ReplicationAlgorithms are the columns of the replication table: reliable,
// causal and total-order broadcast.
var ReplicationAlgorithms = []broadcast.Algorithm{broadcast.Eager, broadcast.Causal, broadcast.Sequencer}
