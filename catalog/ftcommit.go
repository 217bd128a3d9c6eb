package catalog

import (
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ftcommit"
)

func init() {
	register(ftcommitEntry())
	registerClassic(Classic{Name: "ftcommit-reliable-broadcast", Protocol: "ftcommit", Flags: "-broadcast reliable", Breaks: ftcommit.PropAgreement,
		Doc: "fault-tolerant 2PC over reliable instead of total order broadcast: a participant's own yes and a proxy no for it reach two participants in opposite orders; one counts yes and commits, the other counts no and aborts (course 7.1)"})
}

func ftcommitEntry() *Entry {
	var broadcast []string
	for _, b := range ftcommit.Broadcasts() {
		broadcast = append(broadcast, b.String())
	}
	d := ftcommit.DefaultParams()
	e := &Entry{
		Name:    "ftcommit",
		Summary: "fault-tolerant two-phase commit after Paxos Commit: votes by total order broadcast, a suspected participant voted no for, the first vote per participant counts",
		Section: "7.1",
		Params: []Param{
			{Name: "n", Doc: "participants (node 0 is the sequencer of total order broadcast)", Default: d.Participants, Min: 2, Max: ftcommit.MaxParticipants},
			{Name: "broadcast", Doc: "how votes are broadcast: total order (through the sequencer) or reliable (straight to every participant, in any order)", Default: int(d.Broadcast), Max: len(broadcast) - 1, Choices: broadcast},
		},
		Mutants: ftcommit.Mutants,
	}
	return nodeProtocol[ftcommit.State, ftcommit.Msg]{
		props: ftcommit.Properties(),
		build: func(params map[string]int, mutant string) (spec.Protocol[ftcommit.State, ftcommit.Msg], []spec.WorkItem[ftcommit.Msg], error) {
			p, err := ftcommit.New(FTCommitParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// FTCommitParams reads the ftcommit entry's parameters.
func FTCommitParams(params map[string]int, mutant string) ftcommit.Params {
	return ftcommit.Params{Participants: params["n"], Broadcast: ftcommit.Broadcast(params["broadcast"]), Mutant: mutant}
}
