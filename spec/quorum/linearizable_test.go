package quorum_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
)

// readAfterRead is what linearizability adds to read-after-write for two
// readers: a read that starts after another read completed returns that
// read's value or a newer one. The quorum register does not promise it.
var readAfterRead = spec.Property[quorum.State, quorum.Msg]{
	Name:  "read-after-read",
	Doc:   "a read that starts after a read completed returns its value or a newer one",
	Kind:  spec.Always,
	Needs: spec.NeedsHistory,
	State: func(v spec.View[quorum.State, quorum.Msg]) error {
		h := v.History()
		for i, first := range h {
			if first.Obs.Kind != quorum.ReadDone {
				continue
			}
			for _, start := range h[i+1:] {
				if start.Obs.Kind != quorum.ReadStart {
					continue
				}
				for _, done := range h {
					if done.Obs.Kind == quorum.ReadDone && done.Obs.ID == start.Obs.ID && done.Obs.TS < first.Obs.TS {
						return fmt.Errorf("read %d started after read %d returned ts=%d but returned ts=%d",
							done.Obs.ID, first.Obs.ID, first.Obs.TS, done.Obs.TS)
					}
				}
			}
		}
		return nil
	},
}

// Reference: course 7.2, Cx1, and 5.2 "even r+w > n is not linearizable":
// while a write is in progress, one read sees it on a quorum and a later
// read, from another quorum, does not, because read repair does not wait
// for the repaired replicas (ABD's reader would).
func TestMajorityQuorumsAreNotLinearizable(t *testing.T) {
	t.Parallel()
	p := quorum.Params{N: 3, W: 2, R: 2, Writes: 1, Reads: 2, Readers: 2}
	m, res := check(t, p, model.Config{}, 1, readAfterRead)
	if n := wantViolated(t, m, res, "read-after-read"); n != 12 {
		t.Errorf("counterexample of %d steps, pinned 12", n)
	}
}
