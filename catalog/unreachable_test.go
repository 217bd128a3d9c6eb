package catalog

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/model"
)

// The raft entry omits a sometimes property as unreachable by
// construction (raftUnreachable). On small configurations on both sides
// of each rule, a check that keeps every sometimes property in shows the
// rule exact: what it omits is never reached in the exhausted space, and
// everything else is reached.
func TestRaftUnreachableIsNeverReached(t *testing.T) {
	fifo, unordered := model.FIFO, model.Unordered
	cases := []struct {
		flags string // n maxterm candidates requests beats snapshot
		m     model.Config
	}{
		{"-n 2 -maxterm 2 -candidates 2 -requests 1", model.Config{Network: fifo}},
		{"-n 2 -maxterm 2 -candidates 2 -requests 1", model.Config{Network: fifo, Drops: 1}},
		{"-n 3 -maxterm 1 -candidates 1 -requests 1", model.Config{Network: fifo}},
		{"-n 2 -maxterm 1 -candidates 1 -requests 1", model.Config{Network: fifo, Crashes: 1, CrashMode: model.CrashRecover}},
		{"-n 2 -maxterm 1 -candidates 2 -requests 1", model.Config{Network: fifo, Crashes: 1}},
		{"-n 2 -maxterm 1 -candidates 1 -requests 0", model.Config{Network: fifo}},
		{"-n 2 -maxterm 2 -candidates 1 -requests 1", model.Config{Network: fifo, Crashes: 1, CrashMode: model.CrashRecover}},
		// The other side of each rule: reached.
		{"-n 2 -maxterm 1 -candidates 1 -requests 1 -beats 1", model.Config{Network: fifo}},
		{"-n 2 -maxterm 1 -candidates 1 -requests 2", model.Config{Network: fifo}},
		{"-n 2 -maxterm 1 -candidates 1 -requests 1", model.Config{Network: unordered}},
		{"-n 2 -maxterm 1 -candidates 1 -requests 1", model.Config{Network: fifo, Dups: 1}},
		{"-n 2 -maxterm 2 -candidates 2 -requests 1", model.Config{Network: fifo, Crashes: 1, CrashMode: model.CrashRecover}},
		// Snapshots on: a follower installs one.
		{"-n 3 -maxterm 1 -candidates 1 -requests 2 -snapshot 1", model.Config{Network: fifo}},
	}
	e, err := Lookup("raft")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %s", c.flags, c.m), func(t *testing.T) {
			r := Run{}
			if err := e.Apply(c.flags, &r); err != nil {
				t.Fatal(err)
			}
			params, err := e.Resolve(r.Params, "")
			if err != nil {
				t.Fatal(err)
			}
			omitted := raftUnreachable(params, c.m)
			np := raftProtocol()
			np.vacuous = nil // keep every sometimes property in
			rep := &Report{Protocol: "raft", Params: params}
			if err := np.check(Run{Params: params, Model: c.m, Options: explore.Options{Workers: 1}}, rep); err != nil {
				t.Fatal(err)
			}
			if rep.Status == explore.Incomplete {
				t.Fatalf("stopped by %s", rep.Stopped)
			}
			if len(rep.Sometimes) != 4 {
				t.Fatalf("sometimes %v, want the four of raft", rep.Sometimes)
			}
			for _, s := range rep.Sometimes {
				why, out := omitted[s.Property]
				switch {
				case out && s.Reached:
					t.Errorf("%s is omitted as unreachable (%s), but the check reached it in %d steps", s.Property, why, s.Steps)
				case !out && !s.Reached:
					t.Errorf("%s is never reached in %d states, but the rule keeps it in", s.Property, rep.Stats.States)
				}
			}
		})
	}
}

// With one sender no message follows or is concurrent with another
// node's: the broadcast entry omits causal-chain and
// concurrent-broadcasts; kept in, they are never reached, and with two
// senders they are.
func TestBroadcastOneSenderIsNeverCausalOrConcurrent(t *testing.T) {
	e, err := Lookup("broadcast")
	if err != nil {
		t.Fatal(err)
	}
	for _, flags := range []string{"-n 2 -b0 0 -b1 2", "-n 3 -b0 2 -b1 0 -algo causal", "-n 2 -b0 1 -b1 1"} {
		t.Run(flags, func(t *testing.T) {
			r := Run{}
			if err := e.Apply(flags, &r); err != nil {
				t.Fatal(err)
			}
			params, err := e.Resolve(r.Params, "")
			if err != nil {
				t.Fatal(err)
			}
			np := broadcastProtocol()
			omitted := np.vacuous(params, model.Config{})
			np.vacuous = nil
			rep := &Report{Protocol: "broadcast", Params: params}
			if err := np.check(Run{Params: params, Options: explore.Options{Workers: 1}}, rep); err != nil {
				t.Fatal(err)
			}
			if rep.Status == explore.Incomplete || len(rep.Sometimes) != 3 {
				t.Fatalf("%v, sometimes %v", rep.Status, rep.Sometimes)
			}
			for _, s := range rep.Sometimes {
				if _, out := omitted[s.Property]; out == s.Reached {
					t.Errorf("%s: omitted %v, reached %v", s.Property, out, s.Reached)
				}
			}
		})
	}
}
