package protocols

import (
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/ftcommit"
)

func init() {
	register(entry("ftcommit",
		"one transaction per round: each participant votes yes or no at random (seeded) as it starts and broadcasts its vote through the sequencer; a participant whose suspicion timer (30–60 ms) fires before another's vote is delivered votes no for it; a client asks each participant for its outcome; checks agreement, commit-means-counted-yes, validity and all-decide",
		ftcommitTimers, ftcommitTarget))
}

// ftcommitTimers: a participant's suspicion of each other participant,
// 30–60 ms, well above a vote's trip through the sequencer.
var ftcommitTimers = func() map[string]impl.TimerSpec {
	m := map[string]impl.TimerSpec{}
	p, _ := ftcommit.New(ftcommit.Params{Participants: ftcommit.MaxParticipants})
	for r := 1; r <= ftcommit.MaxParticipants; r++ {
		m[p.TimerName(spec.Timer(r))] = impl.TimerSpec{Base: 30 * time.Millisecond, Jitter: 30 * time.Millisecond}
	}
	return m
}()

func ftcommitTarget(params map[string]int, mutant string) (*Target[ftcommit.State, ftcommit.Msg], error) {
	p, err := ftcommit.New(catalog.FTCommitParams(params, mutant))
	if err != nil {
		return nil, err
	}
	// A false suspicion, or a commit, hangs on the round's timing and
	// votes: no witness is expected.
	return &Target[ftcommit.State, ftcommit.Msg]{
		Name: "ftcommit", Protocol: p, Work: p.Asks(),
		Properties: ftcommit.Properties(),
		Timers:     ftcommitTimers,
		// A client's ask is answered by the participant's outcome: one
		// client per participant, each keyed by it.
		Replies: impl.Replies[ftcommit.Msg]{
			Key: func(req ftcommit.Msg) uint64 { return uint64(req.Ballot.Voter) },
			Reply: func(node spec.NodeID, obs ftcommit.Msg) (uint64, bool) {
				return uint64(node), node != ftcommit.Sequencer && obs.Kind == ftcommit.Decided
			},
		},
	}, nil
}
