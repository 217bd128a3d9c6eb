package quorum_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec/quorum"
)

// cx1 is the smallest configuration of course 7.2's Cx1: two replicas, a
// write quorum of both and a read quorum of one (r + w > n), one write,
// and two readers that read once each.
var cx1 = quorum.Params{N: 2, W: 2, R: 1, Writes: 1, Reads: 2, Readers: 2}

// Reference: course 7.2, Cx1, and 5.2 "even r+w > n is not linearizable":
// while a write is in progress, one read sees it and a later read, from
// another quorum, does not, because read repair does not wait for the
// repaired replicas. The shortest execution: the write reaches replica 0
// only; reader n3 reads replica 0 and returns ts=1 (its repair of replica
// 1 not yet delivered); reader n4 then reads replica 1 and returns ts=0.
func TestQuorumsWithoutWriteBackAreNotLinearizable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p   quorum.Params
		len int
	}{
		{cx1, 8},
		// The course's own shape: majorities of three, the reads from
		// {0,1} and then {1,2}.
		{quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 2, Readers: 2}, 12},
	} {
		m, res := check(t, c.p, model.Config{}, 1)
		if n := wantViolated(t, m, res, quorum.PropReadAfterRead); n != c.len {
			t.Errorf("%+v: counterexample of %d steps, pinned %d", c.p, n, c.len)
		}
	}
}

// Reference: course 7.2, ABD: a reader that writes its value back to the
// replicas that lack it and waits until a write quorum holds it before
// returning leaves a quorum holding it, which every later read quorum
// meets: the configuration of Cx1 is proved, with two readers and with
// one reader reading twice, and the witnesses show that a read did start
// after another read returned.
func TestQuorumsWithWriteBackAreLinearizable(t *testing.T) {
	t.Parallel()
	oneReader := cx1
	oneReader.Readers = 1
	for _, c := range []struct {
		p       quorum.Params
		workers []int
		want    pinned
	}{
		{cx1, []int{1}, pinned{80690, 299508, 19}},
		{oneReader, []int{1, 2}, pinned{6851, 22147, 19}},
	} {
		c.p.WriteBack = true
		for _, workers := range c.workers {
			_, res := check(t, c.p, model.Config{}, workers)
			wantOK(t, res)
			wantPinned(t, res, c.want)
		}
	}
}

// Write-back keeps what the register promised before (read-after-write,
// replica-monotonic) under the faults it is built for, and a write-back
// raises stale replicas as read repair did.
func TestWriteBackKeepsTheRegistersGuaranteesUnderFaults(t *testing.T) {
	t.Parallel()
	p := quorum.DefaultParams()
	p.WriteBack = true
	for _, c := range []struct {
		name string
		cfg  model.Config
		want pinned
	}{
		{"reliable", model.Config{}, pinned{10513, 37776, 18}},
		{"drop", model.Config{Drops: 1}, pinned{30625, 141920, 18}},
		{"crash-recover", model.Config{Crashes: 1, CrashMode: model.CrashRecover}, pinned{158200, 683240, 20}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !long && c.want.states > 100000 {
				t.Skip("over 100,000 states: go test -tags long")
			}
			_, res := check(t, p, c.cfg, 2)
			wantOK(t, res)
			wantPinned(t, res, c.want)
		})
	}
}

// Majorities of three with write-back, one reader reading twice: the
// course's own ABD configuration, proved. (Two readers of one read each
// are beyond a test's budget: over 390,000 states even under symmetry.)
func TestMajorityQuorumsWithWriteBackAreLinearizable(t *testing.T) {
	if !long {
		t.Skip("about 700,000 states: go test -tags long")
	}
	t.Parallel()
	_, res := check(t, quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 2, Readers: 1, WriteBack: true}, model.Config{}, 2)
	wantOK(t, res)
	wantPinned(t, res, pinned{689207, 3308282, 28})
}
