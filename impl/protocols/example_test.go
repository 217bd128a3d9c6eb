package protocols_test

import (
	"fmt"

	"github.com/distsys/distsys/impl/protocols"
	"github.com/distsys/distsys/spec/quorum"
)

// Run the quorum register with write-back for one round on a reliable
// network: four writes and eight reads by two readers, checked by replay,
// by the spec's properties and by porcupine.
func ExampleRun() {
	p, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Readers: 2, WriteBack: true})
	res, err := protocols.Run(protocols.QuorumTarget(p, linWork(p, 4, 8, 2)), protocols.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d operations, %d answered\n", res.Ops, res.Answered)
	fmt.Println("replay:", res.Replay)
	for _, p := range res.Properties {
		if p.Kind.String() != "sometimes" {
			fmt.Printf("%s: held in %d round(s)\n", p.Property, p.Held)
		}
	}
	fmt.Printf("linearizable: %d of %d histories\n", res.Lin.Ok, res.Rounds)
	// Output:
	// 12 operations, 12 answered
	// replay: <nil>
	// read-after-write: held in 1 round(s)
	// read-after-read: held in 1 round(s)
	// replica-monotonic: held in 1 round(s)
	// linearizable: 1 of 1 histories
}
