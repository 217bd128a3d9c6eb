package raft_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// failer is what catchUp needs of a *testing.T or a *rapid.T.
type failer interface {
	Helper()
	Fatalf(format string, args ...any)
	Fatal(args ...any)
}

// run returns es followed by count entries of term (es itself is not
// written: logs built from one prefix stay apart).
func run(es []raft.Entry, term int32, count int) []raft.Entry {
	es = slices.Clip(es)
	for range count {
		es = append(es, raft.Entry{Term: term, Val: int32(len(es) + 1)})
	}
	return es
}

// catchUp plays a leader (n0, of a term after every entry's) and one
// follower (n1) through Step: the leader's heartbeat sends a LogRequest
// from the leader's log length, and each LogRequest and its LogResponse
// are delivered in turn until the leader sends n1 nothing more. It
// returns the round trips (request and response) and both final states.
func catchUp(t failer, leaderLog, followerLog []raft.Entry, limit int) (int, raft.State, raft.State) {
	t.Helper()
	p, err := raft.New(raft.RuntimeParams(3))
	if err != nil {
		t.Fatal(err)
	}
	ll, fl := raft.LogOf(leaderLog...), raft.LogOf(followerLog...)
	l := raft.State{ID: 0, Term: max(ll.LastTerm(), fl.LastTerm()) + 1, VotedFor: 0, Log: ll, Role: raft.Leader, Leader: 0}
	l.Sent[1], l.Sent[2], l.Acked[0] = int32(ll.Len()), int32(ll.Len()), int32(ll.Len())
	f := raft.State{ID: 1, Term: fl.LastTerm(), VotedFor: -1, Log: fl, Leader: -1}
	toFollower := func(outs []spec.Output[raft.Msg]) (raft.Msg, bool) {
		for _, o := range outs {
			if o.Kind == spec.Send && o.To == 1 {
				return o.Msg, true
			}
		}
		return raft.Msg{}, false
	}
	l, outs := p.Step(l, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: raft.Heartbeat})
	trips := 0
	for req, ok := toFollower(outs); ok; req, ok = toFollower(outs) {
		if trips++; trips > limit {
			t.Fatalf("more than %d round trips: leader %s, follower %s", limit, p.FormatState(l), p.FormatState(f))
		}
		var fouts []spec.Output[raft.Msg]
		f, fouts = p.Step(f, spec.Input[raft.Msg]{Kind: spec.Receive, From: 0, Msg: req})
		var resp raft.Msg
		for _, o := range fouts {
			if o.Kind == spec.Send && o.To == 0 && o.Msg.Kind == raft.LogResponse {
				resp = o.Msg
			}
		}
		if resp.Kind != raft.LogResponse {
			t.Fatalf("n1 did not answer %s", p.FormatMsg(req))
		}
		l, outs = p.Step(l, spec.Input[raft.Msg]{Kind: spec.Receive, From: 1, Msg: resp})
	}
	if !f.Log.Equal(l.Log) || l.Acked[1] != int32(l.Log.Len()) {
		t.Fatalf("after %d round trips n1 holds %d entries (last t%d), the leader %d (last t%d), acked %d",
			trips, f.Log.Len(), f.Log.LastTerm(), l.Log.Len(), l.Log.LastTerm(), l.Acked[1])
	}
	return trips, l, f
}

// A follower 10,000 entries behind the leader, holding 5,000 entries of
// k terms the leader never had (interleaved with the leader's own terms),
// after 100 shared entries, catches up in k+2 round trips: a length hint
// (it is shorter), one hint per divergent term, and the success that
// sends it the 10,000 entries. Backing off one entry per refusal took
// 10,001 round trips whatever k.
//
//	go test ./spec/raft -run TestCatchUpTakesARoundTripPerTermNotPerEntry -v
func TestCatchUpTakesARoundTripPerTermNotPerEntry(t *testing.T) {
	const shared, ahead, divergent = 100, 10_000, 5_000
	for _, k := range []int{1, 2, 10, 100, 1000} {
		t.Run(fmt.Sprintf("%d terms", k), func(t *testing.T) {
			base := run(nil, 1, shared)
			// The follower's terms are even, 2..2k; the leader's odd,
			// 3..2k+1: no term is in both, as in any two Raft logs past
			// the point where they part.
			follower, leader := base, base
			for j := range k {
				follower = run(follower, int32(2+2*j), divergent/k+boolInt(j < divergent%k))
				leader = run(leader, int32(3+2*j), ahead/k+boolInt(j < ahead%k))
			}
			if len(leader)-shared != ahead || len(follower)-shared != divergent {
				t.Fatalf("built %d and %d entries", len(leader), len(follower))
			}
			trips, _, _ := catchUp(t, leader, follower, 20_000)
			t.Logf("%d entries behind, %d divergent terms: %d round trips", ahead, k, trips)
			if trips != k+2 {
				t.Errorf("%d round trips for %d divergent terms, want %d", trips, k, k+2)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Each shape of disagreement, with the round trips it takes: the hint
// lands the leader on the longest shared prefix (or the start of a
// shared term's run) in every case.
func TestCatchUpInEveryShape(t *testing.T) {
	shared := run(nil, 1, 50)
	cases := []struct {
		name             string
		leader, follower []raft.Entry
		trips            int
	}{
		{"follower shorter, no conflict", run(run(shared, 2, 500), 4, 500), shared, 2},
		{"follower empty", run(run(shared, 2, 500), 4, 500), nil, 2},
		{"follower longer, conflicting suffix", run(shared, 3, 10), run(shared, 2, 10_000), 2},
		{"follower as long, conflicting suffix", run(shared, 3, 300), run(shared, 2, 300), 2},
		{"conflict in the middle, leader holds fewer of a shared term", run(run(shared, 2, 5), 5, 1000), run(run(run(shared, 2, 40), 3, 40), 4, 40), 5},
		{"conflict in the middle, leader holds more of a shared term", run(run(shared, 2, 40), 5, 1000), run(run(run(shared, 2, 5), 3, 40), 4, 40), 4},
		{"only the last entry differs", run(shared, 3, 1), run(shared, 2, 1), 2},
		{"logs equal", shared, shared, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if trips, _, _ := catchUp(t, c.leader, c.follower, 5_000); trips != c.trips {
				t.Errorf("%d round trips, want %d", trips, c.trips)
			}
		})
	}
}

// For any two logs Raft can produce — a shared prefix, then suffixes
// whose terms differ, except that one of them may hold more entries of
// the last shared term — the follower catches up, and in at most k+2
// round trips, k being the number of terms among its own entries past
// the shared prefix.
func TestCatchUpIsBoundedByTheFollowersTerms(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var shared []raft.Entry
		term := int32(0)
		for range rapid.IntRange(0, 4).Draw(rt, "shared terms") {
			term += int32(rapid.IntRange(1, 2).Draw(rt, "step"))
			shared = run(shared, term, rapid.IntRange(1, 20).Draw(rt, "shared run"))
		}
		leader, follower := shared, shared
		k := 0
		if term > 0 && rapid.Bool().Draw(rt, "extend the last shared term") {
			more := rapid.IntRange(1, 20).Draw(rt, "more")
			if rapid.Bool().Draw(rt, "the leader has more") {
				leader = run(leader, term, more)
			} else {
				follower, k = run(follower, term, more), 1
			}
		}
		// Terms past the shared prefix go to one log or the other, never
		// both; the leader's are the later ones at the end.
		for range rapid.IntRange(0, 12).Draw(rt, "divergent terms") {
			term++
			n := rapid.IntRange(1, 30).Draw(rt, "divergent run")
			if rapid.Bool().Draw(rt, "to the follower") {
				follower, k = run(follower, term, n), k+1
			} else {
				leader = run(leader, term, n)
			}
		}
		leader = run(leader, term+1, rapid.IntRange(1, 30).Draw(rt, "leader's own"))
		trips, _, _ := catchUp(rt, leader, follower, 10_000)
		if trips > k+2 {
			rt.Fatalf("%d round trips, follower has %d divergent terms", trips, k)
		}
	})
}

// A refusal moves the leader's sentLength back, never forward, whatever
// its hint: one that answers an older request and points at or past the
// current sentLength (here 3, hints 3 and 7) takes it one entry back; at
// 0 the leader has nothing further back to try and sends nothing. A
// refusal for a stale term alone carries the refuser's log length.
func TestARefusalNeverMovesTheLeaderForward(t *testing.T) {
	p, err := raft.New(raft.RuntimeParams(3))
	if err != nil {
		t.Fatal(err)
	}
	log := raft.LogOf(run(run(nil, 1, 4), 2, 4)...)
	leader := raft.State{ID: 0, Term: 3, VotedFor: 0, Log: log, Role: raft.Leader, Leader: 0}
	for _, c := range []struct {
		sent, hint, hintTerm int32
		want                 int32
		resend               bool
	}{
		{3, 3, 0, 2, true},  // stale: a length hint at sentLength
		{3, 7, 0, 2, true},  // stale: a length hint past it
		{3, 1, 0, 1, true},  // a length hint below it
		{8, 2, 1, 4, true},  // the leader's last entry of term 1 ends at 4
		{8, 5, 2, 7, true},  // the leader's term 2 runs to its end: one back, to 7
		{3, 0, 5, 0, true},  // a term the leader lacks: resume at the hint
		{0, 5, 0, 0, false}, // nothing further back
	} {
		s := leader
		s.Sent[1] = c.sent
		refusal := raft.Msg{Kind: raft.LogResponse, From: 1, Term: 3, Hint: c.hint, HintTerm: c.hintTerm}
		s, outs := p.Step(s, spec.Input[raft.Msg]{Kind: spec.Receive, From: 1, Msg: refusal})
		if s.Sent[1] != c.want || (len(outs) == 1) != c.resend {
			t.Errorf("sentLength %d, %s: sentLength %d with %d outputs, want %d (resend %v)", c.sent, p.FormatMsg(refusal), s.Sent[1], len(outs), c.want, c.resend)
		}
		if c.resend && (outs[0].Msg.Kind != raft.LogRequest || outs[0].Msg.PrefixLen != c.want || outs[0].Msg.Suffix.Len() != log.Len()-int(c.want)) {
			t.Errorf("sentLength %d, %s: resent %s", c.sent, p.FormatMsg(refusal), p.FormatMsg(outs[0].Msg))
		}
	}

	// n1, in term 3, refuses a LogRequest of term 2 that its log matches:
	// the refusal carries term 3 and n1's length.
	f := raft.State{ID: 1, Term: 3, VotedFor: 0, Log: log.Slice(0, 5), Leader: 0}
	_, outs := p.Step(f, spec.Input[raft.Msg]{Kind: spec.Receive, From: 2, Msg: raft.Msg{Kind: raft.LogRequest, From: 2, Term: 2, PrefixLen: 4, PrefixTer: 1}})
	var resp raft.Msg
	for _, o := range outs {
		if o.Kind == spec.Send && o.Msg.Kind == raft.LogResponse {
			resp = o.Msg
		}
	}
	if resp.Granted || resp.Term != 3 || resp.Hint != 5 || resp.HintTerm != 0 {
		t.Errorf("refusal of a stale term: %s (hint %d/t%d)", p.FormatMsg(resp), resp.Hint, resp.HintTerm)
	}
}
